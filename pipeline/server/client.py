"""The client side of the team server: `negoprep prepare|eval|serve --server URL`.

The case is read here and sent as the run's input `documents` (name and text), so the server never needs
this machine's disk; the report comes back as JSON, is validated as a `PrepReport` and written here with
the usual renderer. The token comes from NEGOPREP_SERVER_TOKEN (env or .env), the engagement from
NEGOPREP_SERVER_ENGAGEMENT (default: the user's first).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pipeline.case.loading import load_case
from pipeline.errors import BackendError, InputError
from pipeline.schemas import PrepReport
from pipeline.server.team import ENGAGEMENT_HEADER
from pipeline.settings import Settings

GRAPH = "negoprep"
# Settings that mean the same on the server; paths on this machine (prompts, knowledge base, model file,
# cache, record) and secrets stay here. `replay` names a cassette on the server.
REMOTE_FIELDS = ("backend", "model", "base_url", "temperature", "seed", "max_output_tokens", "repair_attempts",
                 "max_run_tokens", "max_run_cost", "price_prompt_per_mtok", "price_completion_per_mtok",
                 "language", "pseudonymize", "keep_flagged", "replay", "use_cache",
                 "kb_top_k", "kb_budget_tokens")
RUN_TIMEOUT_S = 3600.0


def headers(settings: Settings) -> dict[str, str]:
    """The token (and engagement) the server wants; InputError without a token."""
    if settings.server_token is None:
        raise InputError("the team server needs a token: set NEGOPREP_SERVER_TOKEN (env or .env)")
    out = {"Authorization": f"Bearer {settings.server_token.get_secret_value()}"}
    if settings.server_engagement:
        out[ENGAGEMENT_HEADER] = settings.server_engagement
    return out


def case_input(path: str | Path, settings: Settings) -> dict[str, Any]:
    """The run's input for the case at `path`: its documents as text, its sides and language."""
    case = load_case(path, max_file_mb=settings.max_file_mb)
    given: dict[str, Any] = {"documents": [{"name": d.name, "text": d.text} for d in case.documents],
                             "name": case.name}
    given.update({k: getattr(case, k) for k in ("our_side", "counterpart", "language") if getattr(case, k)})
    return given


def run_context(settings: Settings) -> dict[str, Any]:
    """The settings that travel with the run: those set here (flags, env, .env) that mean the same there."""
    data = settings.model_dump(mode="json", include=set(REMOTE_FIELDS) & settings.model_fields_set)
    return {k: v for k, v in data.items() if v is not None}


def get_client(url: str, settings: Settings):
    from langgraph_sdk import get_client as sdk_client

    return sdk_client(url=url, headers=headers(settings), timeout=60)


def _refusal(exc: Exception) -> InputError | None:
    import httpx

    if isinstance(exc, httpx.HTTPStatusError) and exc.response.status_code in (401, 403, 404):
        try:
            detail = exc.response.json().get("detail") or exc.response.text
        except ValueError:
            detail = exc.response.text
        return InputError(f"the team server refused ({exc.response.status_code}): {str(detail)[:300]}")
    return None


async def aprepare_remote(path: str | Path, settings: Settings, url: str, *,
                          progress: Callable[[str], None] | None = None) -> PrepReport:
    """Prepare the case at `path` on the team server at `url` and return the validated report."""
    import asyncio

    import httpx

    given = case_input(path, settings)
    client = get_client(url, settings)
    try:
        thread = await client.threads.create(metadata={"case": given["name"]})
        if progress:
            progress(f"submitted {given['name']} to {url} (engagement {thread['metadata'].get('engagement')}, "
                     f"thread {thread['thread_id']})")
        result = await asyncio.wait_for(client.runs.wait(
            thread["thread_id"], GRAPH, input=given, context=run_context(settings), raise_error=True),
            RUN_TIMEOUT_S)
    except httpx.HTTPError as exc:
        raise _refusal(exc) or BackendError("server", f"{url}: {exc}") from exc
    except Exception as exc:  # noqa: BLE001 - a failed run on the server comes back as an error here
        raise BackendError("server", f"the run failed on {url}: {str(exc)[:300]}") from exc
    finally:
        await client.http.client.aclose()
    if not isinstance(result, dict) or "report" not in result:
        raise BackendError("server", f"{url} returned no report: {str(result)[:300]}")
    return PrepReport.model_validate(result["report"])
