"""The ``entities`` command's output: discovered entities as a table or as JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence

from builder.tagging.archive import DiscoveredEntity


def entity_json(entities: Sequence[DiscoveredEntity]) -> str:
    """One object per entity, stable order and keys: for scripts and review tools."""
    rows = [
        {
            "type": e.type,
            "name": e.name,
            "slug": e.slug,
            "tagged": e.tagged,
            "why": e.why,
            "articles": e.articles,
            "mentions": e.mentions,
            "variants": list(e.variants),
            "roles": list(e.roles),
            "evidence": dict(e.evidence),
        }
        for e in entities
    ]
    return json.dumps({"entities": rows}, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def entity_table(entities: Sequence[DiscoveredEntity]) -> str:
    """Aligned columns, one entity a line: type, tag?, articles, mentions, name, variants, evidence."""
    head = ("type", "tag", "articles", "mentions", "name", "variants", "evidence", "roles")
    rows = [head] + [
        (
            e.type,
            "yes" if e.tagged else "no",
            str(e.articles),
            str(e.mentions),
            e.name,
            " | ".join(v for v in e.variants if v != e.name)[:60] or "-",
            ", ".join(f"{kind} {n}" for kind, n in e.evidence),
            " | ".join(e.roles[:2])[:60] or "-",
        )
        for e in entities
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(head) - 1)]
    lines = ["  ".join([*(cell.ljust(w) for cell, w in zip(row[:-1], widths, strict=True)), row[-1]]) for row in rows]
    return "\n".join(line.rstrip() for line in lines) + "\n"
