"""The member directory and profile pages: members only, and only what each member chose to show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community.demo import seed_members
from community.models import Member, SelfIdentification
from tests.conftest import make_member, make_user

pytestmark = pytest.mark.django_db
LIST_URL = reverse("member_list")


def add_member(email: str, name: str, **profile) -> Member:
    user = make_user(email, name=name)
    return make_member(user, **profile)


def names_listed(response) -> list[str]:
    return [card["name"] for card in response.context["cards"]]


# Who may see the directory


@pytest.mark.parametrize("url_name", ["member_list", "member_detail"])
def test_anonymous_visitors_are_sent_to_sign_in(client_for, member, url_name):
    args = [member.member.pk] if url_name == "member_detail" else []
    response = client_for(None).get(reverse(url_name, args=args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("persona", ["outsider", "applicant", "organizer"])
@pytest.mark.parametrize("url_name", ["member_list", "member_detail"])
def test_people_who_are_not_members_get_a_friendly_403(
    client_for, member, persona, url_name, request
):
    args = [member.member.pk] if url_name == "member_detail" else []
    user = request.getfixturevalue(persona)
    response = client_for(user).get(reverse(url_name, args=args))
    assert response.status_code == 403
    assert "This page is for members" in response.content.decode()
    assert "Maya Member" not in response.content.decode()


def test_the_403_page_points_an_applicant_to_their_application(client_for, applicant):
    response = client_for(applicant).get(LIST_URL)
    assert reverse("application_status") in response.content.decode()


@pytest.mark.parametrize("persona", ["member", "coach"])
def test_members_see_the_directory_and_profiles(client_for, member, coach, persona, request):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    assert client.get(LIST_URL).status_code == 200
    assert client.get(reverse("member_detail", args=[coach.member.pk])).status_code == 200


def test_a_revoked_member_can_no_longer_open_the_directory(client_for, member):
    Member.objects.filter(user=member).update(status=Member.Status.REVOKED)
    assert client_for(member).get(LIST_URL).status_code == 403


# Listing and searching


def test_the_directory_lists_only_active_members_who_chose_to_be_listed(client_for, member):
    add_member("hidden@example.com", "Hana Hidden", listed_in_directory=False)
    add_member("revoked@example.com", "Rafael Revoked", status=Member.Status.REVOKED)
    add_member("listed@example.com", "Lena Listed")
    response = client_for(member).get(LIST_URL)
    assert names_listed(response) == ["Lena Listed", "Maya Member"]
    assert "Hana Hidden" not in response.content.decode()
    assert "Rafael Revoked" not in response.content.decode()


def test_search_matches_name_job_title_company_and_city(client_for, member):
    add_member("a@example.com", "Ada Okafor", job_title="Head of Platform", company="Globex")
    add_member("b@example.com", "Ben Tanaka", city="Berlin", company="Initech")
    client = client_for(member)
    assert names_listed(client.get(LIST_URL, {"q": "okafor"})) == ["Ada Okafor"]
    assert names_listed(client.get(LIST_URL, {"q": "platform"})) == ["Ada Okafor"]
    assert names_listed(client.get(LIST_URL, {"q": "initech"})) == ["Ben Tanaka"]
    assert names_listed(client.get(LIST_URL, {"q": "berlin"})) == ["Ben Tanaka"]


def edit_in_the_admin(client, member: Member, **changes) -> None:
    """What an organizer does on the member's admin page: change some fields and save."""
    values = {field: getattr(member, field) for field in Member.EDITABLE} | changes
    # A form sends a ticked box as "on" and leaves an unticked one out.
    data = {field: "on" if value is True else value for field, value in values.items()}
    data = {field: value for field, value in data.items() if value is not False}
    # The page's read-only history of membership changes is a formset, with its management form.
    existing = str(member.changes.count())
    data |= {"changes-TOTAL_FORMS": existing, "changes-INITIAL_FORMS": existing}
    url = reverse("admin:community_member_change", args=[member.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_the_member_count_follows_an_organizers_edit_in_the_admin(
    client, client_for, member, organizer
):
    others = [add_member(f"p{i}@example.com", f"Pat Person{i}") for i in range(3)]
    assert "4 members" in client_for(member).get(LIST_URL).content.decode()

    edit_in_the_admin(client_for(organizer), others[0], listed_in_directory=False)

    response = client_for(member).get(LIST_URL)
    assert "3 members" in response.content.decode()
    assert len(names_listed(response)) == 3


def test_the_city_filter_follows_an_organizers_edit_in_the_admin(client_for, member, organizer):
    other = add_member("ada@example.com", "Ada Okafor", city="Berlin")
    assert "Berlin" in city_choices(client_for(member).get(LIST_URL))

    edit_in_the_admin(client_for(organizer), other, city="Porto")

    offered = city_choices(client_for(member).get(LIST_URL))
    assert "Porto" in offered and "Berlin" not in offered


def city_choices(response) -> list[str]:
    return [value for value, _ in response.context["form"].fields["city"].choices]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("erin", ["Erin Walsh"]),
        ("walsh", ["Erin Walsh"]),
        ("devops", ["Omar Quist"]),
        ("hub", ["Omar Quist"]),
        ("port", ["Erin Walsh"]),
        ("head plat", ["Omar Quist"]),
    ],
)
def test_search_matches_names_companies_and_cities_from_the_start_of_a_word(
    client_for, member, query, expected
):
    add_member(
        "erin@example.com",
        "Erin Walsh",
        job_title="VP Engineering",
        company="Deliveroo",
        city="Porto",
    )
    add_member(
        "omar@example.com",
        "Omar Quist",
        job_title="Head of Platform",
        company="DevOps Hub",
        city="Sheffield",
    )
    assert names_listed(client_for(member).get(LIST_URL, {"q": query})) == expected


