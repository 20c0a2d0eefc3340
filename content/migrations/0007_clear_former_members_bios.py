from django.db import migrations


def clear_bios(apps, schema_editor):
    """Members who deleted their account before erasure cleared their author bio."""
    apps.get_model("content", "Author").objects.filter(former_member=True).update(bio="")


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0006_author_former_member"),
    ]

    operations = [
        migrations.RunPython(clear_bios, migrations.RunPython.noop),
    ]
