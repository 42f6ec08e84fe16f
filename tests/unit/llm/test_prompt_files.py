"""Prompt files are read once per process while they and the parts they include stay as they are."""

from __future__ import annotations

import os

from pipeline.llm.prompts import load_prompt

PROMPT = "---\nid: t\nversion: 1\n---\n# system\nBe brief. {% include '_part.md' %}\n# user\n{{ text }}\n"


def _touch_later(path, text: str) -> None:
    """Write `text` and move the file's modification time on, as a later edit would."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(before + 10**9, before + 10**9))


def test_a_prompt_is_read_again_only_when_it_or_a_part_it_includes_changes(tmp_path):
    (tmp_path / "t.md").write_text(PROMPT, encoding="utf-8")
    (tmp_path / "_part.md").write_text("Part one.", encoding="utf-8")
    first = load_prompt(tmp_path, "t")
    assert load_prompt(tmp_path, "t") is first

    _touch_later(tmp_path / "_part.md", "Part two.")
    second = load_prompt(tmp_path, "t")
    assert second.sha256 != first.sha256 and "Part two." in second.messages(text="x")[0]["content"]

    _touch_later(tmp_path / "t.md", PROMPT.replace("Be brief.", "Be very brief."))
    third = load_prompt(tmp_path, "t")
    assert "Be very brief." in third.system and third.sha256 != second.sha256
