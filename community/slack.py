"""The Slack Web API, the one place the site talks to Slack: https://docs.slack.dev/reference/methods

A thin wrapper over slack-sdk's WebClient. Every call has a timeout and errors become one of two
exceptions: `TransientSlackError` (timeouts, connection errors, 5xx, 429 with its Retry-After),
worth retrying later, and `PermanentSlackError` (invalid token, unknown user or channel...), worth
recording for a person to look at. Answers that mean "already done" are success.

slack-sdk's retry handlers are turned off: they would sleep the worker on 429, and the caller
reschedules instead.
"""

import http.client
from collections import Counter
from collections.abc import Callable, Iterable, Iterator

from django.conf import settings
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

PAGE_SIZE = 200  # Slack recommends no more than 200 items per page.
INVITE_BATCH = 100  # conversations.invite takes up to 100 users per call.
DEFAULT_RETRY_AFTER = 30

# https://docs.slack.dev/apis/web-api/#errors: Slack's side had a problem; the same call may work later.
TRANSIENT_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)
# Errors about our credentials: no call will work until someone fixes the configuration.
WORKSPACE_ERRORS = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "not_allowed_token_type",
        "no_permission",
        "team_access_not_granted",
        "ekm_access_denied",
        "access_denied",
    }
)
# Errors about one invited user rather than the channel.
USER_ERRORS = frozenset(
    {
        "user_not_found",
        "user_disabled",
        "cant_invite",
        "cant_invite_self",
        "user_is_restricted",
        "user_is_ultra_restricted",
        "ura_max_channels",
        "invitee_cant_see_channel",
        "no_external_invite_permission",
    }
)
ALREADY_DONE = {
    "conversations.invite": {"already_in_channel"},
    "conversations.kick": {"not_in_channel"},
    "conversations.archive": {"already_archived"},
    "conversations.create": {"name_taken"},
    "conversations.join": {"already_in_channel"},
    "admin.users.invite": {"already_in_team", "already_invited", "user_already_invited"},
    "users.lookupByEmail": {"users_not_found"},
}


class SlackError(Exception):
    def __init__(self, message: str, *, method: str = "", code: str = "", data=None):
        super().__init__(message)
        self.method = method
        self.code = code
        self.data = data if isinstance(data, dict) else {}


