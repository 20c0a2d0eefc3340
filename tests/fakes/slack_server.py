"""A local Slack Web API server with state, for tests and benchmarks.

It speaks, over real HTTP, the parts of https://docs.slack.dev/reference/methods the site uses, so
the real slack-sdk client is pointed at it with `base_url` and nothing inside slack-sdk is patched.
It keeps users, channels and memberships; paginates with cursors (at most 200 items a page, as
Slack recommends); can be told to answer 429 with Retry-After, 5xx, slow replies or a given error;
and counts the calls it receives by method.

    with FakeSlack() as slack:
        slack.add_user("ada@example.com")
        slack.add_channel("general")
        client = WebClient(token=slack.bot_token, base_url=slack.base_url)
"""

import base64
import hashlib
import hmac
import itertools
import json
import threading
import time
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PAGE_LIMIT = 200
INVITE_LIMIT = 100
WRITE_METHODS = frozenset(
    {
        "conversations.create",
        "conversations.join",
        "conversations.invite",
        "conversations.kick",
        "conversations.archive",
        "admin.users.invite",
        "admin.users.remove",
    }
)
ADMIN_METHODS = frozenset({"admin.users.invite", "admin.users.remove"})
PERSON = "U0PERSON1"  # the creator of channels people made


class SlackFailure(Exception):
    def __init__(self, error: str, **extra):
        super().__init__(error)
        self.error = error
        self.extra = extra


@dataclass
class Fault:
    method: str | None  # None: any method
    times: int | None  # None: until cleared
    status: int = 200
    error: str = ""
    retry_after: int | None = None
    delay: float = 0.0
    body: str = ""  # a non-JSON body (an HTML page from a proxy)
    extra: dict | None = None  # more fields of the error answer
    every: int = 1  # only every n-th matching call
    seen: int = 0

    def matches(self, method: str) -> bool:
        if not (self.method is None or self.method == method):
            return False
        if self.times is not None and self.times <= 0:
            return False
        self.seen += 1
        return self.seen % self.every == 0


