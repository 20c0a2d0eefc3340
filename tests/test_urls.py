"""Every URL, requested by every persona: who may see it, who is redirected, who is refused.

The table lists each of our URL names with what anonymous visitors, applicants, members, coaches and
organizers get from a GET. A URL added without an entry fails `test_every_url_has_an_entry_in_the_table`.
The Django admin is covered by a rule instead: every admin URL, named or not, turns away whoever is not
staff, and a sample of admin pages is checked for the organizer.
"""

import re
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

PERSONAS = ("anonymous", "applicant", "member", "coach", "organizer")


@dataclass(frozen=True)
class Redirect:
    """A redirect to `to`; "{path}" in it stands for the URL that was requested."""

    to: str

    def target(self, path: str) -> tuple[str, dict]:
        split = urlsplit(self.to.replace("{path}", path))
        return split.path, parse_qs(split.query)


LOGIN = Redirect("/accounts/login/?next={path}")
ADMIN_LOGIN = Redirect("/admin/login/?next={path}")
REAUTHENTICATE = Redirect("/accounts/reauthenticate/?next={path}")
APPLY = Redirect("/apply/")
STATUS = Redirect("/application/")
DIRECTORY = Redirect("/members/")
ADMIN = Redirect("/admin/")
HOME = Redirect("/")
ICON = Redirect("/static/favicon.ico")
SIGN_IN = Redirect("/accounts/login/")  # no sign-in under way: start one
PASSWORD = Redirect("/accounts/password/change/")  # they have a password: change it instead
PASSWORD_AGAIN = Redirect("/accounts/reauthenticate/")  # no second factor to ask for

