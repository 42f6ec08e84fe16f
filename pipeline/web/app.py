"""The app factory: routes, templates, security middleware, the workspace, the run registry."""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.templating import Jinja2Templates

from pipeline.settings import Settings
from pipeline.web.jobs import Jobs
from pipeline.web.rehearsal import Rehearsal, rehearsal_backend
from pipeline.web.review import REVIEW_ROUTES
from pipeline.web.routes import ROUTES
from pipeline.web.security import (LOOPBACK_NAMES, BodyLimit, Csrf, SecurityHeaders, SessionCookie,
                                   host_patterns, session_of)
from pipeline.web.workspace import Workspace

TEMPLATES = Path(__file__).parent / "templates"
MAX_REQUEST_MB = 64.0


def create_app(
    workspace: Path, settings: Settings, *, allowed_hosts: list[str] | None = None,
    max_request_mb: float = MAX_REQUEST_MB, rehearsal: Rehearsal | None = None, team_server: str | None = None,
) -> Starlette:
    """The web app over `workspace`, preparing with `settings`; `allowed_hosts` (Host headers
    accepted, default the loopback names) keeps other sites from reaching it through DNS rebinding; with
    `team_server` (a URL), cases are prepared on the team server."""
    csrf = Csrf()
    templates = Jinja2Templates(directory=TEMPLATES, context_processors=[
        lambda request: {"csrf_token": csrf.token_for(session_of(request))}])
    app = Starlette(
        routes=[*REVIEW_ROUTES, *ROUTES],
        middleware=[
            Middleware(TrustedHostMiddleware, allowed_hosts=host_patterns(allowed_hosts or list(LOOPBACK_NAMES))),
            Middleware(SecurityHeaders),
            Middleware(BodyLimit, max_mb=max_request_mb),
            Middleware(SessionCookie),
        ],
        exception_handlers={HTTPException: _error_page},
    )
    app.state.workspace = Workspace(workspace)
    app.state.settings = settings
    app.state.jobs = Jobs(app.state.workspace, settings, team_server=team_server)
    app.state.rehearsal = rehearsal or rehearsal_backend(settings)
    app.state.csrf = csrf
    app.state.templates = templates
    return app


async def _error_page(request: Request, exc: HTTPException) -> Response:
    return request.app.state.templates.TemplateResponse(
        request, "error.html", {"status": exc.status_code, "message": exc.detail}, status_code=exc.status_code)
