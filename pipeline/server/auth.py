"""Authentication and engagement walls for the team server (`langgraph_sdk.Auth`, named in
deploy/langgraph.json).

A consultant sends a token (`Authorization: Bearer TOKEN`, or `x-api-key: TOKEN`, which langgraph-sdk sends
from LANGGRAPH_API_KEY) and may name an engagement (`x-negoprep-engagement`; default: the first one the
members file lists for them). Every thread is stamped with its engagement in its metadata at creation, and
every read, run, resume, listing and search is filtered to the engagement the request acts in: another
engagement's thread does not exist for the caller (404), an unknown token gets 401, an engagement the caller
is not a member of 403. Runs and reads are appended to the audit log (`pipeline.server.audit`).
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any
from uuid import UUID, uuid5

from langgraph_sdk import Auth
from starlette.authentication import BaseUser

from pipeline.server import audit
from pipeline.server.team import ENGAGEMENT_HEADER, Roster

GRAPHS = ("negoprep", "rehearsal")
# langgraph-api names each graph's default assistant uuid5(NAMESPACE_GRAPH, graph id)
_GRAPH_BY_ASSISTANT = {str(uuid5(UUID("6ba7b821-9dad-11d1-80b4-00c04fd430c8"), g)): g for g in GRAPHS}
ACTIONS = {"negoprep": "prepare", "rehearsal": "rehearse"}

auth = Auth()
_state: dict[str, Any] = {}


def _roster() -> Roster:
    if "roster" not in _state:
        from pipeline.settings import load_settings

        path = load_settings().server_members
        if path is None:
            raise RuntimeError("the team server needs NEGOPREP_SERVER_MEMBERS (the members file)")
        _state["roster"] = Roster(Path(path))
    return _state["roster"]


def _audit() -> audit.AuditLog:
    if "audit" not in _state:
        _state["audit"] = audit.AuditLog(os.environ["DATABASE_URI"])
    return _state["audit"]


class TeamUser(dict, BaseUser):
    """The authenticated consultant. A dict as well: langgraph-runtime-pg stores the run's user with the run
    as JSON (a plain `BaseUser` would fail to serialise there)."""

    @property
    def identity(self) -> str:
        return self["identity"]

    @property
    def display_name(self) -> str:
        return self["identity"]

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def permissions(self) -> list[str]:
        return list(self.get("permissions", []))


def _forbidden(status: int, detail: str) -> Auth.exceptions.HTTPException:
    return Auth.exceptions.HTTPException(status_code=status, detail=detail)


def _header(headers: dict, name: str) -> str | None:
    value = headers.get(name.encode()) or headers.get(name.title().encode())
    return value.decode("utf-8", "replace").strip() if value else None


@auth.authenticate
async def authenticate(headers: dict) -> TeamUser:
    authorization = _header(headers, "authorization") or ""
    token = authorization[7:].strip() if authorization.lower().startswith("bearer ") else _header(headers, "x-api-key")
    member = await asyncio.to_thread(_roster().member, token)
    if member is None:
        raise _forbidden(401, "a valid negoprep team token is required")
    requested = _header(headers, ENGAGEMENT_HEADER)
    engagement = member.engagement(requested)
    if engagement is None:
        if requested:
            await _audit().append(audit.event(requested, member.user, "refused",
                                              detail={"reason": "not a member of this engagement"}))
        raise _forbidden(403, f"{member.user} is not a member of engagement '{requested or '(none)'}'")
    return TeamUser(identity=member.user, engagement=engagement, permissions=[])


def _scope(ctx: Auth.types.AuthContext) -> dict[str, str]:
    return {"engagement": ctx.user["engagement"]}


@auth.on.threads.create
async def on_thread_create(ctx: Auth.types.AuthContext, value: Auth.types.on.threads.create.value):
    engagement = ctx.user["engagement"]
    metadata = value.setdefault("metadata", {})
    given = metadata.get("engagement")
    if given not in (None, engagement):
        raise _forbidden(403, f"this request acts in engagement '{engagement}', not '{given}' "
                              f"(send the {ENGAGEMENT_HEADER} header)")
    metadata.update(engagement=engagement, created_by=ctx.user.identity)
    return _scope(ctx)


@auth.on.threads.read
async def on_thread_read(ctx: Auth.types.AuthContext, value: Auth.types.on.threads.read.value):
    await _audit().append(audit.event(ctx.user["engagement"], ctx.user.identity, "read",
                                      thread_id=value.get("thread_id"), run_id=value.get("run_id")))
    return _scope(ctx)


@auth.on.threads.search
async def on_thread_search(ctx: Auth.types.AuthContext, value: Auth.types.on.threads.search.value):
    return _scope(ctx)


@auth.on.threads.update
async def on_thread_update(ctx: Auth.types.AuthContext, value: Auth.types.on.threads.update.value):
    metadata = value.get("metadata") or {}
    if metadata.get("engagement") not in (None, ctx.user["engagement"]):
        raise _forbidden(403, "a thread's engagement cannot be changed")
    return _scope(ctx)


@auth.on.threads.delete
async def on_thread_delete(ctx: Auth.types.AuthContext, value: Auth.types.on.threads.delete.value):
    return _scope(ctx)


async def _documents(given: dict) -> list[dict[str, Any]]:
    """Name and hash of each document a run's input sends (or names by a path on the server)."""
    if given.get("documents"):
        return audit.document_digests(given["documents"])
    if given.get("path"):
        def read() -> list[dict[str, Any]]:
            from pipeline.case.loading import load_case

            try:
                case = load_case(given["path"])
            except Exception:  # noqa: BLE001 - the run itself reports a bad path; the log notes the path
                return [{"name": str(given["path"]), "sha256": None, "bytes": None}]
            return audit.document_digests({"name": d.name, "text": d.text} for d in case.documents)

        return await asyncio.to_thread(read)
    return []


