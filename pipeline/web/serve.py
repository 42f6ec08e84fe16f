"""Run the app with uvicorn on one address, printing where to open it."""

from __future__ import annotations

from pathlib import Path

from pipeline.settings import Settings
from pipeline.web.security import LOOPBACK_NAMES, check_bind


def serve(workspace: Path, settings: Settings, *, host: str, port: int, allow_remote: bool,
          echo=print, team_server: str | None = None) -> None:
    """Serve until interrupted; InputError (before anything starts) for a non-loopback `host`
    without `allow_remote`."""
    import uvicorn

    from pipeline.web.app import create_app

    warning = check_bind(host, allow_remote)
    if warning:
        echo(warning)
    hosts = ["*"] if warning else [*LOOPBACK_NAMES, host]
    app = create_app(workspace, settings, allowed_hosts=hosts, team_server=team_server)
    shown = f"[{host}]" if ":" in host else host
    echo(f"negoprep: serving {workspace} on http://{shown}:{port}/ (Ctrl-C stops)")
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False, proxy_headers=False)
