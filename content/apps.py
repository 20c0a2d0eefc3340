from django.apps import AppConfig

EDITOR_PERMISSIONS = [
    f"content.{action}_{model}"
    for model in (
        "article",
        "author",
        "topic",
        "reviewcomment",
        "contentimage",
        "webinar",
        "registration",
        "webinarmessage",
    )
    for action in ("view", "change", "add", "delete")
]


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Articles and webinars"
    # What this app's models let each role do (see community/roles.py); synced after every migrate.
    role_permissions: dict[str, list[str]] = {"Editors": EDITOR_PERMISSIONS}

    def ready(self):
        from community import privacy
        from content.services.privacy import erase_content, export_content

        privacy.register("content", export=export_content, erase=erase_content)