# fmt: off
TABLE = {
    # name                                  anonymous   applicant       member          coach           organizer
    "home":                                 (200,       200,            200,            200,            200),
    "code_of_conduct":                      (200,       200,            200,            200,            200),
    "health":                               (200,       200,            200,            200,            200),
    "favicon":                              (ICON,      ICON,           ICON,           ICON,           ICON),
    "application_edit":                     (LOGIN,     200,            DIRECTORY,      DIRECTORY,      200),
    "application_status":                   (LOGIN,     200,            200,            200,            APPLY),
    "application_withdraw":                 (LOGIN,     405,            405,            405,            405),
    "self_identification":                  (LOGIN,     200,            200,            200,            200),
    "member_list":                          (LOGIN,     403,            200,            200,            403),
    "member_detail":                        (LOGIN,     403,            200,            200,            403),
    "account":                              (LOGIN,     200,            200,            200,            200),
    "profile_edit":                         (LOGIN,     STATUS,         200,            200,            STATUS),
    "data_export":                          (LOGIN,     200,            200,            200,            200),
    "account_delete":                       (LOGIN,     200,            200,            200,            200),
    "application_funnel":                   (LOGIN,     403,            403,            403,            200),
    "slack_events":                         (405,       405,            405,            405,            405),  # signed POSTs from Slack only
    # learning circles: members sign up to a round; organizers run rounds and imports
    "circles:open_round_list":              (LOGIN,     403,            200,            200,            403),
    "circles:signup_edit":                  (LOGIN,     403,            200,            200,            403),
    "circles:signup_withdraw":              (LOGIN,     403,            405,            405,            403),
    "circles:round_list":                   (LOGIN,     403,            403,            403,            200),
    "circles:round_create":                 (LOGIN,     403,            403,            403,            200),
    "circles:round_detail":                 (LOGIN,     403,            403,            403,            200),
    "circles:round_edit":                   (LOGIN,     403,            403,            403,            200),
    "circles:import_upload":                (LOGIN,     403,            403,            403,            200),
    "circles:import_columns":               (LOGIN,     403,            403,            403,            200),
    "circles:import_preview":               (LOGIN,     403,            403,            403,            200),
    "circles:import_apply":                 (LOGIN,     403,            403,            403,            405),
    "circles:import_progress":              (LOGIN,     403,            403,            403,            200),
    "circles:import_cancel":                (LOGIN,     403,            403,            403,            405),
    "circles:import_correct":               (LOGIN,     403,            403,            403,            405),
    "circles:signup_detail":                (LOGIN,     403,            403,            403,            200),
    "circles:signup_correct":               (LOGIN,     403,            403,            403,            405),
    # circles: the organizer's review of a round (the changes are POSTs)
    "circles:round_review":                 (LOGIN,     403,            403,            403,            200),
    "circles:move_person":                  (LOGIN,     403,            403,            403,            405),
    "circles:lock_person":                  (LOGIN,     403,            403,            403,            405),
    "circles:lock_circle":                  (LOGIN,     403,            403,            403,            405),
    "circles:compose":                      (LOGIN,     403,            403,            403,            405),
    "circles:cancel_composition":           (LOGIN,     403,            403,            403,            405),
    "circles:composition_progress":         (LOGIN,     403,            403,            403,            200),
    "circles:carry_over_waitlist":          (LOGIN,     403,            403,            403,            405),
    # circles: the members' circle page (its members who accepted, and organizers; other members
    # get a 404), its forms (POSTs) and calendar; the reminder's signed RSVP link (a bad one: 400)
    "circles:circle_detail":                (LOGIN,     403,            404,            404,            200),
    "circles:circle_vote":                  (LOGIN,     403,            404,            404,            405),
    "circles:circle_pick_time":             (LOGIN,     403,            404,            404,            405),
    "circles:circle_rsvp":                  (LOGIN,     403,            404,            404,            405),
    "circles:circle_calendar":              (LOGIN,     403,            404,            404,            200),
    "circles:meeting_note":                 (LOGIN,     403,            404,            404,            405),
    "circles:meeting_attendance":           (LOGIN,     403,            404,            404,            405),
    "circles:meeting_cancel":               (LOGIN,     403,            404,            404,            405),
    "circles:meeting_move":                 (LOGIN,     403,            404,            404,            200),
    "circles:series_cancel":                (LOGIN,     403,            404,            404,            200),
    "circles:rsvp_link":                    (400,       400,            400,            400,            400),
    # circles after composition: a member leaves (only their own circle); organizers fill places,
    # merge and end circles (the changes are POSTs)
    "circles:circle_leave":                 (LOGIN,     403,            200,            404,            403),
    "circles:circle_manage":                (LOGIN,     403,            403,            403,            200),
    "circles:backfill_confirm":             (LOGIN,     403,            403,            403,            405),
    "circles:backfill_dismiss":             (LOGIN,     403,            403,            403,            405),
    "circles:backfill_look_again":          (LOGIN,     403,            403,            403,            405),
    "circles:circle_merge":                 (LOGIN,     403,            403,            403,            405),
    "circles:circle_end":                   (LOGIN,     403,            403,            403,            405),
    # circles after composition: the dashboard, health, renewal, circles members propose
    "circles:dashboard":                    (LOGIN,     403,            403,            403,            200),
    "circles:round_people":                 (LOGIN,     403,            403,            403,            200),
    "circles:circle_health":                (LOGIN,     403,            403,            403,            200),
    "circles:circle_renewal_ask":           (LOGIN,     403,            403,            403,            405),
    "circles:renewal_answer":               (400,       400,            400,            400,            400),  # a bad signed link
    "circles:circle_propose":               (LOGIN,     403,            200,            200,            403),
    "circles:circle_join":                  (LOGIN,     403,            405,            405,            403),
    "circles:circle_leave_forming":         (LOGIN,     403,            405,            405,            403),
    # mentoring: members book coaches; both sides of a booking see it; coaches keep their availability
    "mentoring:coach_list":                 (LOGIN,     403,            200,            200,            403),
    "mentoring:coach_detail":               (LOGIN,     403,            200,            200,            403),
    "mentoring:booking_create":             (LOGIN,     403,            200,            200,            403),
    "mentoring:booking_list":               (LOGIN,     403,            200,            200,            403),
    "mentoring:booking_detail":             (LOGIN,     404,            200,            200,            404),
    "mentoring:booking_move":               (LOGIN,     404,            200,            200,            404),
    "mentoring:booking_cancel":             (405,       405,            405,            405,            405),
    "mentoring:booking_outcome":            (405,       405,            405,            405,            405),
    "mentoring:booking_ics":                (200,       200,            200,            200,            200),  # a signed link
    "mentoring:availability_edit":          (LOGIN,     403,            403,            200,            403),
    "mentoring:rule_delete":                (405,       405,            405,            405,            405),
    "mentoring:exception_delete":           (405,       405,            405,            405,            405),
    # circles: invitations (the organizer confirms before sending; a made-up link is refused to all)
    "circles:send_invitations":             (LOGIN,     403,            403,            403,            200),
    "circles:invitation":                   (400,       400,            400,            400,            400),
    # mentoring: the career framework. The assessments are the member persona's: another member
    # (the coach persona) gets a 404; the review is shared with the coach persona; the changes are
    # POSTs; organizers see anonymous totals only
    "mentoring:growth_home":                (LOGIN,     403,            200,            200,            403),
    "mentoring:assessment_start":           (405,       405,            405,            405,            405),
    "mentoring:assessment_detail":          (LOGIN,     403,            200,            404,            403),
    "mentoring:assessment_edit":            (LOGIN,     403,            200,            404,            403),
    "mentoring:assessment_share":           (405,       405,            405,            405,            405),
    "mentoring:review_detail":              (LOGIN,     404,            200,            200,            404),
    "mentoring:review_adjust":              (405,       405,            405,            405,            405),
    "mentoring:review_propose":             (405,       405,            405,            405,            405),
    "mentoring:review_reopen":              (405,       405,            405,            405,            405),
    "mentoring:review_agree":               (405,       405,            405,            405,            405),
    "mentoring:growth_history":             (LOGIN,     403,            200,            200,            403),
    "mentoring:framework_totals":           (LOGIN,     403,            403,            403,            200),
    # content: the library is open to all (members-only pieces show outsiders a teaser); members
    # write drafts, editors review and publish them (see tests/content/test_writing.py for editors)
    "content:library":                      (200,       200,            200,            200,            200),
    "content:search":                       (200,       200,            200,            200,            200),
    "content:topic_detail":                 (200,       200,            200,            200,            200),
    "content:author_detail":                (200,       200,            200,            200,            200),
    "content:article_detail":               (200,       200,            200,            200,            200),
    "content:public_feed":                  (200,       200,            200,            200,            200),
    "content:members_feed":                 (200,       200,            200,            200,            200),  # the secret is the key
    "content:sitemap":                      (200,       200,            200,            200,            200),
    "content:feed_settings":                (LOGIN,     403,            200,            200,            403),
    "content:feed_reset":                   (LOGIN,     403,            405,            405,            403),
    "content:piece_list":                   (LOGIN,     403,            200,            200,            403),
    "content:piece_create":                 (LOGIN,     403,            200,            200,            403),
    "content:preview":                      (LOGIN,     403,            405,            405,            403),
    "content:image_upload":                 (LOGIN,     403,            405,            405,            403),
    "content:piece_edit":                   (LOGIN,     403,            200,            404,            403),  # the member's own draft
    "content:piece_submit":                 (LOGIN,     403,            405,            405,            403),
    "content:piece_comment":                (LOGIN,     403,            405,            405,            403),
    "content:piece_return":                 (LOGIN,     403,            403,            403,            403),
    "content:piece_schedule":               (LOGIN,     403,            403,            403,            403),
    "content:piece_archive":                (LOGIN,     403,            403,            403,            403),
    # webinars: pages open to all (members-only ones show outsiders a teaser); registering needs an
    # account; the files of a past one go to those who may read it (none stored here: see
    # tests/content/test_webinar_pages.py); the rest is for editors (tests/content/test_webinar_pages.py)
    "content:webinar_list":                 (200,       200,            200,            200,            200),
    "content:webinar_detail":               (200,       200,            200,            200,            200),
    "content:webinar_register":             (LOGIN,     405,            405,            405,            405),
    "content:webinar_cancel_registration":  (LOGIN,     405,            405,            405,            405),
    "content:webinar_file":                 (404,       404,            404,            404,            404),
    "content:webinar_manage_list":          (LOGIN,     403,            403,            403,            403),
    "content:webinar_create":               (LOGIN,     403,            403,            403,            403),
    "content:webinar_edit":                 (LOGIN,     403,            403,            403,            403),
    "content:webinar_schedule":             (LOGIN,     403,            403,            403,            403),
    "content:webinar_cancel":               (LOGIN,     403,            403,            403,            403),
    "content:webinar_delete":               (LOGIN,     403,            403,            403,            403),
    "content:webinar_registrations":        (LOGIN,     403,            403,            403,            403),
    "content:webinar_registrations_csv":    (LOGIN,     403,            403,            403,            403),
    "content:webinar_message":              (LOGIN,     403,            403,            403,            403),
    "content:webinar_recording":            (LOGIN,     403,            403,            403,            403),
    "media":                                (404,       404,            404,            404,            404),  # uploaded files, by name
    # mentoring groups: the coach persona leads one the member persona has joined; the group's page
    # is for its coach, its members and organizers (another member gets a 404, see test_groups_*)
    "mentoring:group_list":                 (LOGIN,     403,            200,            200,            403),
    "mentoring:group_create":               (LOGIN,     403,            403,            200,            403),
    "mentoring:group_join":                 (LOGIN,     403,            200,            200,            403),
    "mentoring:group_detail":               (LOGIN,     403,            200,            200,            200),
    "mentoring:group_calendar":             (LOGIN,     403,            200,            200,            200),
    "mentoring:group_leave":                (LOGIN,     405,            405,            405,            405),
    "mentoring:group_consent":              (LOGIN,     403,            405,            405,            405),
    "mentoring:group_rsvp":                 (LOGIN,     403,            405,            405,            405),
    "mentoring:group_end":                  (LOGIN,     403,            405,            405,            405),
    "mentoring:group_request_accept":       (LOGIN,     403,            405,            405,            405),
    "mentoring:group_request_decline":      (LOGIN,     403,            405,            405,            405),
    "mentoring:group_place_release":        (LOGIN,     403,            405,            405,            405),
    "mentoring:group_session_note":         (LOGIN,     403,            405,            405,            405),
    "mentoring:group_session_attendance":   (LOGIN,     403,            405,            405,            405),
    "mentoring:group_session_cancel":       (LOGIN,     403,            405,            405,            405),
    "mentoring:group_flags":                (LOGIN,     403,            403,            403,            200),
    # mentoring after sessions: notes and action items (POSTs), follow-ups coaches offer (to the
    # member persona), organizers' reliability page and pausing (POSTs)
    "mentoring:booking_note":               (405,       405,            405,            405,            405),
    "mentoring:booking_action_item":        (405,       405,            405,            405,            405),
    "mentoring:booking_action_item_done":   (405,       405,            405,            405,            405),
    "mentoring:offer_create":               (LOGIN,     403,            403,            200,            403),
    "mentoring:reliability_list":           (LOGIN,     403,            403,            403,            200),
    "mentoring:member_pause":               (405,       405,            405,            405,            405),
    "mentoring:member_unpause":             (405,       405,            405,            405,            405),
    # mentorship days: coaches plan, change and cancel theirs; members book their sessions
    "mentoring:day_plan":                   (LOGIN,     403,            403,            200,            403),
    "mentoring:day_detail":                 (LOGIN,     403,            200,            200,            403),
    "mentoring:day_edit":                   (LOGIN,     403,            403,            200,            403),
    "mentoring:day_cancel":                 (405,       405,            405,            405,            405),
    # django-allauth: signing in, up and out, email addresses, passwords
    "account_login":                        (200,       STATUS,         DIRECTORY,      DIRECTORY,      ADMIN),
    "account_signup":                       (200,       STATUS,         DIRECTORY,      DIRECTORY,      ADMIN),
    "account_logout":                       (HOME,      200,            200,            200,            200),
    "account_inactive":                     (200,       200,            200,            200,            200),
    "account_reauthenticate":               (LOGIN,     200,            200,            200,            200),
    "account_email":                        (LOGIN,     200,            200,            200,            200),
    "account_email_verification_sent":      (200,       200,            200,            200,            200),
    "account_confirm_email":                (200,       200,            200,            200,            200),
    "account_confirm_login_code":           (SIGN_IN,   STATUS,         DIRECTORY,      DIRECTORY,      ADMIN),
    "account_change_password":              (LOGIN,     200,            200,            200,            200),
    "account_set_password":                 (LOGIN,     PASSWORD,       PASSWORD,       PASSWORD,       PASSWORD),
    "account_reset_password":               (200,       200,            200,            200,            200),
    "account_reset_password_done":          (200,       200,            200,            200,            200),
    "account_reset_password_from_key":      (200,       200,            200,            200,            200),
    "account_reset_password_from_key_done": (200,       200,            200,            200,            200),
    # django-allauth: two-factor authentication (the organizer persona has TOTP, the others do not;
    # changing it asks for the password again, and a test client sign-in is not a recent one)
    "mfa_index":                            (LOGIN,     200,            200,            200,            200),
    "mfa_authenticate":                     (SIGN_IN,   STATUS,         DIRECTORY,      DIRECTORY,      ADMIN),
    "mfa_reauthenticate":                   (LOGIN,     PASSWORD_AGAIN, PASSWORD_AGAIN, PASSWORD_AGAIN, 200),
    "mfa_activate_totp":                    (LOGIN,     REAUTHENTICATE, REAUTHENTICATE, REAUTHENTICATE, REAUTHENTICATE),
    "mfa_deactivate_totp":                  (LOGIN,     404,            404,            404,            REAUTHENTICATE),
    "mfa_view_recovery_codes":              (LOGIN,     404,            404,            404,            404),
    "mfa_generate_recovery_codes":          (LOGIN,     REAUTHENTICATE, REAUTHENTICATE, REAUTHENTICATE, REAUTHENTICATE),
    "mfa_download_recovery_codes":          (LOGIN,     404,            404,            404,            404),
}
# fmt: on


