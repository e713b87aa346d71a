"""Disclosure checker for captions of sponsored posts, following FTC guidance as reported in the reference.

Rules (reference §6 item 7 and §7 item 16; FTC guidance via Lexology,
https://www.lexology.com/library/detail.aspx?g=770f56e4-c92d-458c-8fa8-87fc13f50c4f):

- valid disclosures: #ad, #sponsored and "paid partnership" wording, case-insensitive and as whole tokens
  (#adventure is not #ad; "#ad," and "#ad." are);
- placement: within the first 3 lines of the caption (benchmark ``disclosure_max_line_ftc``) AND, since
  feeds truncate captions, ending within the first ``max_chars`` characters (default 125: our choice, the
  length a feed commonly shows before "more", not a registry figure);
- weak tags, "not clear enough": #sp, #spon, #partner, #collab, "thanks @brand" / "thank you @brand".

Status: "compliant" (a valid token within both limits), "late" (a valid token, none within the limits),
"weak" (only weak tags), "missing" (nothing); organic posts are "not_required". Positions count lines from
1 and characters from 0 after normalising Windows (\\r\\n) and old Mac (\\r) line endings to \\n.
The published comparison is the share of fully compliant posts, ``disclosure_full_compliance_imh_2020``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from playbook.analytics.undefined import ratio
from playbook.data.registry import benchmark, cite

__all__ = [
    "STATUSES",
    "DisclosureCheck",
    "check_captions",
    "check_disclosure",
    "compliance_summary",
]

STATUSES: tuple[str, ...] = ("compliant", "late", "weak", "missing", "not_required")
DEFAULT_MAX_CHARS = 125  # our choice: roughly what a feed shows before truncating with "more"
PUBLISHED_ID = "disclosure_full_compliance_imh_2020"
MAX_LINE_ID = "disclosure_max_line_ftc"

_TAG = r"(?<![\w#@]){}(?!\w)"  # a whole hashtag: not glued to a word or another tag on either side
VALID: dict[str, re.Pattern[str]] = {
    "#ad": re.compile(_TAG.format("#ad"), re.IGNORECASE),
    "#sponsored": re.compile(_TAG.format("#sponsored"), re.IGNORECASE),
    "paid partnership": re.compile(r"\bpaid\s+partnership\b", re.IGNORECASE),
}
WEAK: dict[str, re.Pattern[str]] = {
    tag: re.compile(_TAG.format(tag), re.IGNORECASE) for tag in ("#sp", "#spon", "#partner", "#collab")
}
THANKS = re.compile(r"\bthank(?:s|\s+you)(?:\s+to)?\s+@([\w.]*\w)", re.IGNORECASE)


@dataclass(frozen=True)
class DisclosureCheck:
    """Result of checking one caption.

    ``tokens``: disclosure tokens found, in caption order (valid and weak, lower-cased). ``line`` (from 1)
    and ``char`` (from 0) locate the token that decided the status: the first valid token, else the first
    weak tag; None when there is none. ``reasons``: a sentence a reviewer can read.
    """

    status: str
    tokens: tuple[str, ...]
    line: int | None
    char: int | None
    reasons: str


@dataclass(frozen=True)
class _Hit:
    token: str
    start: int
    end: int
    valid: bool


def _normalise(caption: object) -> str:
    if caption is None or (isinstance(caption, float) and caption != caption) or caption is pd.NA:
        return ""
    return str(caption).replace("\r\n", "\n").replace("\r", "\n")


def _hits(text: str, brand_handles: frozenset[str]) -> list[_Hit]:
    found = [_Hit(t, m.start(), m.end(), True) for t, p in VALID.items() for m in p.finditer(text)]
    found += [_Hit(t, m.start(), m.end(), False) for t, p in WEAK.items() for m in p.finditer(text)]
    for m in THANKS.finditer(text):
        handle = m.group(1).lower()
        if not brand_handles or handle in brand_handles:
            found.append(_Hit(f"thanks @{handle}", m.start(), m.end(), False))
    return sorted(found, key=lambda h: h.start)


def _max_lines() -> int:
    return int(benchmark(MAX_LINE_ID).value)


def check_disclosure(
    caption: str | None,
    brand_handles: Iterable[str] = (),
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
    max_lines: int | None = None,
) -> DisclosureCheck:
    """Disclosure status of one sponsored caption (rules in the module docstring).

    ``brand_handles``: handles (with or without @) that make "thanks @handle" a weak tag; empty = any
    handle. ``max_lines`` defaults to benchmark ``disclosure_max_line_ftc`` (3); ``max_chars`` (125) is
    our choice. A token is on time when its line <= max_lines and it ends within the first max_chars
    characters.
    """
    lines_limit = _max_lines() if max_lines is None else max_lines
    handles = frozenset(h.lower().lstrip("@") for h in brand_handles)
    text = _normalise(caption)
    if not text.strip():
        return DisclosureCheck("missing", (), None, None, "empty or missing caption: no disclosure")
    hits = _hits(text, handles)
    tokens = tuple(h.token for h in hits)
    valid = [h for h in hits if h.valid]
    if valid:
        on_time = [h for h in valid if _line(text, h) <= lines_limit and h.end <= max_chars]
        if on_time:
            h = on_time[0]
            why = (
                f"'{h.token}' on line {_line(text, h)}, character {h.start}: within the first {lines_limit}"
                f" lines ({MAX_LINE_ID}) and the first {max_chars} characters"
            )
            return DisclosureCheck("compliant", tokens, _line(text, h), h.start, why)
        h = valid[0]
        late = []
        if _line(text, h) > lines_limit:
            late.append(f"below line {lines_limit} ({MAX_LINE_ID})")
        if h.end > max_chars:
            late.append(f"ends after character {max_chars}, where feeds may truncate")
        why = f"'{h.token}' on line {_line(text, h)}, character {h.start}: " + " and ".join(late)
        return DisclosureCheck("late", tokens, _line(text, h), h.start, why)
    if hits:
        h = hits[0]
        weak = ", ".join(f"'{t}'" for t in dict.fromkeys(tokens))
        why = f"only weak tags ({weak}): not clear enough under FTC guidance; use #ad or #sponsored"
        return DisclosureCheck("weak", tokens, _line(text, h), h.start, why)
    return DisclosureCheck(
        "missing", (), None, None, "no disclosure token (#ad, #sponsored, paid partnership)"
    )


def _line(text: str, hit: _Hit) -> int:
    return text.count("\n", 0, hit.start) + 1


def check_captions(
    posts: pd.DataFrame,
    brand_handles: Iterable[str] | None = None,
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
    max_lines: int | None = None,
) -> pd.DataFrame:
    """`check_disclosure` over a posts frame; organic posts (``sponsored`` False) are "not_required".

    Returns a frame on the posts index: the key columns present among post_id, account_id, campaign_id,
    sponsored, then status, tokens ("|"-joined, "" when none), line, char (nullable Int64) and reasons.
    Only sponsored captions are parsed, so the cost grows with sponsored posts, not all posts.
    """
    keys = [c for c in ("post_id", "account_id", "campaign_id", "sponsored") if c in posts.columns]
    out = posts[keys].copy()
    sponsored = posts["sponsored"].astype(bool)
    handles = tuple(brand_handles or ())
    lines_limit = _max_lines() if max_lines is None else max_lines  # look the benchmark up once
    captions = posts.loc[sponsored, "caption"]
    checks = [check_disclosure(c, handles, max_chars=max_chars, max_lines=lines_limit) for c in captions]
    found = pd.DataFrame(
        {
            "status": pd.Series([c.status for c in checks], dtype="str"),
            "tokens": pd.Series(["|".join(c.tokens) for c in checks], dtype="str"),
            "line": pd.array([c.line for c in checks], dtype="Int64"),
            "char": pd.array([c.char for c in checks], dtype="Int64"),
            "reasons": pd.Series([c.reasons for c in checks], dtype="str"),
        }
    ).set_axis(captions.index)
    out = out.join(found)
    out["status"] = out["status"].fillna("not_required")
    out["tokens"] = out["tokens"].fillna("")
    out["reasons"] = out["reasons"].fillna("organic post: no disclosure required")
    return out


def compliance_summary(
    posts: pd.DataFrame,
    by: str | list[str] | None = "campaign_id",
    *,
    brand_handles: Iterable[str] | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    max_lines: int | None = None,
) -> pd.DataFrame:
    """Share of sponsored posts per disclosure status, per group, beside the published compliance share.

    ``by``: column(s) of ``posts`` (default campaign_id; account_id for creators' accounts; merge
    accounts.creator_id in first for creators), or None for one overall row. Columns: the group
    columns, sponsored_posts, share_compliant, share_late, share_weak, share_missing (each = posts with
    that status / sponsored posts), published_share (``disclosure_full_compliance_imh_2020``: 14% of
    sampled posts fully compliant, IMH 2020), published_source (citation) and reason (why shares are
    undefined, else None).
    """
    group = [] if by is None else [by] if isinstance(by, str) else list(by)
    absent = [c for c in group if c not in posts.columns]
    if absent:
        raise KeyError(f"compliance_summary: posts has no column {absent}; merge it in first (e.g. accounts)")
    checked = check_captions(posts, brand_handles, max_chars=max_chars, max_lines=max_lines)
    sponsored = checked.loc[checked["status"] != "not_required", ["status"]].join(posts[group])
    statuses = list(STATUSES[:4])
    if not group:
        counts = pd.DataFrame([sponsored["status"].value_counts()], index=[0])
    elif sponsored.empty:
        counts = pd.DataFrame(index=pd.MultiIndex.from_tuples([], names=group))
    else:
        counts = sponsored.groupby(group, dropna=False)["status"].value_counts().unstack(fill_value=0)
    counts = counts.reindex(columns=statuses, fill_value=0).fillna(0)
    total = counts.sum(axis=1).astype("int64")
    out = pd.DataFrame({"sponsored_posts": total}, index=counts.index)
    why = pd.Series(None, index=counts.index, dtype=object)
    for status in statuses:
        share = ratio(counts[status].astype(float), total.astype(float), f"share {status}")
        out[f"share_{status}"] = share
        why = why.where(why.notna(), share.attrs["reasons"])
    published = benchmark(PUBLISHED_ID)
    out["published_share"] = published.value
    out["published_source"] = f"{PUBLISHED_ID}: {cite(PUBLISHED_ID)}"
    out["reason"] = why
    return out.reset_index(drop=not group)