class TransientSlackError(SlackError):
    """Try again later: after `retry_after` seconds when Slack said so (429), else with backoff."""

    def __init__(self, message: str, *, retry_after: int | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class PermanentSlackError(SlackError):
    """Retrying the same call will not help; a person has to look."""

    @property
    def is_workspace_wide(self) -> bool:
        return self.code in WORKSPACE_ERRORS


class SlackNotConfigured(PermanentSlackError):
    pass


def _retry_after(headers: dict) -> int:
    value = headers.get("Retry-After") or headers.get("retry-after") or DEFAULT_RETRY_AFTER
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return DEFAULT_RETRY_AFTER


def _is_json(headers: dict) -> bool:
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    return "json" in str(content_type).lower()


def _classify(method: str, exc: SlackApiError) -> SlackError:
    response = exc.response
    data = response.data if isinstance(response.data, dict) else {}
    headers = response.headers or {}
    code = str(data.get("error", "")) or f"http_{response.status_code}"
    not_json = not _is_json(headers)  # a proxy's or load balancer's page, not Slack's answer
    if not_json and response.status_code < 300:
        code = "not_json"
    message = f"{method}: {code}"
    if code == "missing_scope" and data.get("needed"):
        message += f" (the app needs the {data['needed']} scope)"
    kwargs = {"method": method, "code": code, "data": data}
    if response.status_code == 429 or code == "ratelimited":
        return TransientSlackError(message, retry_after=_retry_after(headers), **kwargs)
    if response.status_code >= 500 or code in TRANSIENT_ERRORS or not_json:
        return TransientSlackError(message, **kwargs)
    return PermanentSlackError(message, **kwargs)


class SlackClient:
    """The calls the site makes, with their "already done" answers turned into success.

    `calls` counts calls by method; `on_call(method)` runs before each one (the sync uses it to keep
    its lease alive). Slack rate-limits each method on its own
    (https://docs.slack.dev/apis/web-api/rate-limits), so after a 429 the client refuses further
    calls of that method until it is replaced, and the caller gets on with other methods.
    """

    def __init__(
        self,
        *,
        token: str,
        admin_token: str = "",
        team_id: str = "",
        base_url: str = "https://slack.com/api/",
        timeout: int = 10,
        on_call: Callable[[str], None] | None = None,
    ):
        def web(token: str) -> WebClient:
            return WebClient(token=token, base_url=base_url, timeout=timeout, retry_handlers=[])

        self.web = web(token)
        self.admin = web(admin_token) if admin_token else None
        self.team_id = team_id
        self.calls: Counter[str] = Counter()
        self.on_call = on_call
        self.limited: dict[str, int] = {}  # method -> Retry-After of its 429
        self._bot_user_id = ""

    @classmethod
    def from_settings(cls, **kwargs) -> "SlackClient":
        if not settings.SLACK_ENABLED:
            raise SlackNotConfigured("Slack is not configured (SLACK_BOT_TOKEN is not set).")
        return cls(
            token=settings.SLACK_BOT_TOKEN,
            admin_token=settings.SLACK_ADMIN_TOKEN,
            team_id=settings.SLACK_TEAM_ID,
            base_url=settings.SLACK_API_URL,
            timeout=settings.SLACK_TIMEOUT_SECONDS,
            **kwargs,
        )

    @property
    def can_administer(self) -> bool:
        """Enterprise Grid with an admin token: people can be invited and removed directly."""
        return self.admin is not None

    def call(self, method: str, *, admin: bool = False, **params) -> dict:
        """Call `method`; "already done" answers come back as {"ok": False, "already_done": code}."""
        client = self.admin if admin else self.web
        if client is None:
            raise SlackNotConfigured(f"{method} needs SLACK_ADMIN_TOKEN.", method=method)
        if method in self.limited:
            raise TransientSlackError(
                f"{method}: ratelimited", retry_after=self.limited[method], method=method
            )
        if self.on_call:
            self.on_call(method)
        self.calls[method] += 1
        try:
            return getattr(client, method.replace(".", "_"))(**params).data
        except SlackApiError as exc:
            error = _classify(method, exc)
            if error.code in ALREADY_DONE.get(method, ()):
                return {**error.data, "already_done": error.code}
            if isinstance(error, TransientSlackError) and error.retry_after:
                self.limited[method] = error.retry_after
            raise error from exc
        except (OSError, http.client.HTTPException) as exc:  # timeouts, refused connections
            raise TransientSlackError(f"{method}: {exc}", method=method, code="network") from exc
        except SlackClientError as exc:
            raise PermanentSlackError(f"{method}: {exc}", method=method, code="client") from exc

    def page(self, method: str, key: str, cursor: str = "", **params) -> tuple[list, str]:
        """One page of a paginated method and the cursor of the next ("" after the last):
        https://docs.slack.dev/apis/web-api/pagination"""
        data = self.call(method, limit=PAGE_SIZE, cursor=cursor or None, **params)
        return data.get(key, []), (data.get("response_metadata") or {}).get("next_cursor") or ""

    def _pages(self, method: str, key: str, **params) -> Iterator[list]:
        cursor = ""
        while True:
            items, cursor = self.page(method, key, cursor, **params)
            yield items
            if not cursor:
                return

    # Reading

    @property
    def bot_user_id(self) -> str:
        """The app's own user, which is in every channel it manages."""
        if not self._bot_user_id:
            self._bot_user_id = self.call("auth.test").get("user_id", "")
        return self._bot_user_id

    def users(self) -> Iterator[dict]:
        for page in self._pages("users.list", "members"):
            yield from page

    def user_by_email(self, email: str) -> dict | None:
        data = self.call("users.lookupByEmail", email=email)
        return None if data.get("already_done") else data["user"]

    def channels(self, *, private: bool = True) -> Iterator[dict]:
        types = "public_channel,private_channel" if private else "public_channel"
        for page in self._pages(
            "conversations.list", "channels", types=types, exclude_archived=True
        ):
            yield from page

    def channel_member_ids(self, channel_id: str) -> set[str]:
        members: set[str] = set()
        for page in self._pages("conversations.members", "members", channel=channel_id):
            members.update(page)
        return members

    # Writing

    def create_channel(self, name: str, *, private: bool) -> dict | None:
        """The new channel, or None when the name is taken (it may be ours from an earlier run)."""
        data = self.call("conversations.create", name=name, is_private=private)
        return None if data.get("already_done") else data["channel"]

    def join_channel(self, channel_id: str) -> None:
        self.call("conversations.join", channel=channel_id)

    def invite(self, channel_id: str, user_ids: Iterable[str]) -> tuple[set[str], dict[str, str]]:
        """Add users in batches; returns (users added, {user: error} for users Slack refused).

        With force, Slack adds everyone it can and lists the others:
        https://docs.slack.dev/reference/methods/conversations.invite
        """
        user_ids = sorted(user_ids)
        added: set[str] = set()
        refused: dict[str, str] = {}
        for start in range(0, len(user_ids), INVITE_BATCH):
            batch_added, batch_refused = self.invite_batch(
                channel_id, user_ids[start : start + INVITE_BATCH]
            )
            added |= batch_added
            refused |= batch_refused
        return added, refused

    def invite_batch(self, channel_id: str, batch: list[str]) -> tuple[set[str], dict[str, str]]:
        """One call for at most INVITE_BATCH users; the same answer as `invite`."""
        try:
            data = self.call("conversations.invite", channel=channel_id, users=batch, force=True)
        except PermanentSlackError as exc:
            data = {"errors": self._refusals(exc, batch)}
        failures = {
            f.get("user", ""): str(f.get("error", ""))
            for f in data.get("errors") or []
            if isinstance(f, dict)
        }
        if data.get("already_done") and not failures:
            failures = dict.fromkeys(batch, data["already_done"])
        added = {user for user in batch if user not in failures}
        refused = {
            user: code
            for user, code in failures.items()
            if user in batch and code not in ALREADY_DONE["conversations.invite"]
        }
        return added, refused

    @staticmethod
    def _refusals(exc: PermanentSlackError, batch: list[str]) -> list[dict]:
        """Per-user errors of a refused invite, whatever their code (Slack lists each refused user
        in `errors`); re-raises errors about the channel itself."""
        errors = exc.data.get("errors")
        if isinstance(errors, list) and any(isinstance(e, dict) and e.get("user") for e in errors):
            return errors
        if exc.code in USER_ERRORS and len(batch) == 1:
            return [{"user": batch[0], "error": exc.code}]
        raise exc

    def kick(self, channel_id: str, user_id: str) -> bool:
        """Remove a user; False when they were not in the channel."""
        return not self.call("conversations.kick", channel=channel_id, user=user_id).get(
            "already_done"
        )

    def archive(self, channel_id: str) -> bool:
        return not self.call("conversations.archive", channel=channel_id).get("already_done")

    def admin_invite(self, email: str, *, channel_ids: list[str], real_name: str = "") -> bool:
        """Invite someone to the workspace (Enterprise Grid); False when already in or invited."""
        data = self.call(
            "admin.users.invite",
            admin=True,
            team_id=self.team_id,
            email=email,
            channel_ids=channel_ids,
            real_name=real_name or None,
        )
        return not data.get("already_done")

    def admin_remove(self, user_id: str) -> None:
        """Remove someone from the workspace (Enterprise Grid)."""
        self.call("admin.users.remove", admin=True, team_id=self.team_id, user_id=user_id)