def circles_world() -> dict:
    """An open round with a sign-up, a CSV import waiting for its columns and a JSON Lines one
    waiting to be applied (made once per test)."""
    from circles.models import ImportBatch
    from tests.circles.factories import make_round, make_signup

    round = make_round()
    batch = {"round": round, "file_name": "f", "sha256": "0" * 64}
    return {
        "round": round,
        "signup": make_signup(round),
        "csv": ImportBatch.objects.create(**batch, file_format="csv", headers=["Email"]),
        "jsonl": ImportBatch.objects.create(**batch, file_format="jsonl"),
    }


def content_world(world) -> dict:
    """A topic, a guest author with a public article, a draft the `member` persona wrote, and a
    public past webinar."""
    from content.models import Article
    from tests.content.factories import make_article, make_past_webinar

    article = make_article()
    draft = make_article("My draft", published_days_ago=None, authors=[])
    Article.objects.filter(pk=draft.pk).update(created_by=world("member"))
    return {
        "article": article,
        "draft": draft,
        "webinar": make_past_webinar(),
        "topic": article.topics.get(),
        "author": article.authors.get(),
    }


def content_path(template: str):
    def build(world) -> str:
        objects = world("content")
        return template.format(**objects)

    return build


def members_feed_path(world) -> str:
    from content.services.feeds import feed_token_for

    return feed_token_for(world("member")).get_absolute_url()


