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


def _is_signed_by_slack(request) -> bool:
    if not settings.SLACK_SIGNING_SECRET:
        return False
    verifier = SignatureVerifier(settings.SLACK_SIGNING_SECRET)
    try:
        return verifier.is_valid_request(request.body, dict(request.headers))
    except ValueError:  # a timestamp that is not a number
        return False


@csrf_exempt
@require_POST
def slack_events(request):
    if not _is_signed_by_slack(request):
        return HttpResponseForbidden("Invalid Slack signature.")
    try:
        payload = json.loads(request.body)
    except ValueError:
        return HttpResponseBadRequest("Expected JSON.")
    if payload.get("type") == "url_verification":
        return JsonResponse({"challenge": payload.get("challenge", "")})
    event = payload.get("event") or {}
    if payload.get("type") == "event_callback" and event.get("type") in LINKING_EVENTS:
        slack_state.link_slack_user(event.get("user") or {})
    return HttpResponse(status=200)
