"""Form fields the apps share."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

# The range of the integer columns ids live in (64-bit on every database we run on).
LARGEST_ID = 2**63 - 1


def _out_of_range(value) -> bool:
    try:
        number = int(str(value).strip())
    except ValueError:
        return False  # not a number at all: Django's own check refuses it
    return not -LARGEST_ID - 1 <= number <= LARGEST_ID


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, refusing an id too large for the database as an unknown choice: on SQLite
    the `__in` lookup with one raises OverflowError (a 500) instead of matching nothing."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        target = self.queryset.model._meta.pk if key == "pk" else None
        target = target or self.queryset.model._meta.get_field(key)
        if isinstance(target, models.IntegerField) and isinstance(value, list | tuple):
            for choice in value:
                if _out_of_range(choice):
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": choice},
                    )
        return super()._check_values(value)