def circles_path(template: str, batch: str = "jsonl"):
    def build(world) -> str:
        objects = world("circles")
        pk = objects["signup"].pk if "sign-ups" in template else objects[batch].pk
        return template.format(slug=objects["round"].slug, pk=pk)

    return build


def a_round():
    from tests.circles.factories import make_round

    return make_round()


def a_circle():
    from circles.models import Circle

    return Circle.objects.create(round=a_round(), number=1, format=Circle.Format.VIDEO)


def a_composition_run():
    from circles.models import CompositionRun

    return CompositionRun.objects.create(round=a_round())


def a_circle_path(template: str):
    """A circle with its meeting series (none of the personas is a member of it)."""

    def build(world) -> str:
        from circles.services import scheduling
        from tests.circles.circle_people import candidate_at, circle_with_members

        circle = circle_with_members(2, slug="circle-page")
        later = timezone.now() + timedelta(days=7)
        candidate = candidate_at(circle, later.year, later.month, later.day, 18, 0)
        scheduling.pick_meeting_time(circle, candidate=candidate, by=None)
        return template.format(pk=circle.pk)

    return build


def a_running_circle(world):
    """An active circle of a round, with the `member` persona in it (accepted)."""
    from circles.models import Circle, CircleMember

    objects = world("circles")
    circle = Circle.objects.create(
        round=objects["round"], number=1, format="video", status=Circle.Status.ACTIVE
    )
    signup = objects["signup"]
    signup.user = world("member")
    signup.save(update_fields=["user"])
    CircleMember.objects.create(circle=circle, signup=signup, status=CircleMember.Status.ACCEPTED)
    return circle


