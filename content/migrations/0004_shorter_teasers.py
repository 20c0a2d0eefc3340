"""Teasers are now cut after 80 words or half the text: store them anew, so a members-only piece
written as one long paragraph stops showing outsiders all of it."""

from django.db import migrations

from content.rendering import render_teaser


def cut_teasers(apps, schema_editor):
    for model, source in [("Article", "body_markdown"), ("Webinar", "description_markdown")]:
        pieces = apps.get_model("content", model).objects.only("pk", source, "teaser_html")
        for piece in pieces.iterator():
            teaser = render_teaser(getattr(piece, source))
            if teaser != piece.teaser_html:
                piece.teaser_html = teaser
                piece.save(update_fields=["teaser_html"])


class Migration(migrations.Migration):
    dependencies = [("content", "0003_webinar_places_and_length_at_least_one")]

    operations = [migrations.RunPython(cut_teasers, migrations.RunPython.noop)]
