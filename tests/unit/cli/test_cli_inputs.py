"""Bad input: one clear line on stderr, exit 2, no traceback, nothing written."""

from __future__ import annotations

import os
import sys

import pytest
from typer.testing import CliRunner

from pipeline.cli import app
from tests.conftest import DATA


def _prepare(*args: str):
    result = CliRunner().invoke(app, ["prepare", *args])
    return result.exit_code, result.stderr


def _assert_one_line_error(code: int, err: str, needle: str) -> None:
    assert code == 2, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("negoprep: ") and needle in lines[0], lines[0]
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("name", "content", "needle"),
    [
        ("empty.md", b"", "empty"),
        ("blank.txt", b"  \n\t\n   \n", "empty"),
        ("binary.txt", bytes(range(256)) * 8, "binary"),
        ("notes.pdf2", b"hello", "unsupported file type"),
    ],
)
def test_bad_single_file(tmp_path, name, content, needle):
    path = tmp_path / name
    path.write_bytes(content)
    out = tmp_path / "out"
    code, err = _prepare(str(path), "--out", str(out))
    _assert_one_line_error(code, err, needle)
    assert not out.exists()


def test_missing_path(tmp_path):
    code, err = _prepare(str(tmp_path / "nope"))
    _assert_one_line_error(code, err, "no such file or folder")


def test_folder_without_readable_document(tmp_path):
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / "data.bin").write_bytes(b"\x00\x01")
    code, err = _prepare(str(tmp_path))
    _assert_one_line_error(code, err, "no readable document")


def test_file_over_size_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("NEGOPREP_MAX_FILE_MB", "0.001")
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000)
    code, err = _prepare(str(path))
    _assert_one_line_error(code, err, "over the 0.001 MiB limit")


def test_symlink_loop(tmp_path):
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    code, err = _prepare(str(tmp_path / "loop"))
    _assert_one_line_error(code, err, "loop")


def test_folder_with_symlink_cycle_is_read_once(tmp_path):
    from pipeline.case.loading import load_case

    (tmp_path / "notes.md").write_text("Our side offers EUR 10,000.")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "back").symlink_to(tmp_path)
    case = load_case(tmp_path)
    assert [d.name for d in case.documents] == ["notes.md"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.md"
    path.write_text("text")
    path.chmod(0)
    code, err = _prepare(str(path))
    _assert_one_line_error(code, err, "cannot read")


def test_unreadable_file_in_folder_is_reported(tmp_path, monkeypatch):
    """A file that cannot be read inside a folder is skipped with a reason (the rest is usable)."""
    from pipeline.case import loading

    (tmp_path / "a.md").write_text("Usable notes about the price of EUR 5,000.")
    (tmp_path / "b.md").write_text("x")
    real = loading._read_one

    def flaky(file, root, limit):
        if file.name == "b.md":
            raise loading.InputError("b.md: cannot read (Permission denied)")
        return real(file, root, limit)

    monkeypatch.setattr(loading, "_read_one", flaky)
    case = loading.load_case(tmp_path)
    assert [d.name for d in case.documents] == ["a.md"]
    assert case.skipped == ["b.md: cannot read (Permission denied)"]


def test_latin1_text_is_detected_not_rejected():
    from pipeline.case.loading import load_case

    case = load_case(DATA / "cases" / "latin1")
    text = case.documents[0].text
    assert "ø" in text or "æ" in text or "å" in text
    assert "\ufffd" not in text


def test_bad_backend_flag(tmp_path):
    code, err = _prepare(str(DATA / "cases" / "tiny"), "--backend", "cloud")
    _assert_one_line_error(code, err, "--backend")


def test_invalid_settings_name_each_field(monkeypatch):
    monkeypatch.setenv("NEGOPREP_N_CTX", "lots")
    monkeypatch.setenv("NEGOPREP_KB_TOP_K", "0")
    code, err = _prepare(str(DATA / "cases" / "tiny"))
    _assert_one_line_error(code, err, "n_ctx: Input should be a valid integer")
    assert "kb_top_k: Input should be greater than or equal to 1" in err


def test_cost_budget_without_prices_is_refused(tmp_path):
    code, err = _prepare(str(DATA / "cases" / "tiny"), "--max-cost", "0.5", "--out", str(tmp_path / "out"))
    _assert_one_line_error(code, err, "needs prices")
    assert not (tmp_path / "out").exists()


def test_configuration_reference_matches_the_settings():
    from pipeline.config_doc import doc_block
    from tests.conftest import ROOT

    assert doc_block() in (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")


def test_local_backend_without_llama_cpp_is_an_install_hint(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "llama_cpp", None)  # `import llama_cpp` now fails
    model = tmp_path / "any.gguf"
    model.write_bytes(b"GGUF")
    code, err = _prepare(str(DATA / "cases" / "tiny"), "--backend", "local", "--model-path", str(model),
                         "--no-cache", "--out", str(tmp_path / "out"))
    assert code == 2, err
    assert err.strip().splitlines()[-1] == "negoprep: llama-cpp-python is not installed: `pip install -e '.[local]'`"
    assert "Traceback" not in err and not (tmp_path / "out" / "report.json").exists()
