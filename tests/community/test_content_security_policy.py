"""Every page comes with a Content-Security-Policy, and our pages need nothing it forbids."""

import re

import pytest

from tests.conftest import give_totp, make_user

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>")
STYLE_ELEMENT_OR_ATTRIBUTE = re.compile(r"<style|\sstyle=")
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+=", re.IGNORECASE)


def policy_of(response) -> dict[str, list[str]]:
    directives = [part.split() for part in response["Content-Security-Policy"].split(";")]
    return {name: values for name, *values in directives}


def test_pages_allow_only_the_sites_own_scripts_and_styles(db, client):
    policy = policy_of(client.get("/"))

    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    every_source = [value for values in policy.values() for value in values]
    assert not [value for value in every_source if "unsafe" in value or "://" in value]


@pytest.mark.parametrize(
    "path", ["/", "/code-of-conduct/", "/accounts/login/", "/accounts/signup/", "/admin/login/"]
)
def test_every_page_a_stranger_sees_has_the_policy(db, client, path):
    response = client.get(path)

    assert "Content-Security-Policy" in response


def pages_of(client, user, paths):
    client.force_login(user)
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        yield path, response.content.decode()


def test_pages_carry_no_inline_script_style_or_event_handler(db, client, applicant, member):
    organizer = make_user("olivia@example.com", groups=["Organizers"], staff=True)
    give_totp(organizer)
    pages = [
        *pages_of(client, applicant, ["/", "/application/"]),
        *pages_of(client, member, ["/members/", "/account/profile/"]),
        *pages_of(
            client,
            organizer,
            [
                "/organize/funnel/",
                "/admin/",
                "/admin/community/application/",
                f"/admin/community/application/{applicant.applications.get().pk}/change/",
            ],
        ),
    ]

    for path, html in pages:
        assert not INLINE_SCRIPT.search(html), (path, INLINE_SCRIPT.search(html).group(0))
        assert not STYLE_ELEMENT_OR_ATTRIBUTE.search(html), path
        assert not EVENT_HANDLER.search(html), (path, EVENT_HANDLER.search(html).group(0))
