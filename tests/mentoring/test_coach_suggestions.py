"""Coaches suggested to a member on the coach list, from the topics they told us they want to
discuss when they signed up to learning circles."""

import pytest

from mentoring.models import Topic
from tests.circles.factories import make_round, make_signup
from tests.mentoring.factories import make_coach_profile, make_other_member
from tests.mentoring.reading import page_text

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def topics(db):
    return {
        slug: Topic.objects.create(name=name, slug=slug)
        for slug, name in [("hiring", "Hiring"), ("burnout", "Burnout"), ("conflict", "Conflict")]
    }


def coach_teaching(email: str, *topics: Topic):
    profile = make_coach_profile(make_other_member(email))
    profile.topics.set(topics)
    return profile


def test_a_member_sees_coaches_teaching_what_they_want_to_discuss(client_for, member, topics):
    make_signup(make_round(), user=member, email=member.email, topics="Hiring my first managers")
    hiring = coach_teaching("hiring@example.com", topics["hiring"])
    coach_teaching("burnout@example.com", topics["burnout"])
    page = client_for(member).get("/coaching/")
    assert list(page.context["suggested"]) == [hiring]
    assert "They coach on Hiring, which you told us" in page_text(page)


def test_the_suggestion_names_only_the_topics_the_suggested_coaches_coach_on(
    client_for, member, topics
):
    make_signup(make_round(), user=member, email=member.email, topics="hiring, burnout")
    coach_teaching("hiring@example.com", topics["hiring"])
    text = page_text(client_for(member).get("/coaching/"))
    assert "They coach on Hiring, which you told us" in text


def test_nothing_is_suggested_when_no_coach_teaches_the_members_topics(client_for, member, topics):
    make_signup(make_round(), user=member, email=member.email, topics="Conflict in my team")
    coach_teaching("hiring@example.com", topics["hiring"])
    page = client_for(member).get("/coaching/")
    assert not page.context["suggested"]
    assert "Suggested for you" not in page.content.decode()


def test_a_member_who_said_nothing_gets_no_suggestions(client_for, member, topics):
    coach_teaching("hiring@example.com", topics["hiring"])
    assert "Suggested for you" not in client_for(member).get("/coaching/").content.decode()


def test_a_member_is_suggested_coaches_for_the_topics_on_their_profile(client_for, member, topics):
    member.member.interests = "Burnout, mostly mine"
    member.member.save(update_fields=["interests"])
    burnout = coach_teaching("burnout@example.com", topics["burnout"])
    page = client_for(member).get("/coaching/")
    assert list(page.context["suggested"]) == [burnout]
    assert "They coach on Burnout, which you told us" in page_text(page)


def test_a_member_who_said_nothing_is_asked_on_their_profile(client_for, member, topics):
    page = client_for(member).get("/coaching/").content.decode()
    assert "Tell us the topics you would like to talk through" in page
    assert 'href="/account/profile/"' in page


def test_a_coach_teaching_several_of_the_members_topics_is_suggested_once(
    client_for, member, topics
):
    make_signup(make_round(), user=member, email=member.email, topics="hiring and burnout")
    both = coach_teaching("both@example.com", topics["hiring"], topics["burnout"])
    hiring = coach_teaching("hiring@example.com", topics["hiring"])
    page = client_for(member).get("/coaching/")
    assert sorted(page.context["suggested"], key=lambda coach: coach.pk) == [both, hiring]
    assert "They coach on Burnout, Hiring, which you told us" in page_text(page)
