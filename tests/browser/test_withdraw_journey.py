"""An applicant withdraws, in a real browser: the page asks first, and only a yes withdraws."""

import pytest
from playwright.sync_api import expect

from community.models import Application
from tests.browser.conftest import check_page, sign_in
from tests.conftest import make_application, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_applicant_is_asked_before_their_application_is_withdrawn(new_page):
    application = make_application(make_user("alex.applicant@example.com", name="Alex Applicant"))
    page = new_page()
    sign_in(page, "alex.applicant@example.com")
    expect(page.get_by_text("Status: Submitted")).to_be_visible()
    check_page(page)
    questions = []

    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Withdraw application").click()
    expect(page.get_by_text("Status: Submitted")).to_be_visible()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED

    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.accept()))
    page.get_by_role("button", name="Withdraw application").click()
    expect(page.get_by_text("Your application has been withdrawn.")).to_be_visible()
    check_page(page)
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert questions == ["Withdraw your application?"] * 2