@pytest.mark.parametrize("query", ["rin", "ngineer", "oo", "ield", "latform", "ops"])
def test_search_does_not_match_inside_a_word(client_for, member, query):
    add_member(
        "erin@example.com",
        "Erin Walsh",
        job_title="VP Engineering",
        company="Deliveroo",
        city="Sheffield",
    )
    add_member("omar@example.com", "Omar Quist", job_title="Head of Platform", company="DevOps Hub")
    assert names_listed(client_for(member).get(LIST_URL, {"q": query})) == []


def test_search_takes_punctuation_literally(client_for, member):
    add_member("ana@example.com", "Ana Costa", company="C++ Tools (EU)")
    client = client_for(member)
    assert names_listed(client.get(LIST_URL, {"q": "c++"})) == ["Ana Costa"]
    assert names_listed(client.get(LIST_URL, {"q": "(eu"})) == ["Ana Costa"]
    assert names_listed(client.get(LIST_URL, {"q": ".*"})) == []


def test_search_never_matches_a_company_or_city_the_member_hides(client_for, member):
    add_member("a@example.com", "Ada Okafor", company="Secretco", show_company=False)
    add_member("b@example.com", "Ben Tanaka", city="Hiddenville", show_city=False)
    client = client_for(member)
    assert names_listed(client.get(LIST_URL, {"q": "secretco"})) == []
    assert names_listed(client.get(LIST_URL, {"q": "hiddenville"})) == []


def test_the_role_filter_keeps_only_that_kind_of_role(client_for, member):
    add_member("cto@example.com", "Cleo Cto", role_kind=Member.RoleKind.CTO)
    response = client_for(member).get(LIST_URL, {"role": "cto"})
    assert names_listed(response) == ["Cleo Cto"]


def test_the_city_filter_offers_only_cities_members_show(client_for, member):
    add_member("a@example.com", "Ada Okafor", city="Berlin")
    add_member("b@example.com", "Ben Tanaka", city="berlin")
    add_member("c@example.com", "Cy Secret", city="Hiddenville", show_city=False)
    response = client_for(member).get(LIST_URL, {"city": "Berlin"})
    offered = [value for value, _ in response.context["form"].fields["city"].choices]
    assert offered == ["", "Berlin", "London"]
    assert names_listed(response) == ["Ada Okafor", "Ben Tanaka"]


