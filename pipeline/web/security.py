"""Safe-by-default plumbing: security headers, a request body cap, CSRF tokens, loopback binds."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable
from functools import wraps

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pipeline.errors import InputError

SESSION_COOKIE = "negoprep_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
FRAME_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; " \
               "frame-ancestors 'self'; sandbox"
"""For the report shown in a frame: the renderer's own inline style, nothing else, no scripts."""
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_patterns(hosts: list[str]) -> list[str]:
    """The allow-list as Host headers spell it: an IPv6 address in brackets (`[::1]:8000` means `::1`)."""
    patterns = []
    for host in hosts:
        try:
            bracketed = ipaddress.ip_address(host).version == 6
        except ValueError:
            bracketed = False
        patterns.append(f"[{host}]" if bracketed else host)
    return patterns


def check_bind(host: str, allow_remote: bool) -> str | None:
    """A warning when binding beyond this machine is allowed; InputError when it is not."""
    if is_loopback(host):
        return None
    if not allow_remote:
        raise InputError(f"--host {host} would expose the app (and the case materials) to the network; "
                         "pass --allow-remote if you mean it")
    return (f"WARNING: serving on {host}: anyone who can reach this address can read and change the cases; "
            "there is no login")


class _AddHeaders:
    """Pure ASGI middleware: every HTTP response gets `headers(scope)`, replacing same-named ones."""

    def __init__(self, app: ASGIApp):
        self.app = app

    def headers(self, scope: Scope) -> list[tuple[bytes, bytes]]:
        raise NotImplementedError

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = self.headers(scope)
        names = {name for name, _ in extra} - {b"set-cookie"}

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start" and extra:
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": kept + extra}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class SecurityHeaders(_AddHeaders):
    """The Content-Security-Policy and friends on every response; a frame policy on report frames."""

    def headers(self, scope: Scope) -> list[tuple[bytes, bytes]]:
        framed = scope["path"].endswith("/report/frame")
        return [
            (b"content-security-policy", (FRAME_POLICY if framed else CONTENT_SECURITY_POLICY).encode()),
            (b"x-frame-options", b"SAMEORIGIN" if framed else b"DENY"),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"cache-control", b"no-store"),
        ]


class BodyLimit:
    """Refuses request bodies over `max_mb` MiB with 413 and a clear message, without reading them whole."""

    def __init__(self, app: ASGIApp, max_mb: float):
        self.app, self.max_mb, self.max_bytes = app, max_mb, int(max_mb * 1048576)

    def _too_large(self) -> Response:
        return PlainTextResponse(f"The upload is too large: at most {self.max_mb:g} MiB per request.", status_code=413)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._too_large()(scope, receive, send)
            return
        seen = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._too_large()(scope, receive, send)


class _TooLarge(Exception):
    pass


class Csrf:
    """Per-browser session cookie; its CSRF token is an HMAC of it under a per-process secret."""

    def __init__(self, secret: bytes | None = None):
        self.secret = secret or secrets.token_bytes(32)

    def token_for(self, session: str) -> str:
        return hmac.new(self.secret, session.encode(), hashlib.sha256).hexdigest()

    def valid(self, session: str | None, token: str | None) -> bool:
        return bool(session and token) and hmac.compare_digest(self.token_for(session), token)


def session_of(request: Request) -> str:
    """The browser's session id (a new one is set on the response by `SessionCookie`)."""
    return request.cookies.get(SESSION_COOKIE) or request.state.new_session


class SessionCookie(_AddHeaders):
    """Gives every browser a random session id in an HttpOnly, SameSite=Strict cookie."""

    def headers(self, scope: Scope) -> list[tuple[bytes, bytes]]:
        new = None if Request(scope).cookies.get(SESSION_COOKIE) else secrets.token_urlsafe(32)
        scope.setdefault("state", {})["new_session"] = new
        return [(b"set-cookie", f"{SESSION_COOKIE}={new}; Path=/; HttpOnly; SameSite=Strict".encode())] if new else []


Endpoint = Callable[[Request], Awaitable[Response]]


def csrf_protected(endpoint: Endpoint) -> Endpoint:
    """Refuse the request (403) unless it carries this session's CSRF token (header or form field)
    and, when the browser names an Origin, comes from this app's own origin."""

    @wraps(endpoint)
    async def checked(request: Request) -> Response:
        origin = request.headers.get("origin")
        if origin and origin != f"{request.url.scheme}://{request.url.netloc}":
            return PlainTextResponse("Refused: the request came from another site.", status_code=403)
        token = request.headers.get(CSRF_HEADER)
        if token is None and request.headers.get("content-type", "").startswith(
                ("multipart/form-data", "application/x-www-form-urlencoded")):
            token = (await request.form()).get(CSRF_FIELD)
        if not request.app.state.csrf.valid(request.cookies.get(SESSION_COOKIE), token):
            return PlainTextResponse("Refused: the form's security token is missing or stale; reload the page "
                                     "and try again.", status_code=403)
        return await endpoint(request)

    checked.csrf_protected = True
    return checked
