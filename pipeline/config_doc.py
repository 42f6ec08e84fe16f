"""The configuration reference, generated from the settings object so docs/configuration.md cannot drift.

`python -m pipeline.config_doc` prints it; `--write` updates docs/configuration.md between the markers.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline.settings import PROJECT_ROOT, Settings

CONFIG_DOC = PROJECT_ROOT / "docs" / "configuration.md"
BEGIN, END = "<!-- config-reference -->", "<!-- /config-reference -->"
CLI_FLAGS = {
    "backend": "--backend", "base_url": "--base-url", "model": "--model", "model_path": "--model-path",
    "prompts_dir": "--prompts", "kb_dir": "--kb", "record": "--record", "replay": "--replay",
    "use_cache": "--no-cache", "pseudonymize": "--pseudonymize", "keep_flagged": "--keep-flagged", "show_unconfirmed": "--show-unconfirmed/--hide-unconfirmed", "language": "--language", "max_run_tokens": "--max-tokens",
    "max_run_cost": "--max-cost",
}


def _default(name: str) -> str:
    field = Settings.model_fields[name]
    value = field.default_factory() if field.default_factory else field.default
    if isinstance(value, Path):
        try:
            value = value.relative_to(PROJECT_ROOT)
        except ValueError:
            pass
    return "—" if value is None else f"`{value}`"


def reference() -> str:
    prefix = Settings.model_config.get("env_prefix", "")
    lines = ["| env var | CLI flag | default | meaning |", "|---|---|---|---|"]
    for name, field in Settings.model_fields.items():
        lines.append(f"| `{prefix}{name.upper()}` | {'`' + CLI_FLAGS[name] + '`' if name in CLI_FLAGS else ''} | "
                     f"{_default(name)} | {(field.description or '').replace('|', '/')} |")
    lines.append("")
    lines.append("`OPENAI_API_KEY` and `OPENAI_BASE_URL` are read too (env or `.env`); CLI flags override env, "
                 "env overrides `.env`.")
    return "\n".join(lines)


def doc_block() -> str:
    return f"{BEGIN}\n{reference()}\n{END}"


def update_doc(doc: Path = CONFIG_DOC) -> bool:
    text = doc.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    new = text[:start] + doc_block() + text[end:]
    doc.write_text(new, encoding="utf-8")
    return new != text


if __name__ == "__main__":
    if "--write" in sys.argv:
        update_doc()
    else:
        print(reference())