def circle_path(template: str):
    def build(world) -> str:
        circle = a_running_circle(world)
        return template.format(slug=circle.round.slug, pk=circle.pk)

    return build


def mentoring_world(world) -> dict:
    """The coach persona's profile, with a session booked by the member persona."""
    from datetime import time, timedelta

    from django.utils import timezone

    from mentoring.calendar import ics_token
    from mentoring.models import MentorshipDay
    from tests.mentoring.factories import make_booking, make_coach_profile

    profile = make_coach_profile(world("coach"))
    starts_at = timezone.now().replace(microsecond=0) + timedelta(days=3)
    booking = make_booking(profile, world("member"), starts_at, agenda="Hiring")
    day = MentorshipDay.objects.create(
        coach=profile,
        timezone=profile.timezone,
        day=(starts_at + timedelta(days=7)).date(),
        starts_at=time(9),
        ends_at=time(12),
        session_minutes=60,
    )
    token = ics_token(booking, world("member"))
    return {"coach": profile, "booking": booking, "token": token, "day": day}


def framework_world(world) -> dict:
    """The member persona's draft self-assessment, and a complete one shared with the coach
    persona (whom they booked), agreed so the history has a point."""
    from mentoring.services import assessments
    from tests.mentoring.framework_people import agreed_review, direction

    member = world("member")
    review = agreed_review(member, world("mentoring")["coach"])
    draft = assessments.start_assessment(member, direction=direction())
    return {"draft": draft, "review": review}


def framework_path(template: str):
    def build(world) -> str:
        objects = world("framework")
        return template.format(assessment=objects["draft"].pk, review=objects["review"].pk)

    return build


def mentoring_path(template: str):
    def build(world) -> str:
        objects = world("mentoring")
        return template.format(
            coach=objects["coach"].pk,
            booking=objects["booking"].pk,
            token=objects["token"],
            day=objects["day"].pk,
        )

    return build


def group_path(template: str):
    """The coach persona's group, joined by the member persona, with a request waiting."""

    def build(world) -> str:
        from mentoring.services import groups
        from tests.mentoring.groups_people import join, members, open_test_group

        objects = world("mentoring")  # the coach persona's profile
        group = open_test_group(
            objects["coach"].user, first_session_at=timezone.now() + timedelta(days=7)
        )
        join(group, world("member"))
        (asking,) = members(1)
        waiting = groups.request_to_join(group, member=asking, note="Please")
        return template.format(pk=group.pk, request=waiting.pk)

    return build


