"""HTML emails link our own pages and nothing that people typed."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from community.models import Email
from community.services.emails import render_email
from community.services.reviews import notify_overdue_applications, send_review_digest
from tests.conftest import make_application, make_user

pytestmark = pytest.mark.django_db

EVIL = "https://evil.example/login"
HREF = re.compile(r'href="([^"]+)"')
URL = re.compile(r"https?://\S+")
TEMPLATES = [
    "account_deleted",
    "application_received",
    "application_rejected",
    "application_waitlisted",
    "application_withdrawn",
    "review_digest",
    "review_overdue",
    "welcome",
]


@pytest.fixture
def sly_application():
    """An applicant who wrote addresses where a name, a title and a company belong."""
    user = make_user("sly@example.com", name="Sly Applicant")
    return make_application(
        user,
        full_name=f"Sly {EVIL}",
        job_title="CTO <b>www.evil.example</b>",
        company=f"{EVIL}?company",
    )


def context_for(application) -> dict:
    return {
        "application": application,
        "applications": [application],
        "total": 1,
        "days": 5,
        "message": f"Sorry. See {EVIL}?reason",
        "had_applications": True,
        "member": None,
        "slack_invite_url": "https://join.slack.com/t/roundtable/shared_invite/abc",
    }


@pytest.mark.parametrize("template", TEMPLATES)
def test_no_html_email_links_what_people_typed(sly_application, template):
    _, text, html = render_email(template, context_for(sly_application))

    assert not [href for href in HREF.findall(html) if "evil.example" in href]
    assert "<b>" not in html


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_html_email_links_the_same_pages_of_ours_as_its_text(
    sly_application, template, settings
):
    _, text, html = render_email(template, context_for(sly_application))

    ours = [url.rstrip(".,") for url in URL.findall(text) if "evil.example" not in url]
    assert HREF.findall(html) == ours


def test_the_organizers_digest_names_the_applicant_without_linking_them(sly_application):
    make_user("organizer@example.com", name="Olivia Organizer", groups=["Organizers"])

    send_review_digest()

    email = Email.objects.get(to="organizer@example.com")
    assert "Sly https://evil.example/login" in email.body_html
    assert "evil.example" not in " ".join(HREF.findall(email.body_html))
    assert any(
        href.endswith("/admin/community/application/") for href in HREF.findall(email.body_html)
    )


def test_the_overdue_reminder_names_the_applicant_without_linking_them(sly_application):
    make_user("organizer@example.com", name="Olivia Organizer", groups=["Organizers"])
    sly_application.submitted_at = timezone.now() - timedelta(days=30)
    sly_application.save()

    notify_overdue_applications()

    email = Email.objects.get(to="organizer@example.com")
    assert "https://evil.example/login?company" in email.body_html
    assert "evil.example" not in " ".join(HREF.findall(email.body_html))
