from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Articles and webinars"
    # What this app's models let each role do (see community/roles.py), e.g.
    # {"Organizers": ["content.view_thing", "content.change_thing"]}; synced after every migrate.
    role_permissions: dict[str, list[str]] = {}
