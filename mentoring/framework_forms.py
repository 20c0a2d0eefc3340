"""Forms of the career framework pages: they validate, the services act."""

from django import forms

from mentoring.models import Competency, FrameworkVersion, ScoreValue, Skill

SCORE_CHOICES = [(str(value), label) for value, label in ScoreValue.choices]


class StartAssessmentForm(forms.Form):
    def __init__(self, *args, version: FrameworkVersion, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["direction"] = forms.ModelChoiceField(
            version.directions.all(),
            widget=forms.RadioSelect,
            empty_label=None,
            label="Your direction",
            to_field_name="slug",
        )


class ScoresForm(forms.Form):
    """One radio group (0, 1, 2) and one optional example per skill, named by the skill's pk."""

    def __init__(self, *args, competencies: list[Competency], initial_scores: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.skills: list[Skill] = [s for c in competencies for s in c.skills.all()]
        for skill in self.skills:
            score, example = initial_scores.get(skill.pk, (None, ""))
            self.fields[f"score_{skill.pk}"] = forms.TypedChoiceField(
                choices=SCORE_CHOICES,
                coerce=int,
                required=False,
                empty_value=None,
                widget=forms.RadioSelect,
                label=skill.text,
                initial=None if score is None else str(score),
            )
            self.fields[f"example_{skill.pk}"] = forms.CharField(
                required=False,
                max_length=1000,
                label="Example (optional)",
                initial=example,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def scores(self) -> dict[int, int | None]:
        return {s.pk: self.cleaned_data.get(f"score_{s.pk}") for s in self.skills}

    def examples(self) -> dict[int, str]:
        return {s.pk: self.cleaned_data.get(f"example_{s.pk}", "").strip() for s in self.skills}

    def field_pair(self, skill: Skill) -> tuple:
        return self[f"score_{skill.pk}"], self[f"example_{skill.pk}"]


class ShareForm(forms.Form):
    def __init__(self, *args, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"] = forms.ModelChoiceField(
            mentors, label="Mentor", empty_label="Choose a mentor"
        )


class AdjustForm(forms.Form):
    """One skill of the review's framework version, its new score and why."""

    skill = forms.ModelChoiceField(
        Skill.objects.none(),
        widget=forms.HiddenInput,
        error_messages={
            "required": "That skill is not in this review.",
            "invalid_choice": "That skill is not in this review.",
        },
    )
    score = forms.TypedChoiceField(choices=SCORE_CHOICES, coerce=int, label="Score")
    comment = forms.CharField(
        max_length=1000, required=False, label="Why", widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, version: FrameworkVersion | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skill"].queryset = Skill.objects.filter(competency__version=version)

    def error_text(self) -> str:
        return " ".join(message for errors in self.errors.values() for message in errors)