# Where a URL needs an object: the `member` persona's profile; a round of circles, its
# composition.
PATHS = {
    "mentoring:coach_detail": mentoring_path("/coaching/coaches/{coach}/"),
    "mentoring:booking_create": mentoring_path("/coaching/coaches/{coach}/book/"),
    "mentoring:booking_detail": mentoring_path("/coaching/sessions/{booking}/"),
    "mentoring:booking_move": mentoring_path("/coaching/sessions/{booking}/move/"),
    "mentoring:booking_ics": mentoring_path("/coaching/invitations/{token}.ics"),
    "mentoring:assessment_detail": framework_path("/coaching/growth/assessments/{assessment}/"),
    "mentoring:assessment_edit": framework_path("/coaching/growth/assessments/{assessment}/edit/"),
    "mentoring:review_detail": framework_path("/coaching/growth/reviews/{review}/"),
    "mentoring:group_join": group_path("/coaching/groups/{pk}/join/"),
    "mentoring:group_detail": group_path("/coaching/groups/{pk}/"),
    "mentoring:group_calendar": group_path("/coaching/groups/{pk}/calendar.ics"),
    "mentoring:group_leave": group_path("/coaching/groups/{pk}/leave/"),
    "mentoring:group_consent": group_path("/coaching/groups/{pk}/consent/"),
    "mentoring:group_rsvp": group_path("/coaching/groups/{pk}/rsvp/"),
    "mentoring:group_end": group_path("/coaching/groups/{pk}/end/"),
    "mentoring:group_request_accept": group_path(
        "/coaching/groups/{pk}/requests/{request}/accept/"
    ),
    "mentoring:group_request_decline": group_path(
        "/coaching/groups/{pk}/requests/{request}/decline/"
    ),
    "mentoring:group_place_release": group_path(
        "/coaching/groups/{pk}/requests/{request}/release/"
    ),
    "mentoring:group_session_note": group_path("/coaching/groups/{pk}/sessions/0/note/"),
    "mentoring:group_session_attendance": group_path(
        "/coaching/groups/{pk}/sessions/0/attendance/"
    ),
    "mentoring:group_session_cancel": group_path("/coaching/groups/{pk}/sessions/0/cancel/"),
    "mentoring:day_detail": mentoring_path("/coaching/days/{day}/"),
    "mentoring:day_edit": mentoring_path("/coaching/days/{day}/edit/"),
    "mentoring:offer_create": lambda world: f"/coaching/members/{world('member').pk}/offer/",
    "member_detail": lambda world: f"/members/{world('member').member.pk}/",
    "circles:signup_edit": circles_path("/circles/{slug}/sign-up/"),
    "circles:signup_withdraw": circles_path("/circles/{slug}/sign-up/withdraw/"),
    "circles:round_detail": circles_path("/organize/circles/{slug}/"),
    "circles:round_edit": circles_path("/organize/circles/{slug}/edit/"),
    "circles:import_upload": circles_path("/organize/circles/{slug}/import/"),
    "circles:import_columns": circles_path("/organize/circles/{slug}/import/{pk}/columns/", "csv"),
    "circles:import_preview": circles_path("/organize/circles/{slug}/import/{pk}/"),
    "circles:import_apply": circles_path("/organize/circles/{slug}/import/{pk}/apply/"),
    "circles:import_progress": circles_path("/organize/circles/{slug}/import/{pk}/progress/"),
    "circles:import_cancel": circles_path("/organize/circles/{slug}/import/{pk}/cancel/"),
    "circles:import_correct": circles_path("/organize/circles/{slug}/import/{pk}/correct/"),
    "circles:signup_detail": circles_path("/organize/circles/{slug}/sign-ups/{pk}/"),
    "circles:signup_correct": circles_path("/organize/circles/{slug}/sign-ups/{pk}/correct/"),
    "circles:round_review": lambda world: f"/organize/circles/{a_round().slug}/review/",
    "circles:circle_detail": a_circle_path("/circles/c/{pk}/"),
    "circles:circle_vote": a_circle_path("/circles/c/{pk}/vote/"),
    "circles:circle_pick_time": a_circle_path("/circles/c/{pk}/pick/"),
    "circles:circle_rsvp": a_circle_path("/circles/c/{pk}/rsvp/"),
    "circles:circle_calendar": a_circle_path("/circles/c/{pk}/calendar.ics"),
    "circles:meeting_note": a_circle_path("/circles/c/{pk}/meetings/0/note/"),
    "circles:meeting_attendance": a_circle_path("/circles/c/{pk}/meetings/0/attendance/"),
    "circles:meeting_cancel": a_circle_path("/circles/c/{pk}/meetings/0/cancel/"),
    "circles:meeting_move": a_circle_path("/circles/c/{pk}/meetings/0/move/"),
    "circles:series_cancel": a_circle_path("/circles/c/{pk}/cancel-series/"),
    "circles:circle_leave": circle_path("/circles/c/{pk}/leave/"),
    "circles:circle_manage": circle_path("/organize/circles/{slug}/circles/{pk}/"),
    "circles:round_people": circles_path("/organize/circles/{slug}/people/"),
    "circles:circle_propose": circles_path("/circles/{slug}/propose/"),
    "circles:circle_health": lambda world: (
        "/organize/circles/{0.round.slug}/circles/{0.pk}/health/".format(a_circle())
    ),
    "circles:send_invitations": lambda world: f"/organize/circles/{a_round().slug}/review/invite/",
    "content:topic_detail": content_path("/library/topics/{topic.slug}/"),
    "content:author_detail": content_path("/library/authors/{author.slug}/"),
    "content:article_detail": content_path("/library/{article.slug}/"),
    "content:members_feed": members_feed_path,
    "content:piece_edit": content_path("/write/{draft.pk}/"),
    "content:piece_submit": content_path("/write/{draft.pk}/submit/"),
    "content:piece_comment": content_path("/write/{draft.pk}/comment/"),
    "content:piece_return": content_path("/write/{draft.pk}/return/"),
    "content:piece_schedule": content_path("/write/{draft.pk}/schedule/"),
    "content:piece_archive": content_path("/write/{draft.pk}/archive/"),
    "content:webinar_detail": content_path("/webinars/{webinar.slug}/"),
    "content:webinar_register": content_path("/webinars/{webinar.slug}/register/"),
    "content:webinar_cancel_registration": content_path("/webinars/{webinar.slug}/cancel/"),
    "content:webinar_file": content_path("/webinars/{webinar.slug}/files/slides/"),
    "content:webinar_edit": content_path("/write/webinars/{webinar.pk}/"),
    "content:webinar_schedule": content_path("/write/webinars/{webinar.pk}/schedule/"),
    "content:webinar_cancel": content_path("/write/webinars/{webinar.pk}/cancel/"),
    "content:webinar_delete": content_path("/write/webinars/{webinar.pk}/delete/"),
    "content:webinar_registrations": content_path("/write/webinars/{webinar.pk}/registrations/"),
    "content:webinar_registrations_csv": content_path(
        "/write/webinars/{webinar.pk}/registrations.csv"
    ),
    "content:webinar_message": content_path("/write/webinars/{webinar.pk}/message/"),
    "content:webinar_recording": content_path("/write/webinars/{webinar.pk}/recording/"),
    "circles:composition_progress": lambda world: (
        "/organize/circles/{0.round.slug}/review/runs/{0.pk}/progress/".format(a_composition_run())
    ),
}

