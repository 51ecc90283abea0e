"""The ingest report: a line per item, a summary line, and a JSON document."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from builder.ingest.records import Outcome

STATUSES = ("written", "duplicate", "unchanged", "rejected")


def counts(outcomes: Sequence[Outcome]) -> dict[str, int]:
    tally = Counter(o.status for o in outcomes)
    return {status: tally.get(status, 0) for status in STATUSES}


def conflicts(outcomes: Sequence[Outcome]) -> int:
    return sum(1 for o in outcomes if o.status == "rejected" and (o.reason or "").startswith("conflict:"))


def summary_line(outcomes: Sequence[Outcome]) -> str:
    tally = counts(outcomes)
    text = f"ingest: {len(outcomes)} items: " + ", ".join(f"{tally[s]} {s}" for s in STATUSES)
    clashes = conflicts(outcomes)
    return text + (f" ({clashes} conflicts)" if clashes else "")


def as_json(outcomes: Sequence[Outcome]) -> str:
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
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
