"""Bodies are now rendered with their headings one level down (the title is the page's h1) and
images from other sites as links: store the HTML of the pieces already written anew, so their
pages, feeds and emails show the same as a piece saved from now on."""

from django.db import migrations

from content.rendering import plain_text, reading_minutes, render_markdown, render_teaser
from content.services.indexing import refresh_search_vectors

RENDERED = {
    "Article": {"body_html": "body_markdown", "teaser_html": "body_markdown"},
    "Webinar": {
        "description_html": "description_markdown",
        "teaser_html": "description_markdown",
        "recap_html": "recap_markdown",
    },
}


def _render(field: str, markdown: str) -> str:
    return render_teaser(markdown) if field == "teaser_html" else render_markdown(markdown)


def _store_text(model: str, piece) -> list[str]:
    """The plain text the search reads (an outside image's description is now a link's text)."""
    if model == "Webinar":
        piece.body_text = plain_text(f"{piece.description_html} {piece.recap_html}")
        return ["body_text"]
    piece.body_text = plain_text(piece.body_html)
    piece.reading_minutes = reading_minutes(piece.body_text)
    return ["body_text", "reading_minutes"]


def render_again(apps, schema_editor):
    for model, fields in RENDERED.items():
        for piece in apps.get_model("content", model).objects.iterator():
            changed = []
            for field, source in fields.items():
                html = _render(field, getattr(piece, source))
                if html != getattr(piece, field):
                    setattr(piece, field, html)
                    changed.append(field)
            if changed:
                piece.save(update_fields=changed + _store_text(model, piece))
                refresh_search_vectors(piece)


class Migration(migrations.Migration):
    dependencies = [("content", "0004_shorter_teasers")]

    operations = [migrations.RunPython(render_again, migrations.RunPython.noop)]
