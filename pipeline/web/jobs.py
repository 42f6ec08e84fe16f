"""Preparation runs started from the browser: the same `aprepare` as the CLI, one thread and event
loop per run, node events kept for the page's event stream, cancel, resume from the checkpoint."""

from __future__ import annotations

import asyncio
import shutil
import threading
import time
from dataclasses import asdict
from datetime import datetime, timezone

from pipeline.errors import failure
from pipeline.report.render import write_report
from pipeline.prep.run import NodeEvent, aprepare
from pipeline.settings import Settings
from pipeline.web.steps import Estimate, step_name, time_left_words
from pipeline.web.workspace import PREVIOUS_REPORT_FILE, REPORT_FILE, Workspace

RUNNING, DONE, FAILED, CANCELLED = "running", "done", "failed", "cancelled"


class Busy(Exception):
    """Another case is being prepared (one run at a time: the embedded model takes the machine)."""


def failure_message(exc: BaseException) -> str:
    """One line for the page, as the CLI would say it."""
    return failure(exc)[0]


class PrepareJob:
    """One run of the prepare graph on one workspace case."""

    def __init__(self, workspace: Workspace, case: str, settings: Settings, *, resume: bool,
                 team_server: str | None = None):
        self.workspace, self.case, self.settings, self.resume = workspace, case, settings, resume
        self.team_server = team_server
        self.events: list[dict] = []
        self.status = RUNNING
        self.started = time.perf_counter()
        self.estimate = Estimate()
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task | None = None
        self._cancelled = False
        self._thread = threading.Thread(target=self._main, name=f"prepare-{case}", daemon=True)

    def start(self) -> PrepareJob:
        self.workspace.save_run_state(self.case, {"status": RUNNING, "started_at": _now()})
        self._thread.start()
        return self

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            if self._loop is not None and self._task is not None:
                self._loop.call_soon_threadsafe(self._task.cancel)

    def wait(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def _emit(self, kind: str, **data) -> None:
        with self._lock:
            self.events.append({"type": kind, "id": len(self.events), **data})

    def _on_node(self, event: NodeEvent) -> None:
        left = self.estimate.seconds_left(event)
        self._emit("node", **asdict(event), step=step_name(event.node),
                   left_s=None if left is None else round(left, 1), left=time_left_words(left))

    def _main(self) -> None:
        try:
            asyncio.run(self._run())
            self._finish(DONE, "")
        except asyncio.CancelledError:
            self._finish(CANCELLED, "cancelled; the nodes that finished are saved, resume to continue")
        except Exception as exc:  # noqa: BLE001 - every failure becomes a message on the page
            self._finish(FAILED, failure_message(exc))

    async def _run(self) -> None:
        with self._lock:
            self._loop, self._task = asyncio.get_running_loop(), asyncio.current_task()
            if self._cancelled:
                raise asyncio.CancelledError
        out = self.workspace.out_dir(self.case)
        if self.team_server:
            from pipeline.server.client import aprepare_remote

            report = await aprepare_remote(self.workspace.case_dir(self.case), self.settings, self.team_server,
                                           progress=lambda line: self._emit("log", line=line))
        else:
            report = await aprepare(self.workspace.case_dir(self.case), self.settings,
                                    progress=lambda line: self._emit("log", line=line), on_node=self._on_node,
                                    checkpoint=self.workspace.checkpoint(self.case), resume=self.resume)
        if (out / REPORT_FILE).is_file():
            shutil.copyfile(out / REPORT_FILE, out / PREVIOUS_REPORT_FILE)
        await asyncio.to_thread(write_report, report, out, kb_dir=self.settings.kb_dir)

    def _finish(self, status: str, error: str) -> None:
        seconds = round(time.perf_counter() - self.started, 2)
        self.workspace.save_run_state(self.case, {"status": status, "error": error, "seconds": seconds,
                                                  "finished_at": _now()})
        with self._lock:
            self.status = status
        self._emit("end", status=status, error=error, seconds=seconds)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Jobs:
    """The app's runs by case; at most one running at a time."""

    def __init__(self, workspace: Workspace, settings: Settings, *, team_server: str | None = None):
        self.workspace, self.settings, self.team_server = workspace, settings, team_server
        self._jobs: dict[str, PrepareJob] = {}
        self._lock = threading.Lock()

    def get(self, case: str) -> PrepareJob | None:
        return self._jobs.get(case)

    def start(self, case: str, *, resume: bool) -> PrepareJob:
        with self._lock:
            running = [name for name, job in self._jobs.items() if job.status == RUNNING]
            if running:
                raise Busy(f"'{running[0]}' is being prepared; wait for it or cancel it first")
            job = self._jobs[case] = PrepareJob(self.workspace, case, self.settings, resume=resume,
                                                team_server=self.team_server).start()
        return job
