"""The workspace folder: `cases/<name>/` (normal case folders, as the CLI reads them) and
`out/<name>/` (reports, as `negoprep prepare cases/<name>` run from the workspace writes them)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import yaml

from pipeline.quality.answer_key import key_for_case, load_key
from pipeline.errors import InputError
from pipeline.case.loading import CASE_FILE, CASE_KEYS
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


def default_workspace() -> Path:
    """The user's data folder for negoprep (e.g. ~/.local/share/negoprep/workspace)."""
    from platformdirs import user_data_path

    return user_data_path("negoprep") / "workspace"


def slug(text: str) -> str:
    """A folder name from free text: lowercase letters, digits and dashes."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48].strip("-")


@dataclass(frozen=True)
class CaseSummary:
    """What the cases page shows for one case."""

    name: str
    title: str
    our_side: str
    counterpart: str
    documents: list[str]
    prepared_at: str
    support: float | None
    recall: float | None
    model: str


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

    def summary(self, name: str) -> CaseSummary:
        meta, report = self.meta(name), self.report(name)
        prepared = ""
        if report is not None:
            stamp = (self.out_dir(name) / REPORT_FILE).stat().st_mtime
            prepared = datetime.fromtimestamp(stamp, timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M")
        case = report.case if report else None
        return CaseSummary(
            name=name, title=meta.get("title") or (case.title if case else "") or name,
            our_side=meta.get("our_side") or (case.our_side if case else ""),
            counterpart=meta.get("counterpart") or (case.counterpart if case else ""),
            documents=self.documents(name), prepared_at=prepared,
            support=report.provenance.support if report else None,
            recall=self.recall(name, report) if report else None,
            model=f"{report.provenance.model} ({report.provenance.backend})" if report else "",
        )

    def run_state(self, name: str) -> dict:
        """The last run's status as the app recorded it ({} before the first run)."""
        try:
            return json.loads((self.out_dir(name) / RUN_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}

    def save_run_state(self, name: str, state: dict) -> None:
        atomic_write_text(self.out_dir(name) / RUN_FILE, json.dumps(state, indent=1))
