"""Vetting applications: the queue, the change page and the decisions."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timesince import timesince
from django.utils.timezone import localtime

from community.admin.queue import (
    DecisionForm,
    QueueFilter,
    ReferralFilter,
    VettingQueue,
    hint_links,
)
from community.models import Application, Decision
from community.services.vetting import Verdict, decide_applications

Status = Application.Status


class DecisionInline(admin.TabularInline):
    """The application's history: recorded once, never edited."""

    model = Decision
    extra = 0
    can_delete = False
    fields = readonly_fields = ["when", "who", "was", "became", "reason"]
    verbose_name = "decision"
    verbose_name_plural = "history"

    @admin.display(description="when")
    def when(self, decision: Decision) -> str:
        return date_format(localtime(decision.created_at), "DATETIME_FORMAT")

    @admin.display(description="by")
    def who(self, decision: Decision) -> str:
        return decision.decided_by_name or "—"

    @admin.display(description="from")
    def was(self, decision: Decision) -> str:
        return decision.get_from_status_display()

    @admin.display(description="to")
    def became(self, decision: Decision) -> str:
        return decision.get_to_status_display()

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = [
        "full_name",
        "job_title",
        "company",
        "role_kind",
        "team",
        "city",
        "status",
        "age",
        "hints",
    ]
    list_display_links = ["full_name"]
    list_filter = [QueueFilter, "role_kind", "city", "company_size", ReferralFilter]
    search_fields = ["full_name", "email", "company", "linkedin_url"]
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
        ("In their words", {"fields": ["leadership", "referred_by", "interests"]}),
        ("Review", {"fields": ["status", "submitted_at", "age", "hints", "decided_at"]}),
        ("Organizers only", {"fields": ["organizer_note"]}),
    ]
    # Organizers read applications; they do not rewrite them. Only the note is theirs.
    readonly_fields = [
        *("full_name", "email", "pronouns", "linkedin", "city", "timezone", "job_title"),
        *("role_kind", "company", "company_size", "team_size", "leadership", "referred_by"),
        *("interests", "status", "submitted_at", "age", "hints", "decided_at"),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_duplicate_of()

    def changelist_view(self, request, extra_context=None):
        """The queue. Actions are posted to Django's own changelist; reading is a lean page."""
        if request.method not in ("GET", "HEAD"):
            return super().changelist_view(request, extra_context)
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        queue = VettingQueue(request.GET, self.model.objects.all())
        context = {
            **self._admin_context(request),
            "opts": self.opts,
            "title": "Applications",
            "queue": queue,
            **queue.content(self._change_url(self.get_preserved_filters(request))),
            "actions": self.get_action_choices(request)[1:],
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/community/application/queue.html", context)

    def _admin_context(self, request) -> dict:
        """The admin site's `each_context()` without the app list when no sidebar shows it.

        Building the app list checks every model's permissions and reverses its URLs (~1 ms).
        """
        site = self.admin_site
        if site.enable_nav_sidebar:
            return site.each_context(request)
        script_name = request.META["SCRIPT_NAME"]
        return {
            "site_title": site.site_title,
            "site_header": site.site_header,
            "site_url": script_name if site.site_url == "/" and script_name else site.site_url,
            "has_permission": site.has_permission(request),
            "available_apps": [],
            "is_popup": False,
            "is_nav_sidebar_enabled": False,
            "log_entries": site.get_log_entries(request),
        }

    @staticmethod
    def _change_url(filters: str) -> Callable[[int], str]:
        """Change page addresses for many rows from one `reverse()` (each costs ~20 µs)."""
        url = reverse("admin:community_application_change", args=[0]).replace("/0/", "/{}/", 1)
        suffix = f"?{filters}" if filters else ""
        return lambda pk: url.format(pk) + suffix

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deleting would erase the decision history

    @admin.display(description="team", ordering="team_size")
    def team(self, application: Application):
        return application.team_size

    @admin.display(description="age", ordering="-submitted_at")
    def age(self, application: Application):
        if application.submitted_at is None:
            return "—"
        age = timesince(application.submitted_at, depth=1)
        if application.is_overdue:
            return format_html("<strong>{}, overdue</strong>", age)
        return age

    @admin.display(description="hints")
    def hints(self, application: Application):
        links = hint_links(application, self._change_url(""))
        items = (
            format_html('<a href="{}">{}</a>', url, text) if url else text for text, url in links
        )
        return format_html_join("; ", "{}", ((item,) for item in items)) or "—"

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
    def interests(self, application: Application) -> str:
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
