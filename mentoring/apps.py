from django.apps import AppConfig

ORGANIZER_PERMISSIONS = [
    "mentoring.view_topic",
    "mentoring.add_topic",
    "mentoring.change_topic",
    "mentoring.view_coachprofile",
    "mentoring.view_booking",
    # The career framework: organizers keep it (a published version is frozen; see admin.py) and
    # assign mentors. Assessments and reviews are not theirs to see.
    *[
        f"mentoring.{action}_{model}"
        for model in ("frameworkversion", "competency", "skill", "direction", "directionweight")
        for action in ("view", "add", "change", "delete")
    ],
    "mentoring.view_mentorassignment",
    "mentoring.add_mentorassignment",
    "mentoring.delete_mentorassignment",
    "mentoring.view_mentoringgroup",
    "mentoring.change_mentoringgroup",
    "mentoring.view_groupmembership",
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