class FakeSlack:
    def __init__(
        self,
        *,
        bot_token: str = "xoxb-fake-bot",
        admin_token: str | None = None,
        team_id: str = "TFAKE0001",
    ):
        self.bot_token = bot_token
        self.admin_token = admin_token
        self.team_id = team_id
        self.users: dict[str, dict] = {}
        self.channels: dict[str, dict] = {}
        self.invitations: dict[str, list[str]] = {}  # email -> channel ids (Enterprise Grid)
        self.invite_refusals: dict[str, str] = {}  # user id -> error conversations.invite gives
        self.calls: Counter[str] = Counter()
        self.faults: list[Fault] = []
        self._ids = itertools.count(1)
        self._lock = threading.RLock()
        self._server: ThreadingHTTPServer | None = None
        self.bot_user_id = self._add_user("bot@fake.slack", name="roundtable", is_bot=True)

    # The workspace, as tests set it up and inspect it

    def _add_user(self, email: str, *, name: str, is_bot=False, confirmed=True) -> str:
        user_id = f"U{next(self._ids):08d}"
        self.users[user_id] = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name or email.split("@")[0],
            "real_name": name,
            "deleted": False,
            "is_bot": is_bot,
            "is_email_confirmed": confirmed,
            "profile": {"email": "" if is_bot else email, "real_name": name},
        }
        return user_id

    def add_user(self, email: str, *, name: str = "", confirmed: bool = True) -> str:
        with self._lock:
            return self._add_user(email, name=name, confirmed=confirmed)

    def user(self, user_id: str) -> dict:
        return self.users[user_id]

    def user_by_email(self, email: str) -> dict | None:
        email = email.lower()
        with self._lock:
            return next(
                (u for u in self.users.values() if u["profile"]["email"].lower() == email), None
            )

    def add_channel(
        self,
        name: str,
        *,
        private: bool = False,
        members=(),
        bot_is_member: bool = True,
        is_general: bool = False,
        creator: str = PERSON,
    ) -> str:
        """A channel someone made (`creator`, a person unless told otherwise)."""
        with self._lock:
            channel_id = f"C{next(self._ids):08d}"
            self.channels[channel_id] = {
                "id": channel_id,
                "name": name,
                "creator": creator,
                "is_private": private,
                "is_archived": False,
                "is_general": is_general,
                "members": set(members) | ({self.bot_user_id} if bot_is_member else set()),
            }
            return channel_id

    def channel(self, name: str) -> dict | None:
        with self._lock:
            return next((c for c in self.channels.values() if c["name"] == name), None)

    def members(self, name: str) -> set[str]:
        """Who is in the channel, the app's bot left out."""
        channel = self.channel(name)
        return set() if channel is None else channel["members"] - {self.bot_user_id}

    def accept_invitation(self, email: str, *, name: str = "") -> str:
        """The invited person joins (Enterprise Grid invitations put them in the channels given)."""
        with self._lock:
            channel_ids = self.invitations.pop(email.lower(), [])
            user_id = self._add_user(email, name=name)
            for channel_id in channel_ids:
                self.channels[channel_id]["members"].add(user_id)
            return user_id

    # Faults

    def rate_limit(self, times: int | None = 1, *, retry_after: int = 1, method=None) -> None:
        """Answer 429 with Retry-After to the next `times` calls (of `method`, or of any)."""
        self.faults.append(
            Fault(method, times, status=429, error="ratelimited", retry_after=retry_after)
        )

    def rate_limit_every(self, every: int, *, retry_after: int = 0, method=None) -> None:
        """Answer 429 to every `every`-th call (of `method`, or of any), until cleared."""
        self.faults.append(
            Fault(
                method, None, status=429, error="ratelimited", retry_after=retry_after, every=every
            )
        )

    def server_error(self, times: int | None = 1, *, status: int = 500, method=None) -> None:
        self.faults.append(Fault(method, times, status=status))

    def html_page(self, times: int | None = 1, *, method=None) -> None:
        """Answer 200 with an HTML page, as a proxy in front of Slack sometimes does."""
        self.faults.append(Fault(method, times, body="<html><body>Bad gateway</body></html>"))

    def missing_scope(self, method: str, needed: str, *, times: int | None = None) -> None:
        """Refuse `method` as Slack does when the app lacks a scope: it names the one needed."""
        extra = {"needed": needed, "provided": "channels:read,chat:write"}
        self.faults.append(Fault(method, times, error="missing_scope", extra=extra))

    def refuse_invites(self, user_id: str, error: str) -> None:
        """conversations.invite refuses this user with `error` (in its `errors` array)."""
        with self._lock:
            self.invite_refusals[user_id] = error

    def slow(self, seconds: float, *, times: int | None = None, method=None) -> None:
        self.faults.append(Fault(method, times, delay=seconds))

    def fail(self, method: str, error: str, *, times: int | None = 1) -> None:
        """Answer {"ok": false, "error": error} to the next `times` calls of `method`."""
        self.faults.append(Fault(method, times, error=error))

    def clear_faults(self) -> None:
        self.faults.clear()

    # Counting

    @property
    def write_calls(self) -> int:
        return sum(n for method, n in self.calls.items() if method in WRITE_METHODS)

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())

    def reset_calls(self) -> None:
        self.calls.clear()

    # Serving

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start() the server first"
        return f"http://127.0.0.1:{self._server.server_address[1]}/api/"

    def start(self) -> "FakeSlack":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # slack-sdk sends every method as a POST
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                url = urlparse(self.path)
                params = {k: v[-1] for k, v in parse_qs(url.query).items()}
                params.update({k: v[-1] for k, v in parse_qs(body).items()})
                token = (self.headers.get("Authorization") or "").removeprefix("Bearer ").strip()
                method = url.path.rsplit("/", 1)[-1]
                status, headers, payload = fake.respond(method, params, token)
                data = payload.encode()
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                try:
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the client timed out
                    pass

            do_GET = do_POST

            def log_message(self, *args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> "FakeSlack":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _fault_for(self, method: str) -> Fault | None:
        with self._lock:
            fault = next((f for f in self.faults if f.matches(method)), None)
            if fault is not None and fault.times is not None:
                fault.times -= 1
            return fault

    def respond(self, method: str, params: dict, token: str) -> tuple[int, dict, str]:
        with self._lock:
            self.calls[method] += 1
        json_type = {"Content-Type": "application/json; charset=utf-8"}
        fault = self._fault_for(method)
        if fault is not None:
            time.sleep(fault.delay)
            if fault.status == 429:
                headers = {**json_type, "Retry-After": str(fault.retry_after)}
                return 429, headers, json.dumps({"ok": False, "error": "ratelimited"})
            if fault.status >= 500:
                return fault.status, {"Content-Type": "text/html"}, "<html>Server error</html>"
            if fault.body:
                return 200, {"Content-Type": "text/html"}, fault.body
            if fault.error:
                answer = {"ok": False, "error": fault.error, **(fault.extra or {})}
                return 200, json_type, json.dumps(answer)
        try:
            with self._lock:
                result = self._dispatch(method, params, token)
        except SlackFailure as failure:
            return (
                200,
                json_type,
                json.dumps({"ok": False, "error": failure.error, **failure.extra}),
            )
        return 200, json_type, json.dumps({"ok": True, **result})

    # The Web API methods

    def _dispatch(self, method: str, params: dict, token: str) -> dict:
        if token not in {self.bot_token, self.admin_token} or not token:
            raise SlackFailure("invalid_auth")
        if (method in ADMIN_METHODS) != (token == self.admin_token):
            raise SlackFailure("not_allowed_token_type")
        handler = getattr(self, "api_" + method.replace(".", "_"), None)
        if handler is None:
            raise SlackFailure("unknown_method")
        return handler(params)

    def _page(self, items: list, params: dict, key: str) -> dict:
        limit = min(int(params.get("limit") or 100), PAGE_LIMIT)
        cursor = params.get("cursor") or ""
        try:
            start = int(base64.b64decode(cursor).decode().removeprefix("offset:")) if cursor else 0
        except ValueError as exc:
            raise SlackFailure("invalid_cursor") from exc
        end = start + limit
        next_cursor = (
            base64.b64encode(f"offset:{end}".encode()).decode() if end < len(items) else ""
        )
        return {key: items[start:end], "response_metadata": {"next_cursor": next_cursor}}

    def _visible_channel(self, params: dict) -> dict:
        channel = self.channels.get(params.get("channel", ""))
        if channel is None or (
            channel["is_private"] and self.bot_user_id not in channel["members"]
        ):
            raise SlackFailure("channel_not_found")
        return channel

    def _channel_json(self, channel: dict) -> dict:
        public = {k: v for k, v in channel.items() if k != "members"}
        return {**public, "is_member": self.bot_user_id in channel["members"]}

    def _user_or_fail(self, user_id: str) -> dict:
        user = self.users.get(user_id)
        if user is None:
            raise SlackFailure("user_not_found")
        return user

    def api_auth_test(self, params):
        return {"team_id": self.team_id, "user_id": self.bot_user_id, "bot_id": "BFAKE0001"}

    def api_users_list(self, params):
        return self._page(list(self.users.values()), params, "members")

    def api_users_lookupByEmail(self, params):
        user = self.user_by_email(params.get("email", ""))
        if user is None or user["deleted"]:
            raise SlackFailure("users_not_found")
        return {"user": user}

    def api_conversations_list(self, params):
        types = set((params.get("types") or "public_channel").split(","))
        visible = [
            self._channel_json(c)
            for c in self.channels.values()
            if ("private_channel" if c["is_private"] else "public_channel") in types
            and (not c["is_private"] or self.bot_user_id in c["members"])
            and not (params.get("exclude_archived") in ("1", "true") and c["is_archived"])
        ]
        return self._page(visible, params, "channels")

    def api_conversations_create(self, params):
        name = params.get("name", "")
        if not name or name != name.lower() or len(name) > 80:
            raise SlackFailure("invalid_name")
        if any(c["name"] == name for c in self.channels.values()):
            raise SlackFailure("name_taken")
        private = params.get("is_private") in ("1", "true")
        channel_id = self.add_channel(name, private=private, creator=self.bot_user_id)
        return {"channel": self._channel_json(self.channels[channel_id])}

    def api_conversations_join(self, params):
        channel = self._visible_channel(params)
        if channel["is_private"]:
            raise SlackFailure("method_not_supported_for_channel_type")
        if channel["is_archived"]:
            raise SlackFailure("is_archived")
        already = self.bot_user_id in channel["members"]
        channel["members"].add(self.bot_user_id)
        return {
            "channel": self._channel_json(channel),
            **({"warning": "already_in_channel"} if already else {}),
        }

    def api_conversations_members(self, params):
        channel = self._visible_channel(params)
        return self._page(sorted(channel["members"]), params, "members")

    def api_conversations_invite(self, params):
        """Without force one refusal fails the whole call; with force the others are added."""
        channel = self._visible_channel(params)
        if channel["is_archived"]:
            raise SlackFailure("is_archived")
        if self.bot_user_id not in channel["members"]:
            raise SlackFailure("not_in_channel")
        user_ids = [u for u in (params.get("users") or "").split(",") if u]
        if not user_ids:
            raise SlackFailure("no_user")
        if len(user_ids) > INVITE_LIMIT:
            raise SlackFailure("too_many_users")
        errors = []
        for user_id in user_ids:
            user = self.users.get(user_id)
            if user is None:
                errors.append({"user": user_id, "ok": False, "error": "user_not_found"})
            elif user["deleted"]:
                errors.append({"user": user_id, "ok": False, "error": "user_disabled"})
            elif user_id == self.bot_user_id:
                errors.append({"user": user_id, "ok": False, "error": "cant_invite_self"})
            elif user_id in channel["members"]:
                errors.append({"user": user_id, "ok": False, "error": "already_in_channel"})
            elif user_id in self.invite_refusals:
                errors.append(
                    {"user": user_id, "ok": False, "error": self.invite_refusals[user_id]}
                )
        force = params.get("force") in ("1", "true")
        if errors and not force:
            raise SlackFailure(errors[0]["error"], errors=errors)
        refused = {e["user"] for e in errors}
        channel["members"].update(u for u in user_ids if u not in refused)
        if errors:
            raise SlackFailure(errors[0]["error"], errors=errors)
        return {"channel": self._channel_json(channel)}

    def api_conversations_kick(self, params):
        channel = self._visible_channel(params)
        user_id = params.get("user", "")
        self._user_or_fail(user_id)
        if user_id == self.bot_user_id:
            raise SlackFailure("cant_kick_self")
        if channel["is_general"]:
            raise SlackFailure("cant_kick_from_general")
        if user_id not in channel["members"]:
            raise SlackFailure("not_in_channel")
        channel["members"].discard(user_id)
        return {}

    def api_conversations_archive(self, params):
        channel = self._visible_channel(params)
        if channel["is_general"]:
            raise SlackFailure("cant_archive_general")
        if channel["is_archived"]:
            raise SlackFailure("already_archived")
        channel["is_archived"] = True
        return {}

    def api_admin_users_invite(self, params):
        if params.get("team_id") != self.team_id:
            raise SlackFailure("invalid_team")
        email = (params.get("email") or "").lower()
        existing = self.user_by_email(email)
        if existing is not None and not existing["deleted"]:
            raise SlackFailure("already_in_team")
        channel_ids = [c for c in (params.get("channel_ids") or "").split(",") if c]
        if not channel_ids:
            raise SlackFailure("no_channels_provided")  # Slack requires at least one
        self.invitations[email] = channel_ids
        return {}

    def api_admin_users_remove(self, params):
        if params.get("team_id") != self.team_id:
            raise SlackFailure("invalid_team")
        user = self._user_or_fail(params.get("user_id", ""))
        user["deleted"] = True
        for channel in self.channels.values():
            channel["members"].discard(user["id"])
        return {}


# Slack's side of the Events API: signed requests to the site.
# https://docs.slack.dev/authentication/verifying-requests-from-slack/


def signed_headers(secret: str, body: bytes, *, timestamp: int | None = None) -> dict:
    """Headers (for Django's test client) that sign `body` as Slack does."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    base = f"v0:{timestamp}:".encode() + body
    signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {
        "HTTP_X_SLACK_REQUEST_TIMESTAMP": str(timestamp),
        "HTTP_X_SLACK_SIGNATURE": signature,
    }


def event_body(event: dict, *, team_id: str = "TFAKE0001") -> bytes:
    return json.dumps(
        {
            "type": "event_callback",
            "team_id": team_id,
            "event_id": f"Ev{time.monotonic_ns()}",
            "event_time": int(time.time()),
            "event": event,
        }
    ).encode()
