from django.apps import AppConfig


class LateAppConfig(AppConfig):
    name = "tests.community.late_app"
    label = "late_app"
    role_permissions = {"Coaches": ["late_app.view_booking", "late_app.change_booking"]}
