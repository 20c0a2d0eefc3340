"""The vetting queue's filters, and the form that asks for a decision's reason."""

from django import forms
from django.contrib import admin

from community.fields import ModelMultipleChoiceField
from community.models import Application
from community.services.applications import rejection_message
from community.services.vetting import Verdict

Status = Application.Status


class QueueFilter(admin.SimpleListFilter):
    """Status, opening on what needs attention: applications waiting for a decision."""

    title = "status"
    parameter_name = "status"
    NEEDS_REVIEW = "needs_review"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [(self.NEEDS_REVIEW, "Needs review"), (self.ALL, "All"), *Status.choices]

    def value(self):
        return super().value() or self.NEEDS_REVIEW

    def queryset(self, request, queryset):
        return by_status(queryset, self.value())

    def choices(self, changelist):
        # No built-in "All" that removes the parameter: without a parameter we show "Needs review".
        counts = self.get_facet_queryset(changelist) if changelist.add_facets else {}
        for index, (lookup, title) in enumerate(self.lookup_choices):
            if f"{index}__c" in counts:
                title = f"{title} ({counts[f'{index}__c']})"
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class ReferralFilter(admin.SimpleListFilter):
    title = "referral"
    parameter_name = "referred"

    def lookups(self, request, model_admin):
        return [("yes", "Referred"), ("no", "Not referred")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(referred_by="")
        if self.value() == "no":
            return queryset.filter(referred_by="")
        return queryset


def by_status(queryset, value: str):
    """The status filter: "needs review" (the default), "all", or one status."""
    if value == QueueFilter.NEEDS_REVIEW:
        return queryset.waiting()
    if value == QueueFilter.ALL:
        return queryset
    return queryset.filter(status=value)


class DecisionForm(forms.Form):
    """The page between choosing a verdict and applying it: asks for the reason (and the email)."""

    applications = ModelMultipleChoiceField(
        queryset=Application.objects.all(), widget=forms.MultipleHiddenInput
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False)
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "class": "vLargeTextField"}),
        error_messages={"required": "Please give a reason for this decision."},
        help_text="Recorded in each application's history, with your name and the date.",
    )
    message = forms.CharField(
        label="Email to the applicant",
        widget=forms.Textarea(attrs={"rows": 12, "class": "vLargeTextField"}),
        error_messages={"required": "The rejection email cannot be empty."},
        help_text="Edit as you see fit. {reason} is replaced with the reason above.",
    )

    def __init__(self, *args, verdict: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.verdict = Verdict(verdict)
        if self.verdict == Verdict.START_REVIEW:
            del self.fields["reason"]
        if self.verdict == Verdict.REJECT:
            self.fields["reason"].help_text += " It is sent to the applicant in the email below."
            self.fields["message"].initial = rejection_message("{reason}")
        else:
            del self.fields["message"]