# Values for the parameters of URLs that need none of our objects (bad keys are still pages).
SAMPLE_ARGUMENTS = {
    "key": "no-such-key",
    "uidb36": "1",
    "app_label": "community",
    "url": "no-such-page/",
    "content_type_id": "1",
    "object_id": "1",
    "id": "1",
}

# The organizer's view of a sample of the admin: (path builder, expected).
ADMIN_SAMPLES = {
    "index": ("/admin/", 200),
    "login": ("/admin/login/", ADMIN),
    "logout": ("/admin/logout/", 405),  # signing out is a POST
    "password_change": ("/admin/password_change/", 200),
    "jsi18n": ("/admin/jsi18n/", 200),
    "app_list": ("/admin/community/", 200),
    "unknown_page": ("/admin/no-such-page/", 404),
    "application_changelist": ("/admin/community/application/", 200),
    "application_change": (
        lambda world: f"/admin/community/application/{application_pk(world)}/change/",
        200,
    ),
    "application_history": (
        lambda world: f"/admin/community/application/{application_pk(world)}/history/",
        200,
    ),
    "application_add": ("/admin/community/application/add/", 403),  # applicants apply themselves
    "application_delete": (
        lambda world: f"/admin/community/application/{application_pk(world)}/delete/",
        403,
    ),
    "approve_page": (
        lambda world: (
            f"/admin/community/application/decide/approve/?applications={application_pk(world)}"
        ),
        200,
    ),
    "unknown_decision": ("/admin/community/application/decide/promote/", 404),
    "slack_reconcile": ("/admin/community/slacksyncrun/reconcile/", 405),  # a button: POST only
    "member_changelist": ("/admin/community/member/", 200),
    "email_changelist": ("/admin/community/email/", 200),
    "user_changelist": ("/admin/community/user/", 200),
    "user_add": ("/admin/community/user/add/", 403),
    "group_changelist": ("/admin/auth/group/", 403),
    "authenticator_changelist": ("/admin/mfa/authenticator/", 403),
    "auth_app_list": ("/admin/auth/", 404),
    "framework_versions": ("/admin/mentoring/frameworkversion/", 200),
    "framework_version_add": ("/admin/mentoring/frameworkversion/add/", 403),  # versions are copies
    "competency_changelist": ("/admin/mentoring/competency/", 200),
    "direction_changelist": ("/admin/mentoring/direction/", 200),
    "mentor_assignment_add": ("/admin/mentoring/mentorassignment/add/", 200),
}


