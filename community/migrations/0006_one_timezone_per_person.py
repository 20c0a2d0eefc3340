from django.db import migrations
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def copy_timezones_to_users(apps, schema_editor):
    """A user without a timezone takes their member profile's, else their latest application's."""
    User = apps.get_model("community", "User")
    Member = apps.get_model("community", "Member")
    Application = apps.get_model("community", "Application")
    from_member = Member.objects.filter(user=OuterRef("pk")).exclude(timezone="")
    from_application = (
        Application.objects.filter(user=OuterRef("pk"))
        .exclude(timezone="")
        .order_by("-created_at", "-pk")
    )
    User.objects.filter(timezone="").update(
        timezone=Coalesce(
            Subquery(from_member.values("timezone")[:1]),
            Subquery(from_application.values("timezone")[:1]),
            Value(""),
        )
    )


def copy_timezones_back(apps, schema_editor):
    User = apps.get_model("community", "User")
    users = User.objects.filter(pk=OuterRef("user_id")).values("timezone")[:1]
    for name in ("Member", "Application"):
        model = apps.get_model("community", name)
        model.objects.filter(user__isnull=False).update(timezone=Subquery(users))


class Migration(migrations.Migration):
    dependencies = [
        ('community', '0005_membership_changes'),
    ]

    operations = [
        migrations.RunPython(copy_timezones_to_users, copy_timezones_back),
        migrations.RemoveField(
            model_name="application",
            name="timezone",
        ),
        migrations.RemoveField(
            model_name="member",
            name="timezone",
        ),
    ]