def test_an_unknown_filter_value_is_reported_and_ignored(client_for, member):
    response = client_for(member).get(LIST_URL, {"role": "wizard"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert names_listed(response) == ["Maya Member"]


def test_an_empty_result_says_so_and_offers_to_clear_the_filters(client_for, member):
    response = client_for(member).get(LIST_URL, {"q": "zebra"})
    html = response.content.decode()
    assert "No members match “zebra”" in html
    assert "Clear filters" in html


def test_the_directory_is_paginated_and_pages_keep_the_search(client_for, member, settings):
    settings.DIRECTORY_PAGE_SIZE = 2
    for index in range(4):
        add_member(f"p{index}@example.com", f"Pat Person{index}", company="Pagecorp")
    client = client_for(member)
    first = client.get(LIST_URL, {"q": "pagecorp"})
    assert names_listed(first) == ["Pat Person0", "Pat Person1"]
    assert "q=pagecorp&amp;page=2" in first.content.decode()
    second = client.get(LIST_URL, {"q": "pagecorp", "page": 2})
    assert names_listed(second) == ["Pat Person2", "Pat Person3"]


def test_cards_show_company_and_city_only_when_the_member_shows_them(client_for, member):
    add_member(
        "a@example.com", "Ada Okafor", company="Secretco", city="Hiddenville", show_company=False
    )
    add_member("b@example.com", "Ben Tanaka", company="Opencorp", city="Quietown", show_city=False)
    html = client_for(member).get(LIST_URL).content.decode()
    assert "Opencorp" in html
    assert "Secretco" not in html
    assert "Quietown" not in html
    assert "Hiddenville" in html
    assert ">AO<" in html  # initials


def test_cards_escape_what_members_typed(client_for, member):
    add_member(
        "x@example.com", "<b>Bold</b> Name", job_title='CTO "<i>"', company="A&B", city="<Town>"
    )
    html = client_for(member).get(LIST_URL).content.decode()
    assert "&lt;b&gt;Bold&lt;/b&gt; Name" in html
    assert 'CTO &quot;&lt;i&gt;&quot; <span class="muted">at</span> A&amp;B' in html
    assert "&lt;Town&gt;" in html
    assert "<b>Bold</b>" not in html


def test_the_search_form_has_labels_and_a_search_landmark(client_for, member):
    html = client_for(member).get(LIST_URL).content.decode()
    assert '<search aria-label="Search the member directory">' in html
    for field in ("q", "role", "city"):
        assert f'<label for="id_{field}">' in html


def count_queries(client, params: dict) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST_URL, params)
    assert response.status_code == 200
    return len(queries), len(response.context["cards"])


@pytest.mark.parametrize("params", [{}, {"q": "cto", "role": "cto", "city": "Berlin"}])
def test_the_directory_makes_as_many_queries_for_500_members_as_for_10(
    client_for, member, settings, params
):
    settings.DIRECTORY_PAGE_SIZE = 1000  # every member on one page: rendering must not add queries
    client = client_for(member)
    seed_members(10)
    few_queries, few_rows = count_queries(client, params)
    seed_members(500)
    many_queries, many_rows = count_queries(client, params)
    assert many_rows > few_rows
    assert many_queries == few_queries


# Profile pages


def test_a_profile_shows_what_the_member_chose_to_show(client_for, member):
    other = add_member(
        "ada@example.com",
        "Ada Okafor",
        job_title="VP Platform",
        company="Globex",
        city="Berlin",
        pronouns="she/her",
        linkedin_url="https://www.linkedin.com/in/ada-okafor",
        bio="I grew a platform group from 5 to 60.",
    )
    html = client_for(member).get(other.get_absolute_url()).content.decode()
    for shown in (
        "Ada Okafor",
        "VP Platform",
        "Globex",
        "Berlin",
        "she/her",
        "ada-okafor",
        "5 to 60",
    ):
        assert shown in html


def test_a_profile_hides_what_the_member_chose_to_hide(client_for, member):
    other = add_member(
        "ada@example.com",
        "Ada Okafor",
        company="Secretco",
        city="Hiddenville",
        linkedin_url="https://www.linkedin.com/in/hidden-ada",
        bio="A private biography.",
        show_company=False,
        show_city=False,
        show_linkedin=False,
        show_bio=False,
    )
    html = client_for(member).get(other.get_absolute_url()).content.decode()
    assert "Ada Okafor" in html
    for hidden in ("Secretco", "Hiddenville", "hidden-ada", "A private biography"):
        assert hidden not in html


def test_a_profile_never_shows_the_email_address_or_self_identification(client_for, member):
    other = add_member("zanzibar.quokka@example.com", "Ada Okafor")
    SelfIdentification.objects.create(
        user=other.user,
        gender="Distinctivegenderword",
        underrepresented=SelfIdentification.Underrepresented.YES,
        consented_at=timezone.now(),
    )
    html = client_for(member).get(other.get_absolute_url()).content.decode()
    assert "Ada Okafor" in html
    assert "zanzibar" not in html
    assert "Distinctivegenderword" not in html
    assert "under-represented" not in html.lower()


@pytest.mark.parametrize(
    "profile",
    [{"listed_in_directory": False}, {"status": Member.Status.REVOKED}],
    ids=["unlisted", "revoked"],
)
def test_a_member_who_is_not_listed_has_no_profile_page_for_others(client_for, member, profile):
    other = add_member("ada@example.com", "Ada Okafor", **profile)
    assert client_for(member).get(other.get_absolute_url()).status_code == 404


def test_a_profile_that_does_not_exist_is_not_found(client_for, member):
    assert client_for(member).get(reverse("member_detail", args=[999999])).status_code == 404


def test_a_hidden_member_still_sees_their_own_profile_with_a_note(client_for, member):
    Member.objects.filter(user=member).update(listed_in_directory=False)
    response = client_for(member).get(reverse("member_detail", args=[member.member.pk]))
    assert response.status_code == 200
    assert "Only you can see this page" in response.content.decode()
