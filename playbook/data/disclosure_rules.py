"""The disclosure rules of each jurisdiction, one row per rule, read from ``resources/disclosure_rules.csv``.

Why a file beside the benchmark registry rather than rows in it: the registry holds numeric figures
(low / typical / high, unit, tier, platform); a disclosure rule is a text pattern, the verdict a regulator
gives it and the words it is quoted from. The numbers the checker uses (how much of a caption a feed shows)
stay in the registry. Columns:

- ``rule_id`` (unique, snake_case), ``jurisdiction`` (US, UK, EU);
- ``kind``: ``label`` (a word or tag in the caption, found by the regular expression ``pattern``,
  case-insensitive) or ``placement`` (where a clear label sits; no pattern);
- ``term``: the label as a reader sees it; ``status``: the verdict (`STATUS_ORDER`);
- ``publisher``, ``document``, ``year`` (blank = undated page), ``url``, ``quote`` (the source's words, or our
  reading of them) and ``evidence``: V = read in the primary page, V2 = read in a verbatim copy or reputable
  summary, I = our inference from the source (see ``/work/shared/reference/disclosure-rules.md``).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from playbook.data.layout import DISCLOSURE_RULES_FILE

__all__ = ["JURISDICTIONS", "STATUS_ORDER", "DisclosureRule", "disclosure_rules"]

JURISDICTIONS: tuple[str, ...] = ("US", "UK", "EU")
# Verdicts from best to worst, as the checker ranks overlapping labels: compliant (PASS), review (the text
# alone cannot decide), risky (likely insufficient), late (a clear label people are likely to miss), weak
# (vague words only), missing (nothing).
STATUS_ORDER: tuple[str, ...] = ("compliant", "review", "risky", "late", "weak", "missing")
COLUMNS: tuple[str, ...] = (
    "rule_id",
    "jurisdiction",
    "kind",
    "term",
    "pattern",
    "status",
    "publisher",
    "document",
    "year",
    "url",
    "quote",
    "evidence",
)
_KINDS = ("label", "placement")
_EVIDENCE = ("V", "V2", "I")
_ID_RE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")


@dataclass(frozen=True)
class DisclosureRule:
    """One rule: what it matches (``pattern``) or decides (placement), its verdict and its source."""

    rule_id: str
    jurisdiction: str
    kind: str
    term: str
    pattern: re.Pattern[str] | None
    status: str
    publisher: str
    document: str
    year: int | None
    url: str
    quote: str
    evidence: str

    def cite(self) -> str:
        """``"FTC, Disclosures 101 ... (2019), https://..."``; undated pages say so."""
        return f"{self.publisher}, {self.document} ({self.year or 'undated'}), {self.url}"


def _problems(line: int, row: dict[str, str], seen: set[str]) -> list[str]:
    out: list[str] = []

    def bad(column: str, expected: str) -> None:
        out.append(
            f"disclosure_rules.csv row {line}, column {column}: expected {expected}, got {row[column]!r}"
        )

    if not _ID_RE.match(row["rule_id"]) or row["rule_id"] in seen:
        bad("rule_id", "a unique snake_case id")
    seen.add(row["rule_id"])
    if row["jurisdiction"] not in JURISDICTIONS:
        bad("jurisdiction", "one of " + ", ".join(JURISDICTIONS))
    if row["kind"] not in _KINDS:
        bad("kind", "label or placement")
    if row["status"] not in STATUS_ORDER[:-1]:
        bad("status", "one of " + ", ".join(STATUS_ORDER[:-1]))
    if row["evidence"] not in _EVIDENCE:
        bad("evidence", "V, V2 or I")
    if row["year"] and not (row["year"].isdigit() and 1990 <= int(row["year"]) <= 2030):
        bad("year", "a year in 1990-2030 or blank")
    if not row["url"].startswith("https://"):
        bad("url", "an https URL")
    for column in ("term", "publisher", "document", "quote"):
        if not row[column].strip():
            bad(column, "a non-blank value")
    if row["kind"] == "label":
        try:
            re.compile(row["pattern"])
        except re.error as exc:
            bad("pattern", f"a valid regular expression ({exc})")
        if not row["pattern"]:
            bad("pattern", "a regular expression for a label rule")
    elif row["pattern"]:
        bad("pattern", "blank for a placement rule")
    return out


@cache
def _load(path: Path) -> tuple[DisclosureRule, ...]:
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise ValueError(f"{path.name} row 1, column header: expected {', '.join(COLUMNS)}")
        rows = list(reader)
    problems: list[str] = []
    seen: set[str] = set()
    for i, row in enumerate(rows):
        problems += _problems(i + 2, row, seen)
    if problems:
        raise ValueError(f"{path.name}: {len(problems)} problem(s)\n" + "\n".join(problems))
    return tuple(
        DisclosureRule(
            rule_id=r["rule_id"],
            jurisdiction=r["jurisdiction"],
            kind=r["kind"],
            term=r["term"],
            pattern=re.compile(r["pattern"], re.IGNORECASE) if r["pattern"] else None,
            status=r["status"],
            publisher=r["publisher"],
            document=r["document"],
            year=int(r["year"]) if r["year"] else None,
            url=r["url"],
            quote=r["quote"],
            evidence=r["evidence"],
        )
        for r in rows
    )


def disclosure_rules(jurisdiction: str | None = None, path: Path | None = None) -> tuple[DisclosureRule, ...]:
    """The validated rules (all, or one jurisdiction's); ``ValueError`` naming row and column on bad rows."""
    rules = _load(Path(path or DISCLOSURE_RULES_FILE).resolve())
    if jurisdiction is None:
        return rules
    if jurisdiction not in JURISDICTIONS:
        raise ValueError(f"unknown jurisdiction {jurisdiction!r}; expected one of {', '.join(JURISDICTIONS)}")
    return tuple(r for r in rules if r.jurisdiction == jurisdiction)
