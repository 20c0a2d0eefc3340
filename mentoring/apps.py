from django.apps import AppConfig

ORGANIZER_PERMISSIONS = [
    "mentoring.view_topic",
    "mentoring.add_topic",
    "mentoring.change_topic",
    "mentoring.view_coachprofile",
    "mentoring.view_booking",
    "mentoring.view_bookingpause",
]


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = "Mentoring and coaching"
    # What this app's models let each role do (see community/roles.py); synced after every migrate.
    role_permissions: dict[str, list[str]] = {"Organizers": ORGANIZER_PERMISSIONS}

    def ready(self):
        from community import privacy
        from mentoring.services.privacy import erase_mentoring, export_mentoring

        privacy.register("mentoring", export=export_mentoring, erase=erase_mentoring)
