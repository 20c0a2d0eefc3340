from django.apps import AppConfig

ORGANIZER_PERMISSIONS = [
    f"circles.{action}_{model}"
    for model in ("round", "signup", "circle", "circlemember", "importbatch", "alias")
    for action in ("view", "change", "add")
] + [
    "circles.delete_alias",
    "circles.view_compositionrun",
    "circles.add_compositionrun",
    "circles.change_compositionrun",
    "circles.view_reviewevent",
    "circles.view_backfill",
    # After composition: the series and what members answered, shown; only a note is corrected.
    "circles.view_meeting",
    "circles.change_meeting",
    "circles.view_attendance",
    "circles.view_meetingcandidate",
    "circles.view_meetingvote",
]


class CirclesConfig(AppConfig):
    name = "circles"
    verbose_name = "Learning circles"
    # What this app's models let each role do (see community/roles.py); synced after every migrate.
    role_permissions: dict[str, list[str]] = {"Organizers": ORGANIZER_PERMISSIONS}

    def ready(self):
        from circles.services.privacy import erase_circles, export_circles
        from community import privacy

        privacy.register("circles", export=export_circles, erase=erase_circles)