def _backend(context: dict | None) -> tuple[str | None, str | None]:
    """The backend and model a run's context resolves to on this server."""
    from pipeline.settings import Settings

    try:
        settings = Settings.model_validate(context or {})
    except Exception:  # noqa: BLE001 - the run fails on its own settings; the log keeps what it can
        return None, None
    if settings.replay:
        return "replay", str(settings.replay.name)
    backend = settings.resolved_backend()
    model = settings.model or (str(settings.model_path) if settings.model_path else None)
    if backend == "openai":
        return f"openai:{settings.effective_base_url() or 'api.openai.com'}", model or "gpt-4o-mini"
    return backend, model or "default preset"


@auth.on.threads.create_run
async def on_run(ctx: Auth.types.AuthContext, value: Auth.types.on.threads.create_run.value):
    if not value.get("thread_id"):
        raise _forbidden(403, "runs belong to an engagement: create a thread first")
    kwargs = value.get("kwargs") or {}
    assistant = str(value.get("assistant_id") or "")
    graph = _GRAPH_BY_ASSISTANT.get(assistant, assistant)
    given = kwargs.get("input") or {}
    action = "resume" if kwargs.get("command") else ACTIONS.get(graph, "run")
    backend, model = await asyncio.to_thread(_backend, kwargs.get("context"))
    documents = await _documents(given) if isinstance(given, dict) else []
    value.setdefault("metadata", {}).update(engagement=ctx.user["engagement"], requested_by=ctx.user.identity)
    await _audit().append(audit.event(ctx.user["engagement"], ctx.user.identity, action, graph=graph,
                                      thread_id=value.get("thread_id"), run_id=value.get("run_id"),
                                      backend=backend, model=model, documents=documents))
    return _scope(ctx)


@auth.on.assistants.read
async def on_assistant_read(ctx: Auth.types.AuthContext, value: Any) -> bool:
    return True


@auth.on.assistants.search
async def on_assistant_search(ctx: Auth.types.AuthContext, value: Any) -> bool:
    return True


@auth.on
async def deny_the_rest(ctx: Auth.types.AuthContext, value: Any) -> bool:
    """Assistants' creation and changes, crons and the store: not for consultants."""
    raise _forbidden(403, f"{ctx.resource}.{ctx.action} is not allowed on the team server")
