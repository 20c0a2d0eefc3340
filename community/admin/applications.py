"""Vetting applications: the queue, the change page and the decisions."""

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404, HttpResponseRedirect, QueryDict
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timesince import timesince

from community.admin.history import StatusHistoryInline
from community.admin.queue import DecisionForm, QueueFilter, ReferralFilter
from community.models import Application, Decision
from community.services.vetting import Verdict, decide_applications

Status = Application.Status


def contains_nul(params: QueryDict) -> bool:
    return any("\x00" in key or "\x00" in "".join(values) for key, values in params.lists())


class DecisionInline(StatusHistoryInline):
    """The application's history of decisions."""

    model = Decision
    by_name_field = "decided_by_name"
    verbose_name = "decision"

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    # Read across like a sentence: who, what they do and where, how long they have waited, what
    # to look at. Title and company share a cell, as do the kind of role and the team's size.
    list_display = ["name", "role", "kind", "city", "status", "age", "hints"]
    list_display_links = ["name"]
    # Every filter has fixed choices, so none costs a query to draw. City is free text ("SF",
    # "San Francisco, CA"): it is searched, which also finds the spellings an exact filter would split.
    list_filter = [QueueFilter, "role_kind", "company_size", ReferralFilter]
    # The oldest first, and as many as a laptop screen shows whole (a row with its hints is about
    # 50 px: 8 fit at 1366×768, the smallest laptop screen still common): the organizer sees the
    # whole page they are deciding on, and the next ones come up as these are decided.
    list_per_page = 8
    show_full_result_count = False  # the count of what is shown is enough; no second COUNT(*)
    empty_value_display = "—"
    search_fields = ["full_name", "email", "company", "city", "linkedin_url"]
    search_help_text = "Name, email, company, city or LinkedIn address."
    ordering = [F("submitted_at").asc(nulls_last=True), "pk"]
    show_facets = admin.ShowFacets.ALLOW
    actions = ["start_review", "approve", "waitlist", "reject"]
    inlines = [DecisionInline]
    fieldsets = [
        (
            "Applicant",
            {"fields": ["full_name", "email", "pronouns", "linkedin", "city", "timezone"]},
        ),
        (
            "Role",
            {"fields": ["job_title", "role_kind", "company", "company_size", "team_size"]},
        ),
        (
            "In their words",
            {"fields": ["leadership", "interests", "referred_by", "interested_in"]},
        ),
        ("Review", {"fields": ["status", "submitted_at", "age", "hints", "decided_at"]}),
        ("Organizers only", {"fields": ["organizer_note"]}),
    ]
    # Organizers read applications; they do not rewrite them. Only the note is theirs.
    readonly_fields = [
        *("full_name", "email", "pronouns", "linkedin", "city", "timezone", "job_title"),
        *("role_kind", "company", "company_size", "team_size", "leadership", "referred_by"),
        *("interests", "interested_in", "status", "submitted_at", "age", "hints", "decided_at"),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_duplicate_of()

    def changelist_view(self, request, extra_context=None):
        # PostgreSQL refuses NUL in a string: say the search or filter is wrong, query nothing.
        if contains_nul(request.GET) or contains_nul(request.POST):
            raise BadRequest("Search and filters cannot contain a NUL character.")
        return super().changelist_view(request, {"title": "Applications", **(extra_context or {})})

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deleting would erase the decision history

    def action_checkbox(self, application: Application):
        """The row's checkbox for the actions, labelled with the applicant's name (Django's own
        renders a form widget's template for each row, and labels it with `str()`)."""
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select"'
            ' aria-label="Select {}">',
            helpers.ACTION_CHECKBOX_NAME,
            application.pk,
            self.name(application),
        )

    @admin.display(description="name", ordering="full_name")
    def name(self, application: Application) -> str:
        return application.full_name or application.email

    @admin.display(description="role", ordering="job_title")
    def role(self, application: Application) -> str:
        return ", ".join(part for part in (application.job_title, application.company) if part)

    @admin.display(description="kind", ordering="role_kind")
    def kind(self, application: Application) -> str:
        kind = application.get_role_kind_display()
        return f"{kind}, team of {application.team_size}" if application.team_size else kind

    @admin.display(description="age", ordering="-submitted_at")
    def age(self, application: Application):
        if application.submitted_at is None:
            return None
        age = timesince(application.submitted_at, depth=1)
        context = {"age": age, "overdue": application.is_overdue}
        return render_to_string("community/includes/_overdue.html", context)

    @admin.display(description="hints")
    def hints(self, application: Application):
        """The facts that help decide; the possible duplicate links to the other application."""
        duplicate_of = application.duplicate_of_id
        duplicate = f"possible duplicate of application {duplicate_of}"
        change = "admin:community_application_change"
        hints = [
            (hint, reverse(change, args=[duplicate_of]) if hint == duplicate else "")
            for hint in application.hints
        ]
        return (
            render_to_string("community/includes/_hints.html", {"hints": hints}) if hints else None
        )

    @admin.display(description="timezone")
    def timezone(self, application: Application) -> str:
        return application.user.timezone if application.user else ""

    @admin.display(description="LinkedIn")
    def linkedin(self, application: Application):
        if not application.linkedin_url:
            return "—"
        return format_html(
            '<a href="{0}" rel="noopener noreferrer" target="_blank">{0}</a>',
            application.linkedin_url,
        )

    @admin.display(description="interested in")
    def interested_in(self, application: Application) -> str:
        wanted = [
            label
            for flag, label in [
                ("wants_circles", "learning circles"),
                ("wants_mentoring", "mentoring and coaching"),
                ("wants_content", "articles and webinars"),
            ]
            if getattr(application, flag)
        ]
        return ", ".join(wanted) or "—"

    # Deciding: four actions for the queue, the same four as buttons on the change page.

    @admin.action(description="Start review", permissions=["change"])
    def start_review(self, request, queryset):
        self._apply(request, queryset, Verdict.START_REVIEW, reason="", message="")

    @admin.action(description="Approve…", permissions=["change"])
    def approve(self, request, queryset):
        return self._decision_page(request, Verdict.APPROVE, queryset, request.get_full_path())

    @admin.action(description="Waitlist…", permissions=["change"])
    def waitlist(self, request, queryset):
        return self._decision_page(request, Verdict.WAITLIST, queryset, request.get_full_path())

    @admin.action(description="Reject…", permissions=["change"])
    def reject(self, request, queryset):
        return self._decision_page(request, Verdict.REJECT, queryset, request.get_full_path())

    def get_urls(self):
        decide = self.admin_site.admin_view(self.decide_view)
        return [
            path("decide/<str:verdict>/", decide, name="community_application_decide"),
            *super().get_urls(),
        ]

    def decide_view(self, request, verdict: str):
        if verdict not in Verdict.values:
            raise Http404("No such decision.")
        if not self.has_change_permission(request):
            raise PermissionDenied
        if request.method != "POST":
            applications = self.get_queryset(request).filter(pk__in=self._ids(request.GET))
            return self._decision_page(request, verdict, applications, request.GET.get("next", ""))
        form = DecisionForm(request.POST, verdict=verdict)
        if not form.is_valid():
            applications = self.get_queryset(request).filter(pk__in=self._ids(request.POST))
            return self._decision_page(request, verdict, applications, form=form)
        data = form.cleaned_data
        self._apply(
            request,
            data["applications"],
            verdict,
            reason=data.get("reason", ""),
            message=data.get("message", ""),
        )
        return HttpResponseRedirect(self._next_url(request, data["next"]))

    @staticmethod
    def _ids(params) -> list[int]:
        return [int(value) for value in params.getlist("applications") if value.isdigit()]

    def _next_url(self, request, next_url: str) -> str:
        safe = url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        return next_url if next_url and safe else reverse("admin:community_application_changelist")

    def _decision_page(self, request, verdict: str, applications, next_url="", *, form=None):
        """The form asking for the reason (and, to reject, the email), or reshown with errors."""
        applications = list(applications)
        if form is None:
            initial = {"applications": [a.pk for a in applications], "next": next_url}
            form = DecisionForm(verdict=verdict, initial=initial)
        verdict = Verdict(verdict)
        count = f"{len(applications)} application{'s' if len(applications) != 1 else ''}"
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{verdict.name.replace('_', ' ').capitalize()}: {count}",
            "verdict": verdict,
            "applications": applications,
            "form": form,
            "form_url": reverse("admin:community_application_decide", args=[verdict.value]),
            "submit_label": f"{verdict.name.replace('_', ' ').capitalize()} {count}",
            "cancel_url": self._next_url(request, form["next"].value() or ""),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/community/application/decide.html", context)

    def _apply(self, request, applications, verdict: str, *, reason: str, message: str):
        try:
            outcome = decide_applications(
                applications,
                verdict=verdict,
                reviewed_by=request.user,
                reason=reason,
                message=message,
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        if done := len(outcome.done):
            noun = "application" if done == 1 else "applications"
            self.message_user(request, f"{done} {noun} {Verdict(verdict).label}.", messages.SUCCESS)
        for application, error in outcome.failed:
            self.message_user(request, f"{application}: {error}", messages.ERROR)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        application = self.get_object(request, object_id)
        if application is not None and self.has_change_permission(request, application):
            extra_context.update(self._decision_buttons(request, application))
        return super().change_view(request, object_id, form_url, extra_context)

    def _decision_buttons(self, request, application: Application) -> dict:
        back = request.get_full_path()
        query = urlencode({"applications": application.pk, "next": back})
        links = []
        if application.status in Application.DECIDABLE:
            for verdict, label, status in [
                (Verdict.APPROVE, "Approve…", Status.APPROVED),
                (Verdict.WAITLIST, "Waitlist…", Status.WAITLISTED),
                (Verdict.REJECT, "Reject…", Status.REJECTED),
            ]:
                if application.status != status:
                    url = reverse("admin:community_application_decide", args=[verdict.value])
                    links.append({"url": f"{url}?{query}", "label": label})
        start_review = application.status == Status.SUBMITTED
        return {
            "decision_links": links,
            "start_review_url": reverse("admin:community_application_decide", args=["start_review"])
            if start_review
            else "",
            "next_url": back,
        }
