"""Token economy: what the challenger and the profiler are given, measured both ways.

    python benchmarks/token_economy.py [CASE ...] [--backend local|openai] [--base-url URL] [--model M]

For each case, the deal profile recorded in `tests/cassettes/<case>.report.json` (a real model's
output) goes to the real agent nodes twice:

- as shipped: the case materials (`prompts/_case.md`, the prefix the extractor's call shares) and the
  deal profile;
- the deal profile only: the materials left out of that shared part.

The variant is prompt files, not code: a copy of the shipped prompts in a temporary prompts directory
with the materials left out, exactly as an analyst would try it with `--prompts DIR`. Every answer is verified against the sources like a pipeline run. Per call it
reports prompt and completion tokens (the backend's own count), seconds, whether the prompt fits the
context, the items returned, and how many factual premises the verifier found in the materials.
No cache: every call goes to the model. The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from langgraph.runtime import Runtime

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from agents import challenger, profiler  # noqa: E402
from agents.challenger import challenge  # noqa: E402
from agents.profiler import profile  # noqa: E402
from pipeline.errors import BackendError  # noqa: E402
from pipeline.case.loading import load_case  # noqa: E402
from pipeline.llm.client import make_llm  # noqa: E402
from pipeline.resources import attach  # noqa: E402
from pipeline.schemas import ChallengeReport, CounterpartProfile, DealProfile, Item  # noqa: E402
from pipeline.settings import load_settings  # noqa: E402
from pipeline.checks.evidence import SourceIndex, support, verify_item  # noqa: E402
from tests.record import case_path  # noqa: E402

DEFAULT_CASES = ("tiny", "delivery-dispute", "licence-renewal")


def without_materials(prompts_dir: Path, dest: Path) -> Path:
    """A copy of the prompts whose shared case part leaves the materials out."""
    shutil.copytree(prompts_dir, dest)
    shared = dest / "_case.md"
    text = shared.read_text(encoding="utf-8")
    if "{{ materials }}" not in text:
        raise SystemExit(f"{shared}: no `{{{{ materials }}}}` to leave out")
    shared.write_text(text.replace("{{ materials }}", "(not given: work from the deal profile)"), encoding="utf-8")
    return dest


def premises(result: ChallengeReport | CounterpartProfile) -> list[Item]:
    agent = challenger.AGENT if isinstance(result, ChallengeReport) else profiler.AGENT
    return [p.item for p in agent.premises(result)]


async def run_variant(agent, key: str, case_dir: Path, deal: DealProfile, prompts_dir: Path, base: dict) -> dict:
    settings = attach(load_settings(**base, prompts_dir=prompts_dir))
    case = load_case(case_dir)
    state = {"case": case, "deal_profile": deal, "calls": []}
    started = time.perf_counter()
    try:
        update = await agent(state, Runtime(context=settings))
    except BackendError as exc:
        await settings.run_resources.aclose()
        return {"variant": key, "ok": False, "error": str(exc)[:200], "seconds": round(time.perf_counter() - started, 1),
                "calls": [c.model_dump() for c in exc.records]}
    seconds = time.perf_counter() - started
    await settings.run_resources.aclose()
    result = update.get("challenge") or update.get("counterpart_profile")
    items = premises(result)
    index = SourceIndex(case)
    for item in items:
        verify_item(item, index, key)
    calls = update["calls"]
    prompt_tokens = sum(c.prompt_tokens for c in calls)
    return {
        "variant": key, "ok": True, "seconds": round(seconds, 1), "attempts": len(calls),
        "prompt_tokens": prompt_tokens, "completion_tokens": sum(c.completion_tokens for c in calls),
        "first_prompt_tokens": calls[0].prompt_tokens if calls else 0,
        "fits_context": all(c.prompt_tokens + settings.max_output_tokens <= settings.n_ctx for c in calls),
        "items": len(items), "with_evidence": sum(bool(i.evidence) for i in items),
        "verified": sum(i.verification == "verified" for i in items), "support": support(items),
        "citations": sum(len(getattr(i, "citations", [])) for i in items),
        "warnings": [w.message[:160] for w in update.get("warnings", [])],
    }


async def measure(names: list[str], base: dict) -> dict:
    rows = []
    for name in names:
        case_dir = case_path(name)
        report = json.loads((ROOT / "tests" / "cassettes" / f"{name}.report.json").read_text(encoding="utf-8"))
        deal = DealProfile.model_validate(report["deal_profile"])
        shipped = load_settings(**base).prompts_dir
        with tempfile.TemporaryDirectory(prefix="negoprep-economy-") as tmp:
            bare = without_materials(shipped, Path(tmp) / "without-case")
            plan = [
                ("challenger", "deal profile + case (shipped)", challenge, shipped),
                ("challenger", "deal profile only", challenge, bare),
                ("profiler", "deal profile + case (shipped)", profile, shipped),
                ("profiler", "deal profile only", profile, bare),
            ]
            for agent_name, key, agent, prompts_dir in plan:
                row = await run_variant(agent, key, case_dir, deal, prompts_dir, base)
                row.update(case=name, agent=agent_name)
                rows.append(row)
                print(f"{name:<18} {agent_name:<10} {key:<30} " + (
                    f"prompt {row['prompt_tokens']:>5} completion {row['completion_tokens']:>5} fits {row['fits_context']!s:<5} "
                    f"{row['seconds']:>6.1f} s  items {row['items']:>2}  verified {row['verified']:>2}  support {row['support']}"
                    if row["ok"] else f"FAILED: {row['error']}"), flush=True)
    summary = {}
    for agent_name, key in {(r["agent"], r["variant"]) for r in rows}:
        ok = [r for r in rows if r["agent"] == agent_name and r["variant"] == key and r["ok"]]
        every = [r for r in rows if r["agent"] == agent_name and r["variant"] == key]
        summary[f"{agent_name}: {key}"] = {
            "runs": len(every), "valid": len(ok),
            "mean_prompt_tokens": round(statistics.mean(r["first_prompt_tokens"] for r in ok)) if ok else None,
            "mean_total_tokens": round(statistics.mean(r["prompt_tokens"] + r["completion_tokens"] for r in ok)) if ok else None,
            "fits_context": sum(r["fits_context"] for r in ok),
            "items": sum(r["items"] for r in ok), "verified": sum(r["verified"] for r in ok),
            "with_evidence": sum(r["with_evidence"] for r in ok),
        }
    return {"settings": {k: str(v) for k, v in base.items()}, "rows": rows, "summary": summary}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="*", default=list(DEFAULT_CASES), help="recorded case names (tests/cassettes)")
    parser.add_argument("--backend", default="local")
    parser.add_argument("--base-url", default=None)
    parser.add_argument("--model", default=None)
    return parser.parse_args(argv)


async def main(args: argparse.Namespace) -> dict:
    base = {"backend": args.backend, "use_cache": False}
    base.update({k: v for k, v in (("base_url", args.base_url), ("model", args.model)) if v})
    settings = load_settings(**base)
    llm = make_llm(settings)
    print(f"token economy: backend {settings.backend}, model {llm.model}, n_ctx {settings.n_ctx}, "
          f"max output {settings.max_output_tokens}, tokens {llm.counter.encoding}"
          f"{' (approximate)' if llm.counter.approximate else ''}", flush=True)
    await llm.aclose()
    return await measure(args.cases, base)


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(parse_args())), separators=(",", ":")), flush=True)
