"""Every app's pages say who may open them with community.access: each decorator and mixin, each persona."""

import pytest
from django.http import HttpResponse
from django.urls import include, path, reverse
from django.views import View

from community import access
from community.models import User
from tests.conftest import make_member, make_user

ROLES = ("member", "organizer", "coach", "editor")
PERSONAS = ("outsider", "applicant", "member", "coach", "organizer", "editor")
# The coach and editor personas are members too; the organizer is not a member.
ADMITTED = {
    "member": {"member", "coach", "editor"},
    "organizer": {"organizer"},
    "coach": {"coach"},
    "editor": {"editor"},
}


def page(request):
    return HttpResponse("The page itself")


class Page(View):
    def get(self, request):
        return HttpResponse("The page itself")


MIXINS = {
    "member": access.MemberRequiredMixin,
    "organizer": access.OrganizerRequiredMixin,
    "coach": access.CoachRequiredMixin,
    "editor": access.EditorRequiredMixin,
}
urlpatterns = [
    *(
        path(f"only/{role}/", getattr(access, f"{role}_required")(page), name=f"{role}-function")
        for role in ROLES
    ),
    *(
        path(f"only/{role}/class/", type(f"{role}Page", (mixin, Page), {}).as_view())
        for role, mixin in MIXINS.items()
    ),
    path("", include("config.urls")),
]
URLS = [f"/only/{role}/" for role in ROLES] + [f"/only/{role}/class/" for role in ROLES]
pytestmark = pytest.mark.urls(__name__)


@pytest.fixture
def editor(db) -> User:
    user = make_user("editor@example.com", name="Edith Editor", groups=[User.EDITORS])
    make_member(user, company="Editorial Co")
    return user


def role_of(url: str) -> str:
    return url.split("/")[2]


@pytest.mark.parametrize("url", URLS)
def test_anonymous_people_are_asked_to_sign_in_and_come_back(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url", URLS)
def test_each_page_opens_for_exactly_the_people_with_its_role(client_for, request, url, persona):
    client = client_for(request.getfixturevalue(persona))

    response = client.get(url)

    if persona in ADMITTED[role_of(url)]:
        assert response.status_code == 200
        assert response.content == b"The page itself"
    else:
        assert response.status_code == 403
        assert b"The page itself" not in response.content


@pytest.mark.parametrize("url", ["/only/member/", "/only/member/class/"])
@pytest.mark.parametrize("persona", ["outsider", "applicant", "organizer"])
def test_people_who_are_not_members_are_told_who_members_pages_are_for(
    client_for, request, url, persona
):
    client = client_for(request.getfixturevalue(persona))

    response = client.get(url)

    assert response.status_code == 403
    assert "This page is for members" in response.content.decode()


def test_a_revoked_member_is_no_longer_let_into_members_pages(client_for, member):
    member.member.status = member.member.Status.REVOKED
    member.member.save()

    response = client_for(member).get("/only/member/")

    assert response.status_code == 403
    assert "This page is for members" in response.content.decode()


def test_a_member_on_an_organizers_page_is_told_so_on_a_page_of_the_site(client_for, member):
    response = client_for(member).get("/only/organizer/")

    assert response.status_code == 403
    page = response.content.decode()
    assert "This page is not available to you" in page
    assert "Back to the home page" in page


def test_an_unknown_address_answers_a_page_of_the_site_not_found(client_for, member):
    response = client_for(member).get("/no-such-page/")

    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()
