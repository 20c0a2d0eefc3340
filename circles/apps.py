from django.apps import AppConfig


class CirclesConfig(AppConfig):
    name = "circles"
    verbose_name = "Learning circles"
    # What this app's models let each role do (see community/roles.py), e.g.
    # {"Organizers": ["circles.view_thing", "circles.change_thing"]}; synced after every migrate.
    role_permissions: dict[str, list[str]] = {}
