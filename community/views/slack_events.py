"""Slack's Events API: https://docs.slack.dev/apis/events-api/

Every request is verified (v0 signature, timestamp within five minutes) before anything is read:
https://docs.slack.dev/authentication/verifying-requests-from-slack/
"""

import json

from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseForbidden, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from slack_sdk.signature import SignatureVerifier

from community.services import slack_state

LINKING_EVENTS = {"team_join", "user_change"}
USER_FLAGS = ("deleted", "is_bot", "is_email_confirmed")


def _is_signed_by_slack(request) -> bool:
    if not settings.SLACK_SIGNING_SECRET:
        return False
    verifier = SignatureVerifier(settings.SLACK_SIGNING_SECRET)
    try:
        return verifier.is_valid_request(request.body, dict(request.headers))
    except ValueError:  # a timestamp that is not a number
        return False


def _linking_user(payload: dict) -> dict | None:
    """The Slack user of a team_join or user_change event; ValueError when the shape is wrong."""
    if payload.get("type") != "event_callback":
        return None
    event = payload.get("event")
    if not isinstance(event, dict):
        raise ValueError("event is not an object")
    if not isinstance(event.get("type"), str):
        raise ValueError("event.type is not a string")
    if event["type"] not in LINKING_EVENTS:
        return None
    user = event.get("user")
    profile = user.get("profile", {}) if isinstance(user, dict) else None
    if not isinstance(user, dict) or not isinstance(user.get("id"), str):
        raise ValueError("user is not an object with an id")
    if not isinstance(profile, dict) or not isinstance(profile.get("email") or "", str):
        raise ValueError("user.profile is not an object with an email")
    if not all(isinstance(user.get(flag, False), bool) for flag in USER_FLAGS):
        raise ValueError("user flags are not booleans")
    return user


@csrf_exempt
@require_POST
def slack_events(request):
    if not _is_signed_by_slack(request):
        return HttpResponseForbidden("Invalid Slack signature.")
    try:
        payload = json.loads(request.body)
    except ValueError:
        return HttpResponseBadRequest("Expected JSON.")
    if not isinstance(payload, dict):
        return HttpResponseBadRequest("Expected a JSON object.")
    if payload.get("type") == "url_verification":
        if not isinstance(payload.get("challenge", ""), str):
            return HttpResponseBadRequest("Expected a challenge string.")
        return JsonResponse({"challenge": payload.get("challenge", "")})
    try:
        user = _linking_user(payload)
    except ValueError as exc:
        return HttpResponseBadRequest(f"Unexpected event: {exc}.")
    if user is not None:
        slack_state.link_slack_user(user)
    return HttpResponse(status=200)
