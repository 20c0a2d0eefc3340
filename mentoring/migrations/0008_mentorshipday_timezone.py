from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def plan_in_the_coachs_zone(apps, schema_editor):
    """Days planned so far were read in their coach's zone: they keep it (UTC when unset, as
    before)."""
    MentorshipDay = apps.get_model("mentoring", "MentorshipDay")
    User = apps.get_model("community", "User")
    zone = User.objects.filter(coach_profile=OuterRef("coach_id")).exclude(timezone="")
    MentorshipDay.objects.update(
        timezone=Coalesce(Subquery(zone.values("timezone")[:1]), Value("UTC"))
    )


class Migration(migrations.Migration):

    dependencies = [
        ("community", "0006_one_timezone_per_person"),
        ("mentoring", "0007_booking_intake_question"),
    ]

    operations = [
        migrations.AddField(
            model_name="mentorshipday",
            name="timezone",
            field=models.CharField(
                default="UTC", help_text="The timezone its date and times are in.", max_length=64
            ),
            preserve_default=False,
        ),
        migrations.RunPython(plan_in_the_coachs_zone, migrations.RunPython.noop),
    ]
