"""The vetting queue: its filters, its rows, and the form that asks for a decision's reason."""

import hashlib
from collections.abc import Callable
from functools import reduce
from html import escape
from operator import or_
from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Max, Q
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import smart_split, unescape_string_literal
from django.utils.timesince import timesince

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
        return referral(queryset, self.value())


def by_status(queryset, value: str):
    """The status filter: "needs review" (the default), "all", or one status."""
    if value == QueueFilter.NEEDS_REVIEW:
        return queryset.waiting()
    if value == QueueFilter.ALL:
        return queryset
    return queryset.filter(status=value)


def referral(queryset, value: str | None):
    if value == "yes":
        return queryset.exclude(referred_by="")
    if value == "no":
        return queryset.filter(referred_by="")
    return queryset


class VettingQueue:
    """The queue as organizers read it: one page of rows from one query, filters as links.

    It reads the same address parameters as the admin's changelist (which still runs the actions
    posted from this page, on the same filters) but renders rows itself: Django's ChangeList builds
    every cell through `lookup_field`, `format_html` and a widget, about 1 ms a row.
    """

    SEARCH, PAGE, STATUS, REFERRAL = "q", "p", QueueFilter.parameter_name, "referred"
    FIELDS = {
        "role_kind__exact": "role_kind",
        "city": "city",
        "company_size__exact": "company_size",
    }
    SEARCH_FIELDS = ["full_name", "email", "company", "linkedin_url"]
    ORDERING = [F("submitted_at").asc(nulls_last=True), "pk"]
    # A page an organizer reads through before deciding; the oldest come first.
    PAGE_SIZE = 25
    CACHE_SECONDS = 60
    COLUMNS = [
        *("full_name", "email", "job_title", "company", "role_kind", "team_size", "city"),
        *("status", "submitted_at", "linkedin_url"),
    ]
    ROLES = dict(Application.RoleKind.choices)
    STATUSES = dict(Status.choices)

    def __init__(self, params: QueryDict, queryset):
        self.params = {key: value for key, value in params.items() if value}
        self.search = self.params.get(self.SEARCH, "").strip()
        self.status = self.params.get(self.STATUS, QueueFilter.NEEDS_REVIEW)
        self.in_status = by_status(queryset, self.status)
        self.queryset = self._narrow(self.in_status)

    def _narrow(self, queryset):
        for parameter, field in self.FIELDS.items():
            if value := self.params.get(parameter):
                queryset = queryset.filter(**{field: value})
        queryset = referral(queryset, self.params.get(self.REFERRAL))
        for term in smart_split(self.search):
            if term[0] in "\"'" and term[0] == term[-1] and len(term) > 1:
                term = unescape_string_literal(term)
            queryset = queryset.filter(
                reduce(or_, (Q(**{f"{field}__icontains": term}) for field in self.SEARCH_FIELDS))
            )
        return queryset

    @property
    def is_narrowed(self) -> bool:
        """Whether anything beyond the default, "needs review", is asked for."""
        return self.status != QueueFilter.NEEDS_REVIEW or self.is_narrowed_within_status

    @property
    def is_narrowed_within_status(self) -> bool:
        return any(key not in (self.PAGE, self.STATUS) for key in self.params)

    @property
    def hidden_params(self) -> list[tuple[str, str]]:
        """The filters a new search keeps."""
        return [(k, v) for k, v in self.params.items() if k not in (self.SEARCH, self.PAGE)]

    def content(self, change_url: Callable[[int], str]) -> dict:
        """What the page shows of the applications: rows, count, filters and links to pages.

        Kept until any application changes (the newest `updated_at`, read from an index) or the
        minute turns (ages and overdue flags are given to the minute): a decision, a new or a
        withdrawn application shows on the next page load, whichever process serves it.
        """
        changed = Application.objects.aggregate(latest=Max("updated_at"))["latest"]
        minute = int(timezone.now().timestamp() // 60)
        asked = urlencode(sorted(self.params.items())) + change_url(0)
        digest = hashlib.sha256(asked.encode()).hexdigest()[:32]
        key = f"vetting-queue:{changed.isoformat() if changed else 0}:{minute}:{digest}"
        return cache.get_or_set(key, lambda: self._content(change_url), self.CACHE_SECONDS)

    def _content(self, change_url: Callable[[int], str]) -> dict:
        page = self.page()
        rows = self.rows(page, change_url)
        return {
            "count": page.paginator.count,
            "rows": rows,
            "rows_html": rows_html(rows),
            "filters": self.filters(),
            "pages": self.pages(page),
        }

    @cached_property
    def cities(self) -> dict[str, int]:
        """How many applications in this status come from each city (one GROUP BY)."""
        by_city = self.in_status.order_by("city").values_list("city").annotate(count=Count("pk"))
        return dict(by_city)

    def page(self) -> Page:
        applications = self.queryset.with_duplicate_of().only(*self.COLUMNS)
        paginator = Paginator(applications.order_by(*self.ORDERING), self.PAGE_SIZE)
        if not self.is_narrowed_within_status:
            paginator.count = sum(self.cities.values())  # the city counts add up; no COUNT query
        return paginator.get_page(self.params.get(self.PAGE))

    def link(self, parameter: str, value: str = "") -> str:
        """This address with one parameter changed (or removed), back on the first page."""
        params = {k: v for k, v in self.params.items() if k not in (parameter, self.PAGE)}
        if value:
            params[parameter] = value
        return f"?{urlencode(params)}"

    def pages(self, page: Page) -> list[dict]:
        """Links to the other pages; long runs of pages are elided."""
        if page.paginator.num_pages < 2:
            return []
        return [
            {
                "number": number,
                "url": self.link(self.PAGE, str(number)),
                "current": number == page.number,
                "gap": number == page.paginator.ELLIPSIS,
            }
            for number in page.paginator.get_elided_page_range(page.number)
        ]

    def filters(self) -> list[dict]:
        # Cities of the applications in this status only, not a DISTINCT over the whole table.
        cities = [(city, city) for city in self.cities if city]
        statuses = [(QueueFilter.NEEDS_REVIEW, "Needs review"), (QueueFilter.ALL, "All")]
        return [
            self._links("status", self.STATUS, [*statuses, *Status.choices], self.status),
            self._links("role", "role_kind__exact", Application.RoleKind.choices),
            self._links("city", "city", cities),
            self._links("company size", "company_size__exact", Application.CompanySize.choices),
            self._links("referral", self.REFERRAL, [("yes", "Referred"), ("no", "Not referred")]),
        ]

    def _links(self, title: str, parameter: str, choices, current: str | None = None) -> dict:
        if current is None:
            current = self.params.get(parameter, "")
            choices = [("", "All"), *choices]
        items = [
            f'<li class="selected"><a href="{escape(self.link(parameter, value))}"'
            f' aria-current="true">{escape(label)}</a></li>'
            if value == current
            else f'<li><a href="{escape(self.link(parameter, value))}">{escape(label)}</a></li>'
            for value, label in choices
        ]
        return {"title": title, "links": mark_safe("".join(items))}

    def rows(self, page: Page, change_url: Callable[[int], str]) -> list[dict]:
        return [self._row(application, change_url) for application in page]

    def _row(self, application: Application, change_url) -> dict:
        submitted = application.submitted_at
        return {
            "pk": application.pk,
            "url": change_url(application.pk),
            "name": application.full_name or application.email,
            "job_title": application.job_title,
            "company": application.company,
            "role": self.ROLES.get(application.role_kind, application.role_kind),
            "team": "" if application.team_size is None else str(application.team_size),
            "city": application.city,
            "status": self.STATUSES.get(application.status, application.status),
            "age": timesince(submitted, depth=1) if submitted else "",
            "overdue": application.is_overdue,
            "hints": hint_links(application, change_url),
        }


def hint_links(application: Application, change_url: Callable[[int], str]) -> list[tuple]:
    """The application's hints as (text, address): the duplicate hint links to the other one."""
    duplicate_of = getattr(application, "duplicate_of_id", None)
    duplicate = f"possible duplicate of application {duplicate_of}"
    return [
        (hint, change_url(duplicate_of) if hint == duplicate else "") for hint in application.hints
    ]


# The rows are the bulk of the page; formatting them here rather than in a template loop keeps the
# queue within twice the cost of a bare page (the template engine spends ~10 µs on each variable).
ROW = (
    '<tr><td class="action-checkbox"><input type="checkbox" name="_selected_action" value="{pk}"'
    ' class="action-select" aria-label="Select {name}"></td>'
    '<th scope="row"><a href="{url}">{name}</a></th>'
    "<td>{job_title}</td><td>{company}</td><td>{role}</td><td>{team}</td><td>{city}</td>"
    "<td>{status}</td><td>{age}</td><td>{hints}</td></tr>"
)
CELLS = ["name", "url", "job_title", "company", "role", "team", "city", "status", "age"]


def rows_html(rows: list[dict]) -> SafeString:
    return mark_safe("\n".join(_row_html(row) for row in rows))


def _row_html(row: dict) -> str:
    cells = {key: escape(row[key]) or "—" for key in CELLS}
    if row["overdue"]:
        cells["age"] = f"<strong>{cells['age']}, overdue</strong>"
    hints = [
        f'<a href="{escape(url)}">{escape(text)}</a>' if url else escape(text)
        for text, url in row["hints"]
    ]
    return ROW.format(pk=row["pk"], hints="; ".join(hints) or "—", **cells)


class DecisionForm(forms.Form):
    """The page between choosing a verdict and applying it: asks for the reason (and the email)."""

    applications = forms.ModelMultipleChoiceField(
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
