from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = "Mentoring and coaching"
    # What this app's models let each role do (see community/roles.py), e.g.
    # {"Organizers": ["mentoring.view_thing", "mentoring.change_thing"]}; synced after every migrate.
    role_permissions: dict[str, list[str]] = {}
