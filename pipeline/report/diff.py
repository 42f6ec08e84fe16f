"""A readable per-section diff between two reports of the same case (a section per agent, `agents.registry`)."""

from __future__ import annotations

from agents import registry
from pipeline.schemas import PrepReport

def _texts(value) -> list[str]:
    """The human-readable strings of a section value, one per item."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)][:50] if value and not isinstance(value[0], dict) else [
            v.get("text") or v.get("advice") or v.get("move") or v.get("name") or str(v) for v in value
        ]
    if isinstance(value, dict):
        return [f"{k}: {t}" for k, v in value.items() for t in _texts(v)]
    return [str(value)]


def section_diff(old: PrepReport, new: PrepReport) -> dict[str, dict[str, dict[str, list[str]]]]:
    """{section: {field: {"added": [...], "removed": [...]}}} for fields that changed."""
    result: dict[str, dict[str, dict[str, list[str]]]] = {}
    for section in registry.PREPARATION.fields:
        before = getattr(old, section).model_dump(mode="json")
        after = getattr(new, section).model_dump(mode="json")
        for field in dict.fromkeys([*before, *after]):
            a, b = _texts(before.get(field, [])), _texts(after.get(field, []))
            added = [t for t in b if t not in a]
            removed = [t for t in a if t not in b]
            if added or removed:
                result.setdefault(section, {})[field] = {"added": added, "removed": removed}
    return result


def diff_markdown(case: str, diff: dict) -> str:
    if not diff:
        return f"### {case}\n\nNo changes.\n"
    lines = [f"### {case}", ""]
    for section, fields in diff.items():
        for field, change in fields.items():
            lines.append(f"**{section}.{field}**")
            lines += [f"- \u2212 {t}" for t in change["removed"]]
            lines += [f"- + {t}" for t in change["added"]]
            lines.append("")
    return "\n".join(lines)