def application_pk(world) -> int:
    return world("applicant").applications.get().pk


def walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    """Yield (key, namespace, route) for every URL pattern, through every include."""
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = ":".join(filter(None, [namespace, entry.namespace]))
            yield from walk(entry, route, inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield name or route, namespace, route


def sample_path(route: str) -> str:
    """A concrete path for a route such as `members/<int:pk>/` or `^confirm-email/(?P<key>.+)/$`."""

    def value(match: re.Match) -> str:
        return SAMPLE_ARGUMENTS.get(match.group("name"), "1")

    path = re.sub(r"\(\?P<(?P<name>\w+)>[^)]*\)", value, route)
    path = re.sub(r"<(?:\w+:)?(?P<name>\w+)>", value, path)
    return "/" + path.replace("^", "").replace("$", "")


PATTERNS = list(walk(get_resolver()))
ADMIN_ROUTES = {key: route for key, namespace, route in PATTERNS if namespace == "admin"}
OUR_ROUTES = {key: route for key, namespace, route in PATTERNS if namespace != "admin"}
ADMIN_PATTERNS = sorted(ADMIN_ROUTES)


@pytest.fixture
def world(request):
    """`world(persona)` returns that persona's user (None for anonymous), created on first use;
    `world("circles")` and `world("content")` the objects those apps' URLs need."""
    made = {}

    builders = {
        "circles": lambda: circles_world(),
        "mentoring": lambda: mentoring_world(get),
        "framework": lambda: framework_world(get),
        "content": lambda: content_world(get),
    }

    def get(name):
        if name == "anonymous":
            return None
        if name in builders:
            if name not in made:
                made[name] = builders[name]()
            return made[name]
        return request.getfixturevalue(name)

    return get


def check(response, expected, path: str) -> None:
    location = response.headers.get("Location", "")
    if isinstance(expected, Redirect):
        assert response.status_code == 302, f"expected a redirect, got {response.status_code}"
        split = urlsplit(location)
        assert (split.path, parse_qs(split.query)) == expected.target(path)
    else:
        assert response.status_code == expected, f"redirected to {location}" if location else ""


def test_every_url_has_an_entry_in_the_table():
    missing = sorted(set(OUR_ROUTES) - set(TABLE))
    assert not missing, f"add these URLs to the table in tests/test_urls.py: {missing}"


def test_every_entry_in_the_table_is_a_url():
    stale = sorted(set(TABLE) - set(OUR_ROUTES))
    assert not stale, f"these table entries match no URL: {stale}"


def test_every_row_of_the_table_covers_every_persona():
    assert {name: len(row) for name, row in TABLE.items()} == {name: 5 for name in TABLE}


@pytest.mark.parametrize(
    "name, persona",
    [(name, persona) for name in TABLE for persona in PERSONAS],
    ids=lambda value: value,
)
def test_a_persona_gets_the_expected_answer(db, client_for, world, name, persona):
    if name not in OUR_ROUTES:
        pytest.fail(f"{name} is in the table but is not a URL")
    path = PATHS[name](world) if name in PATHS else sample_path(OUR_ROUTES[name])
    response = client_for(world(persona)).get(path)
    check(response, TABLE[name][PERSONAS.index(persona)], path)


@pytest.mark.parametrize(
    "name, persona",
    [(name, persona) for name in ADMIN_PATTERNS for persona in PERSONAS[:4]],
    ids=lambda value: value,
)
def test_the_admin_sends_whoever_is_not_staff_to_its_login(db, client_for, world, name, persona):
    path = sample_path(ADMIN_ROUTES[name])
    response = client_for(world(persona)).get(path)
    if name == "admin:login":  # the admin's login is allauth's, and refuses signed-in non-staff
        check(response, LOGIN if persona == "anonymous" else 403, path)
    elif name == "admin:logout":
        check(response, ADMIN, path)
    else:
        check(response, ADMIN_LOGIN, path)


@pytest.mark.parametrize("sample", ADMIN_SAMPLES)
def test_an_organizer_gets_the_expected_answer_from_the_admin(db, client_for, world, sample):
    path, expected = ADMIN_SAMPLES[sample]
    path = path(world) if callable(path) else path
    check(client_for(world("organizer")).get(path), expected, path)
