"""The ingest report: a line per item, a summary line, and a JSON document."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence

from builder.ingest.records import Outcome

STATUSES = ("written", "duplicate", "joined", "unchanged", "rejected")


def counts(outcomes: Sequence[Outcome]) -> dict[str, int]:
    tally = Counter(o.status for o in outcomes)
    return {status: tally.get(status, 0) for status in STATUSES}


def conflicts(outcomes: Sequence[Outcome]) -> int:
    return sum(1 for o in outcomes if o.status == "rejected" and (o.reason or "").startswith("conflict:"))


def summary_line(outcomes: Sequence[Outcome]) -> str:
    tally = counts(outcomes)
    # «joined» (wire continuations merged into their story) only when it happened.
    shown = [s for s in STATUSES if s != "joined" or tally[s]]
    text = f"ingest: {len(outcomes)} items: " + ", ".join(f"{tally[s]} {s}" for s in shown)
    clashes = conflicts(outcomes)
    return text + (f" ({clashes} conflicts)" if clashes else "")


def learned_lines(learned: Sequence[Mapping[str, object]], limit: int | None = None) -> list[str]:
    """The learned boilerplate an editor should see: per source, the line and how often it went."""
    shown = learned if limit is None else learned[:limit]
    lines = [f"  {entry['source']}: ×{entry['dropped']} «{entry['line']}»" for entry in shown]
    if limit is not None and len(learned) > limit:
        lines.append(f"  … and {len(learned) - limit} more (all of them with --verbose or in --report)")
    return lines


def as_json(outcomes: Sequence[Outcome], learned: Sequence[Mapping[str, object]] = ()) -> str:
    document = {
        "summary": {"items": len(outcomes), **counts(outcomes), "conflicts": conflicts(outcomes)},
        "items": [
            {
                "input": o.origin,
                "status": o.status,
                "output": o.output,
                "reason": o.reason,
                "warnings": list(o.warnings),
            }
            for o in outcomes
        ],
        "learned_boilerplate": list(learned),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
