"""What the application and profile forms accept: bounded answers, real names, LinkedIn profiles."""

import pytest
from django.core.exceptions import ValidationError

from community.forms import ApplicationForm, ProfileForm
from community.models import Application, Member
from community.validators import validate_linkedin_profile
from tests.community.test_membership_journeys import COMPLETE, post_application, snapshot
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PROFILE = {
    "full_name": "Maya Member",
    "job_title": "CTO",
    "role_kind": "cto",
    "company": "Contoso",
    "company_size": "51-200",
    "city": "Lisbon",
    "linkedin_url": "https://www.linkedin.com/in/maya",
    "listed_in_directory": "on",
}
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


def application_errors(**answers) -> dict:
    form = ApplicationForm(COMPLETE | answers, instance=Application(), submitting=True)
    form.is_valid()
    return form.errors


def profile_errors(**answers) -> dict:
    form = ProfileForm(PROFILE | answers, instance=Member())
    form.is_valid()
    return form.errors


def test_a_complete_application_is_valid():
    assert application_errors() == {}


@pytest.mark.parametrize("team_size", ["0", "-3", "100001", "99999999"])
def test_a_team_size_out_of_bounds_is_refused_with_one_clear_error(team_size):
    errors = application_errors(team_size=team_size)

    assert list(errors) == ["team_size"]
    assert len(errors["team_size"]) == 1
    assert "required" not in errors["team_size"][0]


@pytest.mark.parametrize("team_size", ["1", "100000"])
def test_a_team_size_from_one_to_a_hundred_thousand_is_accepted(team_size):
    assert application_errors(team_size=team_size) == {}


def test_the_team_size_box_tells_the_browser_its_bounds():
    html = str(ApplicationForm()["team_size"])

    assert 'min="1"' in html and 'max="100000"' in html


@pytest.mark.parametrize(
    "field, limit",
    [
        ("full_name", 150),
        ("job_title", 150),
        ("company", 150),
        ("city", 100),
        ("leadership", 3000),
        ("interests", 500),
        ("referred_by", 150),
        ("pronouns", 40),
    ],
)
def test_every_free_text_answer_has_a_length_limit(field, limit):
    assert application_errors(**{field: "a" * limit}) == {}
    assert list(application_errors(**{field: "a" * (limit + 1)})) == [field]
    assert f'maxlength="{limit}"' in str(ApplicationForm()[field])


def test_twenty_thousand_characters_of_leadership_are_refused_and_nothing_is_saved(client_for):
    user = make_user("grace@example.com")
    client = client_for(user)
    post_application(client, {"full_name": "Grace Hopper"}, button="draft")
    before = snapshot(user.applications.get())

    response = post_application(client, COMPLETE | {"leadership": "x" * 20_000})

    assert "at most 3000 characters" in response.text
    assert snapshot(user.applications.get()) == before


def test_a_negative_team_size_on_the_page_shows_one_error(client_for):
    response = post_application(
        client_for(make_user("grace@example.com")), COMPLETE | {"team_size": "-5"}
    )

    assert "greater than or equal to 1" in response.text
    assert "This field is required to submit your application." not in response.text


# LinkedIn: one rule for both forms, read the way browsers read addresses.

GOOD_LINKEDIN = [
    "https://www.linkedin.com/in/grace-hopper",
    "https://www.linkedin.com/in/grace-hopper/",
    "https://linkedin.com/in/grace-hopper",
    "https://uk.linkedin.com/in/grace-hopper/",
    "https://www.linkedin.com/in/j%C3%B6rg-m%C3%BCller/?originalSubdomain=de",
]
BAD_LINKEDIN = [
    "https://evil.example\\@linkedin.com/",
    "https://evil.example\\@www.linkedin.com/in/grace",
    "https://evil.example@www.linkedin.com/in/grace",
    "https://user:pass@www.linkedin.com/in/grace",
    "https://www.linkedin.com\\@evil.example/in/grace",
    "https://www.linkedin.com:8443/in/grace",
    "http://www.linkedin.com/in/grace",
    "javascript://www.linkedin.com/in/grace",
    "https://www.linkedin.com.evil.example/in/grace",
    "https://notlinkedin.com/in/grace",
    "https://evil.example/in/grace",
    "https://www.linkedin.com/",
    "https://www.linkedin.com/company/northwind",
    "https://www.linkedin.com/in/",
    "https://www.linkedin.com/in/grace/posts",
    "https://www.linkedin.com/in/grace hopper",
]


@pytest.mark.parametrize("url", GOOD_LINKEDIN)
def test_a_linkedin_profile_is_accepted_on_both_forms(url):
    assert application_errors(linkedin_url=url) == {}
    assert profile_errors(linkedin_url=url) == {}


@pytest.mark.parametrize("url", BAD_LINKEDIN)
def test_anything_but_a_linkedin_profile_is_refused_on_both_forms(url):
    with pytest.raises(ValidationError):
        validate_linkedin_profile(url)
    assert list(application_errors(linkedin_url=url)) == ["linkedin_url"]
    assert list(profile_errors(linkedin_url=url)) == ["linkedin_url"]


def test_a_linkedin_address_without_a_scheme_is_read_as_https():
    form = ApplicationForm(COMPLETE | {"linkedin_url": "www.linkedin.com/in/grace"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["linkedin_url"] == "https://www.linkedin.com/in/grace"


def test_the_refusal_says_what_a_profile_address_looks_like():
    [error] = profile_errors(linkedin_url="https://evil.example\\@linkedin.com/")["linkedin_url"]

    assert "https://www.linkedin.com/in/your-name" in error


# Names: something one can read.


@pytest.mark.parametrize(
    "name", [ZERO_WIDTH, f" {ZERO_WIDTH} ", "\u3164", "\u115f\u1160", "\u2800", "...", "42"]
)
def test_an_invisible_or_letterless_name_is_refused_on_both_forms(name):
    assert "full_name" in application_errors(full_name=name)
    assert "full_name" in profile_errors(full_name=name)


def test_invisible_characters_are_dropped_from_a_name():
    form = ProfileForm(
        PROFILE | {"full_name": f"Grace\u200b  Hop{ZERO_WIDTH}per "}, instance=Member()
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["full_name"] == "Grace Hopper"


@pytest.mark.parametrize("name", ["Zoë Ångström", "李小龍", "Nguyễn Thị Minh Khai", "O'Neil-Smith"])
def test_names_in_any_script_are_accepted(name):
    assert application_errors(full_name=name) == {}
    assert profile_errors(full_name=name) == {}


@pytest.mark.parametrize("field", ["job_title", "company", "city"])
def test_an_answer_made_only_of_invisible_characters_counts_as_missing(field):
    assert list(application_errors(**{field: ZERO_WIDTH})) == [field]
