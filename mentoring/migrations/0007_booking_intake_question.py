from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_current_questions(apps, schema_editor):
    """Bookings made before the question was kept get the coach's question as it is now: the
    closest record there is of what was asked."""
    Booking = apps.get_model("mentoring", "Booking")
    CoachProfile = apps.get_model("mentoring", "CoachProfile")
    question = CoachProfile.objects.filter(pk=OuterRef("coach_id")).values("intake_question")
    Booking.objects.exclude(intake_answer="").update(intake_question=Subquery(question[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ("mentoring", "0006_mentorship_day_title_and_cancellation"),
    ]

    operations = [
        migrations.AddField(
            model_name="booking",
            name="intake_question",
            field=models.CharField(blank=True, max_length=300),
        ),
        migrations.RunPython(copy_current_questions, migrations.RunPython.noop),
    ]
