"""Every URL, requested by every persona: who may see it, who is redirected, who is refused.

The table lists each of our URL names with what anonymous visitors, applicants, members, coaches and
organizers get from a GET. A URL added without an entry fails `test_every_url_has_an_entry_in_the_table`.
The Django admin is covered by a rule instead: every admin URL, named or not, turns away whoever is not
staff, and a sample of admin pages is checked for the organizer.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

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
    "media":                                (404,       404,            404,            404,            404),  # uploaded files, by name
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
    """A topic, a guest author with a public article, and a draft the `member` persona wrote."""
    from content.models import Article
    from tests.content.factories import make_article

    article = make_article()
    draft = make_article("My draft", published_days_ago=None, authors=[])
    Article.objects.filter(pk=draft.pk).update(created_by=world("member"))
    return {
        "article": article,
        "draft": draft,
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


def a_composition_run():
    from circles.models import CompositionRun

    return CompositionRun.objects.create(round=a_round())


# Where a URL needs an object: the `member` persona's profile; a round of circles, its
# composition.
PATHS = {
    "member_detail": lambda world: f"/members/{world('member').member.pk}/",
    "circles:signup_edit": circles_path("/circles/{slug}/sign-up/"),
    "circles:signup_withdraw": circles_path("/circles/{slug}/sign-up/withdraw/"),
    "circles:round_detail": circles_path("/organize/circles/{slug}/"),
    "circles:round_edit": circles_path("/organize/circles/{slug}/edit/"),
    "circles:import_upload": circles_path("/organize/circles/{slug}/import/"),
    "circles:import_columns": circles_path("/organize/circles/{slug}/import/{pk}/columns/", "csv"),
    "circles:import_preview": circles_path("/organize/circles/{slug}/import/{pk}/"),
    "circles:import_apply": circles_path("/organize/circles/{slug}/import/{pk}/apply/"),
    "circles:import_cancel": circles_path("/organize/circles/{slug}/import/{pk}/cancel/"),
    "circles:import_correct": circles_path("/organize/circles/{slug}/import/{pk}/correct/"),
    "circles:signup_detail": circles_path("/organize/circles/{slug}/sign-ups/{pk}/"),
    "circles:signup_correct": circles_path("/organize/circles/{slug}/sign-ups/{pk}/correct/"),
    "circles:round_review": lambda world: f"/organize/circles/{a_round().slug}/review/",
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

    def get(name):
        if name == "anonymous":
            return None
        if name == "circles":
            if name not in made:
                made[name] = circles_world()
            return made[name]
        if name == "content":
            if name not in made:
                made[name] = content_world(get)
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
