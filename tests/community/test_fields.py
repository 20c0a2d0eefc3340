"""The shared form fields: an id too large for the database is an unknown choice, not a 500."""

import os
import subprocess
import sys

from django import forms
from django.conf import settings

from community.admin.queue import DecisionForm
from community.fields import ModelMultipleChoiceField
from content.forms import ArticleForm, WebinarForm
from mentoring.forms import CoachSettingsForm, MentorshipDayForm

TOO_LARGE = str(2**64)

# On SQLite (the default database) the `__in` lookup with such an id raises OverflowError; the
# suite runs on PostgreSQL, so a fresh process checks the field against an in-memory SQLite.
ON_SQLITE = f"""
from django.db import connection
from content.models import Topic
from community.fields import ModelMultipleChoiceField
with connection.schema_editor() as editor:
    editor.create_model(Topic)
Topic.objects.create(name="Hiring", slug="hiring")
field = ModelMultipleChoiceField(queryset=Topic.objects.all())
try:
    field.clean(["{TOO_LARGE}"])
except Exception as error:
    print(type(error).__name__, *getattr(error, "messages", [error]))
"""


def test_an_id_too_large_for_sqlite_is_refused_as_an_unknown_choice():
    env = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", ON_SQLITE],
        cwd=settings.BASE_DIR,
        env={**env, "DATABASE_URL": "sqlite://:memory:"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == (
        f"ValidationError Select a valid choice. {TOO_LARGE} is not one of the available choices."
    ), result.stdout + result.stderr


def test_every_form_choosing_several_rows_uses_the_field_that_refuses_such_an_id():
    fields = [
        field
        for form in (ArticleForm, WebinarForm, CoachSettingsForm, MentorshipDayForm, DecisionForm)
        for field in form.base_fields.values()
        if isinstance(field, forms.ModelMultipleChoiceField)
    ]
    assert len(fields) == 7
    assert all(isinstance(field, ModelMultipleChoiceField) for field in fields)
