"""Check the challenger's knowledge-base citations: only retrieved, existing ids survive."""

from __future__ import annotations

from pipeline.knowledge import KnowledgeBase
from pipeline.schemas import ChallengeReport, ReportWarning
from pipeline.schemas.copying import deep_copy


def ground_citations(report: ChallengeReport, retrieved: list[str], kb: KnowledgeBase) -> tuple[ChallengeReport, list[ReportWarning]]:
    """A copy of `report` with invalid citations removed, and suggestions left uncited dropped."""
    known = set(kb.by_id)
    allowed = set(retrieved)
    report = deep_copy(report)
    warnings: list[ReportWarning] = []
    for name, suggestions in report.suggestion_lists().items():
        kept = []
        for suggestion in suggestions:
            valid = []
            for cid in dict.fromkeys(suggestion.citations):
                if cid in allowed:
                    valid.append(cid)
                    continue
                why = "was not retrieved for this case" if cid in known else "does not exist in the knowledge base"
                warnings.append(ReportWarning(code="citation", message=f"challenge.{name}: citation '{cid}' removed: it {why}"))
            if valid:
                kept.append(suggestion.model_copy(update={"citations": valid}))
            else:
                warnings.append(ReportWarning(code="citation", message=f"challenge.{name}: suggestion dropped, no valid citation left: {suggestion.text[:90]}"))
        setattr(report, name, kept)
    return report, warnings
