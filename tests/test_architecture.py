"""The layers import one way (import-linter contracts in pyproject.toml) and no module shadows a standard name."""

from __future__ import annotations

import builtins
import sys

from importlinter.cli import lint_imports

from pipeline import schemas
from tests.conftest import ROOT


def test_import_contracts_are_kept(monkeypatch, capsys):
    monkeypatch.chdir(ROOT)
    exit_code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    assert exit_code == 0, capsys.readouterr().out[-4000:]


def test_no_module_shadows_the_standard_library():
    modules = [p.relative_to(ROOT) for base in ("pipeline", "agents") for p in (ROOT / base).rglob("*.py")]
    shadowing = [str(m) for m in modules if m.stem in sys.stdlib_module_names]
    assert shadowing == []


def test_no_report_type_shadows_a_builtin():
    assert [name for name in vars(schemas) if not name.startswith("__") and isinstance(getattr(builtins, name, None), type)] == []
