"""The team server as one command: PostgreSQL and Redis (from their wheels, unless URIs are given), the
audit table, then the stock LangGraph server on the `langgraph-runtime-pg` runtime (`langhost serve`), with
deploy/langgraph.json: the `negoprep` and `rehearsal` graphs, the checkpointer on Postgres, the runtime's
migrations applied at start, and the auth handlers of `pipeline.server.auth`. Loopback unless told otherwise.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.server import audit
from pipeline.server.services import LOOPBACK, Postgres, Redis, ServiceError, free_port, stop_process
from pipeline.settings import PROJECT_ROOT

CONFIG = PROJECT_ROOT / "deploy" / "langgraph.json"
START_TIMEOUT_S = 120
# The server's environment: nothing leaves the machine (no analytics, version check or tracing).
OFFLINE_ENV = {
    "LANGGRAPH_CLI_NO_ANALYTICS": "1", "LANGGRAPH_NO_VERSION_CHECK": "true", "LANGSMITH_TRACING": "false",
    "LANGSMITH_TRACING_V2": "false", "LANGCHAIN_TRACING_V2": "false", "LANGCHAIN_TRACING": "false",
}
DROP_ENV = ("LANGSMITH_API_KEY", "LANGCHAIN_API_KEY", "LANGGRAPH_CLOUD_LICENSE_KEY", "LANGSMITH_ENDPOINT",
            "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "LANGGRAPH_API_KEY")


@dataclass
class TeamServer:
    """PostgreSQL, Redis and the API server, each a child process that can be stopped, killed or restarted."""

    data_dir: Path
    members: Path
    port: int = 0
    host: str = LOOPBACK
    database_uri: str | None = None
    redis_uri: str | None = None
    jobs: int = 8
    heartbeat_s: float | None = None
    env: dict[str, str] = field(default_factory=dict)
    postgres: Postgres | None = None
    redis: Redis | None = None
    api: subprocess.Popen | None = None

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir)
        self.port = self.port or free_port()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def log(self) -> Path:
        return self.data_dir / "server.log"

    def start_services(self) -> None:
        """PostgreSQL and Redis, unless their URIs were given; then the audit table."""
        if self.database_uri is None:
            self.postgres = self.postgres or Postgres(self.data_dir / "postgres")
            if not self.postgres.running():
                self.postgres.start()
            self.database_uri = self.postgres.uri
        if self.redis_uri is None:
            self.redis = self.redis or Redis(self.data_dir / "redis")
            if not self.redis.running():
                self.redis.start()
            self.redis_uri = self.redis.uri
        audit.setup(self.database_uri)

    def start_api(self) -> None:
        """The API server (migrations run as it starts); returns once GET /ok answers."""
        import httpx

        env = {k: v for k, v in os.environ.items() if k not in DROP_ENV}
        env.update(OFFLINE_ENV, NEGOPREP_SERVER_MEMBERS=str(Path(self.members).resolve()), **self.env)
        if self.heartbeat_s:
            env["LG_BG_JOB_HEARTBEAT"] = str(self.heartbeat_s)
        cmd = [sys.executable, "-m", "langhost", "serve", "--host", self.host, "--port", str(self.port),
               "-c", str(CONFIG), "--database-uri", self.database_uri, "--redis-uri", self.redis_uri,
               "--n-jobs-per-worker", str(self.jobs), "--no-browser"]
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:
            self.api = subprocess.Popen(cmd, cwd=PROJECT_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=out,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.api.poll() is not None:
                raise ServiceError(f"the API server exited with {self.api.returncode}:\n{self.log_tail()}")
            try:
                if httpx.get(f"{self.url}/ok", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.stop()
        raise ServiceError(f"the API server did not answer within {START_TIMEOUT_S}s:\n{self.log_tail()}")

    def start(self) -> TeamServer:
        try:
            self.start_services()
            self.start_api()
        except BaseException:
            self.stop()
            raise
        return self

    def kill_api(self) -> None:
        """SIGKILL the API server (a crashed worker: no shutdown, no cleanup)."""
        stop_process(self.api, sig=9)

    def stop_api(self) -> None:
        stop_process(self.api)

    def stop(self) -> None:
        self.stop_api()
        for service in (self.redis, self.postgres):
            if service is not None:
                service.stop()

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def __enter__(self) -> TeamServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
