"""The workspace folder: `cases/<name>/` (normal case folders, as the CLI reads them) and
`out/<name>/` (reports, as `negoprep prepare cases/<name>` run from the workspace writes them)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import yaml

from pipeline.quality.answer_key import key_for_case, load_key
from pipeline.errors import InputError
from pipeline.case.loading import CASE_FILE, CASE_KEYS
from pipeline.review import REVIEW_FILE
from pipeline.files import atomic_write_text
from pipeline.case.readers import reader_for
from pipeline.report.render import load_report
from pipeline.prep.run import CHECKPOINT_FILE
from pipeline.schemas import PrepReport
from pipeline.quality.scoring import score_report

CASE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
REPORT_FILE = "report.json"
PREVIOUS_REPORT_FILE = "report.previous.json"
RUN_FILE = "run.json"
CASE_STATE_FILE = "case-state.json"
"""The app's own notes on a case (archived or not), beside its reports."""
REHEARSAL_THREAD_FILE = "rehearsal.current.json"
"""The rehearsal the chat page is playing, so a reload shows it again."""
REVIEW_STATES = ("draft", "reviewed", "approved")
SEARCHED_SUFFIXES = (".md", ".txt")
"""Documents whose own text the case search reads (the others by name; the brief's text is searched too)."""


def default_workspace() -> Path:
    """The user's data folder for negoprep (e.g. ~/.local/share/negoprep/workspace)."""
    from platformdirs import user_data_path

    return user_data_path("negoprep") / "workspace"


def slug(text: str) -> str:
    """A folder name from free text: lowercase letters, digits and dashes."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48].strip("-")


@dataclass(frozen=True)
class CaseSummary:
    """What the cases page shows for one case: its state as badges (`status` is the first), the last run, the model."""

    name: str
    title: str
    our_side: str
    counterpart: str
    documents: list[str]
    prepared_at: str
    support: float | None
    recall: float | None
    model: str
    model_name: str = ""
    status: str = "new"
    badges: list[tuple[str, str]] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    last_run: dict = field(default_factory=dict)
    last_run_at: str = ""
    archived: bool = False


def plain_model(model: str, backend: str) -> str:
    """A model as a person names it: `qwen2.5-7b-instruct-q4_k_m.gguf` (local) is "qwen2.5 7b instruct, on
    this computer"."""
    name = re.sub(r"\.gguf$", "", Path(model).name, flags=re.I)
    name = re.sub(r"[-_.](q\d[\w]*|iq\d[\w]*|f16|f32|bf16)$", "", name, flags=re.I)
    where = {"local": "on this computer", "openai": "through an API"}.get(backend, backend)
    return f"{name.replace('-', ' ').replace('_', ' ')}, {where}" if name else where


