"""The build report: every input file accounted for, as text and as JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from builder.model import Article, Problem, Rejection, Severity

DEFAULT_REPORT_PATH = Path("build") / "report.json"


@dataclass(frozen=True)
class BuildReport:
    inputs: int
    pages: tuple[Article, ...]
    rejections: tuple[Rejection, ...]
    withheld: tuple[tuple[Article, str], ...]  # drafts and embargoed articles, with the reason
    duplicates: tuple[tuple[Article, str], ...]  # copies, with the file that was kept
    ignored: tuple[tuple[str, str], ...]  # hidden files and the like, with the reason
    problems: tuple[Problem, ...]
    files: dict[str, int] = field(default_factory=dict)  # written / unchanged / removed
    # Lines learned as boilerplate of plain files, per folder (``pipeline.learn_plain_boilerplate``).
    learned: tuple[Mapping[str, object], ...] = ()

    @property
    def undated(self) -> tuple[Article, ...]:
        return tuple(a for a in self.pages if a.date is None)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.WARNING)

    def is_complete(self) -> bool:
        """Every input is a page, a withheld article, an ignored file or a rejection."""
        accounted = (
            len(self.pages) + len(self.duplicates) + len(self.withheld) + len(self.ignored) + len(self.rejections)
        )
        return accounted == self.inputs

    def to_json(self) -> str:
        data = {
            "inputs": self.inputs,
            "counts": {
                "pages": len(self.pages),
                "duplicates": len(self.duplicates),
                "withheld": len(self.withheld),
                "ignored": len(self.ignored),
                "rejected": len(self.rejections),
                "undated": len(self.undated),
                "warnings": len(self.warnings),
            },
            "pages": [
                {"file": a.source_path, "page": a.page_path, "date": a.date.isoformat() if a.date else None}
                for a in sorted(self.pages, key=lambda a: a.source_path)
            ],
            "undated": sorted(a.source_path for a in self.undated),
            "duplicates": [{"file": a.source_path, "duplicate_of": kept} for a, kept in self.duplicates],
            "withheld": [{"file": a.source_path, "reason": reason} for a, reason in self.withheld],
            "ignored": [{"file": path, "reason": reason} for path, reason in self.ignored],
            "rejected": [{"file": r.source_path, "line": r.line, "reason": r.reason} for r in self.rejections],
            "warnings": [{"file": p.path, "line": p.line, "message": p.message} for p in self.warnings],
            "files": self.files,
            "learned_boilerplate": [dict(entry) for entry in self.learned],
        }
        return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n"

    def summary(self) -> str:
        parts = [f"{self.inputs} input files: {len(self.pages)} pages"]
        if self.duplicates:
            parts.append(f"{len(self.duplicates)} duplicates")
        if self.withheld:
            parts.append(f"{len(self.withheld)} withheld (draft or embargo)")
        if self.ignored:
            parts.append(f"{len(self.ignored)} ignored")
        parts.append(f"{len(self.rejections)} rejected")
        if self.undated:
            parts.append(f"{len(self.undated)} undated (listed under 'بلا تاريخ')")
        if self.warnings:
            parts.append(f"{len(self.warnings)} warnings")
        if self.learned:
            lines = f"{len(self.learned)} line" + ("s" if len(self.learned) != 1 else "")
            parts.append(f"{lines} learned as boilerplate of plain files (listed in the report)")
        return ", ".join(parts)


def write_report(report: BuildReport, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(report.to_json(), encoding="utf-8")


def format_rejections(rejections: Sequence[Rejection]) -> list[str]:
    return [f"{r.source_path}{'' if r.line is None else f':{r.line}'}: rejected: {r.reason}" for r in rejections]