def _local_time(stamp: float | str) -> str:
    """An ISO time or a timestamp as the page shows it (local time, to the minute)."""
    try:
        moment = (datetime.fromisoformat(stamp) if isinstance(stamp, str)
                  else datetime.fromtimestamp(stamp, timezone.utc))
    except ValueError:
        return ""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class Workspace:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.cases = self.root / "cases"
        self.out = self.root / "out"
        self.cases.mkdir(parents=True, exist_ok=True)
        self.out.mkdir(parents=True, exist_ok=True)

    def names(self) -> list[str]:
        return sorted(p.name for p in self.cases.iterdir() if p.is_dir() and CASE_NAME.match(p.name))

    def case_dir(self, name: str) -> Path:
        """The folder of an existing case; KeyError for anything else (including `..`)."""
        if not CASE_NAME.match(name) or not (self.cases / name).is_dir():
            raise KeyError(name)
        return self.cases / name

    def out_dir(self, name: str) -> Path:
        return self.out / self.case_dir(name).name

    def checkpoint(self, name: str) -> Path:
        return self.out_dir(name) / CHECKPOINT_FILE

    def new_case(self, requested: str, meta: dict[str, str]) -> Path:
        """Create the folder (a free name derived from `requested`) and its case.yaml."""
        base = slug(requested) or "case-" + datetime.now().strftime("%Y%m%d-%H%M%S")
        name, n = base, 2
        while (self.cases / name).exists():
            name, n = f"{base}-{n}", n + 1
        folder = self.cases / name
        folder.mkdir(parents=True)
        values = {k: meta[k].strip() for k in CASE_KEYS if meta.get(k, "").strip()}
        if values:
            atomic_write_text(folder / CASE_FILE, yaml.safe_dump(values, allow_unicode=True, sort_keys=False))
        return folder

    def meta(self, name: str) -> dict[str, str]:
        """The case.yaml keys (empty when there is none or it is unreadable)."""
        try:
            data = yaml.safe_load((self.case_dir(name) / CASE_FILE).read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError, UnicodeDecodeError):
            return {}
        return {k: str(data[k]) for k in CASE_KEYS if isinstance(data, dict) and data.get(k)}

    def documents(self, name: str) -> list[str]:
        folder = self.case_dir(name)
        return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                      if p.is_file() and reader_for(p) and not p.name.startswith("."))

    def report(self, name: str, file: str = REPORT_FILE) -> PrepReport | None:
        path = self.out_dir(name) / file
        if not path.is_file():
            return None
        try:
            return load_report(path)
        except InputError:
            return None

    def recall(self, name: str, report: PrepReport) -> float | None:
        """The report's recall against the case's answer key, when the case has one."""
        key = key_for_case(self.case_dir(name))
        if key is None:
            return None
        try:
            return score_report(report, load_key(key)).recall
        except InputError:
            return None

    def summary(self, name: str, running: bool = False) -> CaseSummary:
        """The case as the pages show it; `running` when this app is preparing it now."""
        meta, report = self.meta(name), self.report(name)
        prepared = ""
        if report is not None:
            prepared = _local_time((self.out_dir(name) / REPORT_FILE).stat().st_mtime)
        case = report.case if report else None
        run = self.run_state(name)
        changed = self.changed_documents(name) if report else []
        badges = self._badges(report is not None, run, running, changed, self.review_state(name))
        return CaseSummary(
            name=name, title=meta.get("title") or (case.title if case else "") or name,
            our_side=meta.get("our_side") or (case.our_side if case else ""),
            counterpart=meta.get("counterpart") or (case.counterpart if case else ""),
            documents=self.documents(name), prepared_at=prepared,
            support=report.provenance.support if report else None,
            recall=self.recall(name, report) if report else None,
            model=f"{report.provenance.model} ({report.provenance.backend})" if report else "",
            model_name=plain_model(report.provenance.model, report.provenance.backend) if report else "",
            status=badges[0][0], badges=badges, changed=changed, last_run=run,
            last_run_at=_local_time(run.get("finished_at") or run.get("started_at") or "") or prepared,
            archived=self.archived(name),
        )

    @staticmethod
    def _badges(has_report: bool, run: dict, running: bool, changed: list[str],
                review: str | None) -> list[tuple[str, str]]:
        """The case's state, most pressing first: (key, words)."""
        badges = []
        if running:
            badges.append(("running", "running"))
        elif run.get("status") in ("failed", "cancelled", "running"):
            said = {"failed": "last run failed", "cancelled": "last run cancelled"}.get(run["status"],
                                                                                       "last run stopped")
            badges.append(("failed", said))
        if changed:
            badges.append(("out-of-date", "out of date"))
        if has_report:
            badges.append((review or "draft", review or "draft"))
        return badges or [("new", "not prepared yet")]

    def changed_documents(self, name: str) -> list[str]:
        """The documents added or replaced since the report was written (the app only adds documents)."""
        written = (self.out_dir(name) / REPORT_FILE).stat().st_mtime
        folder = self.case_dir(name)
        return [d for d in self.documents(name) if (folder / d).stat().st_mtime > written]

    def review_state(self, name: str) -> str | None:
        """The brief's review state from `review.json` beside the report (None when there is none or it is unreadable)."""
        try:
            state = json.loads((self.out_dir(name) / REVIEW_FILE).read_text(encoding="utf-8")).get("state")
        except (OSError, ValueError, AttributeError):
            return None
        return state if state in REVIEW_STATES else None

    def archived(self, name: str) -> bool:
        return bool(self._case_state(name).get("archived"))

    def set_archived(self, name: str, archived: bool) -> None:
        state = {**self._case_state(name), "archived": archived,
                 "archived_at": datetime.now(timezone.utc).isoformat(timespec="seconds") if archived else None}
        atomic_write_text(self.out_dir(name) / CASE_STATE_FILE, json.dumps(state, indent=1))

    def _case_state(self, name: str) -> dict:
        try:
            state = json.loads((self.out_dir(name) / CASE_STATE_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return state if isinstance(state, dict) else {}

    def matches(self, name: str, summary: CaseSummary, query: str) -> bool:
        """Whether every word of `query` is in the case: its name, title, sides, documents' names, the text of its
        Markdown and text documents, or its brief."""
        words = query.lower().split()
        if not words:
            return True
        texts = [name, summary.title, summary.our_side, summary.counterpart, summary.model, *summary.documents]
        haystack = " ".join(texts).lower()
        if all(w in haystack for w in words):
            return True
        folder, report = self.case_dir(name), self.out_dir(name) / REPORT_FILE
        for path in [*(folder / d for d in summary.documents if d.lower().endswith(SEARCHED_SUFFIXES)), report]:
            try:
                haystack += " " + path.read_text(encoding="utf-8", errors="replace").lower()
            except OSError:
                continue
        return all(w in haystack for w in words)

    def rehearsal_thread(self, name: str) -> str:
        """The thread of the rehearsal the chat page is playing ("" when none)."""
        try:
            return str(json.loads((self.out_dir(name) / REHEARSAL_THREAD_FILE).read_text(encoding="utf-8"))["thread_id"])
        except (OSError, ValueError, KeyError, TypeError):
            return ""

    def save_rehearsal_thread(self, name: str, thread_id: str) -> None:
        """Remember the chat page's rehearsal (forget it with "")."""
        path = self.out_dir(name) / REHEARSAL_THREAD_FILE
        if thread_id:
            atomic_write_text(path, json.dumps({"thread_id": thread_id}))
        else:
            path.unlink(missing_ok=True)

    def run_state(self, name: str) -> dict:
        """The last run's status as the app recorded it ({} before the first run)."""
        try:
            return json.loads((self.out_dir(name) / RUN_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def save_run_state(self, name: str, state: dict) -> None:
        atomic_write_text(self.out_dir(name) / RUN_FILE, json.dumps(state, indent=1))
