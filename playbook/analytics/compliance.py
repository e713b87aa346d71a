"""Disclosure checker for captions of sponsored posts, per jurisdiction, from the regulators' own texts.

The rules (which words count, which are vague, what placement fails) are rows of
``resources/disclosure_rules.csv`` (`playbook.data.disclosure_rules`), each with its publisher, document,
year, URL and quote: the FTC's "Disclosures 101 for Social Media Influencers" (2019) and the Endorsement
Guides, 16 CFR 255 as revised in 2023 (US); the CAP Code and the ASA's and CMA's influencer guidance (UK); the
Unfair Commercial Practices Directive 2005/29/EC, the Commission's 2024 sweep and the French and German
labels (EU). The jurisdiction is a parameter (``"US"``, ``"UK"``, ``"EU"``).

How a caption is decided, for one jurisdiction:

1. every label rule's pattern is matched (whole words: "#adventure" is not "#ad"); where two matches overlap
   the better verdict wins ("collaboration commerciale" is a French label, not the vague "collaboration");
2. a clear label ("compliant" rule) passes when it is **visible without expanding** and not mixed into a
   group of hashtags. Visible = it ends within the characters and the displayed lines the platform shows
   before "more" (Instagram: ``caption_visible_chars_instagram`` = 125 and ``caption_visible_lines_instagram``
   = 3, registry); for a platform that publishes no such figure it must open the caption, else the verdict is
   "review", unless it sits on the last line of a longer caption ("at the end of posts", FTC: the hidden
   rule). Where the jurisdiction's rules want the label at the beginning (UK), a visible label further in
   is "risky". Mixed into hashtags, hidden below "more", or only in a video's description: the placement
   rule's verdict (e.g. FTC "late", EU "risky");
3. otherwise the best other label decides (review, risky, then weak); then the platform's paid-partnership
   tool with no words ("review": the FTC says not to assume the tool is enough); else "missing", with the
   commercial signals found (discount code, "% off", link in bio) named in the reasons.

Statuses: compliant (PASS), review (the text alone cannot decide), risky (likely insufficient), late (a clear
label people are likely to miss), weak (only vague words), missing (nothing); organic posts are
"not_required". What the text cannot show (whether a connection exists, the platform toggle unless given, what
is said in a video, the audience's country) is left to the reviewer. Positions count lines from 1 and
characters from 0 after normalising \\r\\n and \\r to \\n. The published comparison is the share of fully
compliant posts, ``disclosure_full_compliance_imh_2020``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from playbook.analytics.undefined import ratio
from playbook.data.disclosure_rules import JURISDICTIONS, STATUS_ORDER, DisclosureRule, disclosure_rules
from playbook.data.registry import benchmark, cite

__all__ = [
    "DEFAULT_JURISDICTION",
    "JURISDICTIONS",
    "STATUSES",
    "VISIBLE_CHARS_ID",
    "VISIBLE_LINES_ID",
    "DisclosureCheck",
    "check_captions",
    "check_disclosure",
    "compliance_summary",
    "rules_table",
    "visible_limits",
]

STATUSES: tuple[str, ...] = (*STATUS_ORDER, "not_required")
DEFAULT_JURISDICTION = "US"
PUBLISHED_ID = "disclosure_full_compliance_imh_2020"
VISIBLE_CHARS_ID = "caption_visible_chars_instagram"
VISIBLE_LINES_ID = "caption_visible_lines_instagram"
# The platforms that publish how much of a caption shows before "more", and the registry rows saying so.
_VISIBLE_IDS: dict[str, tuple[str, str]] = {"instagram": (VISIBLE_CHARS_ID, VISIBLE_LINES_ID)}
_CLUSTER_MIN = 3  # our choice: three or more hashtags in a row are "a group of hashtags" (FTC's words)
_HASHTAG_RUN = re.compile(r"#\w+(?:\s+#\w+)*")
_SIGNALS: dict[str, re.Pattern[str]] = {
    "a discount code": re.compile(r"\bcode\s*:?\s*[A-Z0-9]{4,}\b"),
    "a '% off' offer": re.compile(r"\d+\s*%\s*off\b", re.IGNORECASE),
    "a link in bio": re.compile(r"\blink\s+in\s+(?:my\s+)?bio\b", re.IGNORECASE),
}


@dataclass(frozen=True)
class DisclosureCheck:
    """Result of checking one caption under one jurisdiction's rules.

    ``tokens``: the labels found, in caption order (as written, lower-cased). ``line`` (from 1) and ``char``
    (from 0) locate the label that decided the status, None when none did. ``rule_ids``: the rules that
    decided it (their sources: `playbook.data.disclosure_rules`). ``reasons``: a sentence a reviewer can read.
    """

    status: str
    tokens: tuple[str, ...]
    line: int | None
    char: int | None
    reasons: str
    jurisdiction: str = DEFAULT_JURISDICTION
    rule_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Hit:
    rule: DisclosureRule
    start: int
    end: int
    text: str


def _normalise(caption: object) -> str:
    if caption is None or (isinstance(caption, float) and caption != caption) or caption is pd.NA:
        return ""
    return str(caption).replace("\r\n", "\n").replace("\r", "\n")


def visible_limits(platform: str | None) -> tuple[int, int] | None:
    """(characters, displayed lines) a feed caption shows before "more" on `platform`, from the registry;
    None when the platform publishes no figure (then only a label that opens the caption is surely seen)."""
    ids = _VISIBLE_IDS.get((platform or "").lower())
    if ids is None:
        return None
    return int(benchmark(ids[0]).value), int(benchmark(ids[1]).value)


def _hits(text: str, rules: Iterable[DisclosureRule]) -> list[_Hit]:
    """Label matches; where two overlap, the better status (then the longer match) is kept."""
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    found = [
        _Hit(r, m.start(), m.end(), m.group(0).lower())
        for r in rules
        if r.pattern is not None
        for m in r.pattern.finditer(text)
    ]
    found.sort(key=lambda h: (rank[h.rule.status], -(h.end - h.start), h.start))
    kept: list[_Hit] = []
    for h in found:
        if all(h.end <= k.start or h.start >= k.end for k in kept):
            kept.append(h)
    return sorted(kept, key=lambda h: h.start)


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _opens(text: str, hit: _Hit) -> bool:
    """True when nothing but spaces, punctuation or emoji comes before the label."""
    return not any(ch.isalnum() for ch in text[: hit.start])


def _buried(text: str, hit: _Hit) -> bool:
    """A hashtag label inside a run of >= 3 hashtags, not leading it ("#travel #beach #ad #wanderlust")."""
    if not hit.text.startswith("#"):
        return False
    for run in _HASHTAG_RUN.finditer(text):
        if run.start() <= hit.start < run.end():
            return run.start() < hit.start and len(re.findall(r"#\w+", run.group(0))) >= _CLUSTER_MIN
    return False


def _where(text: str, hit: _Hit) -> str:
    return f"'{hit.text}' on line {_line(text, hit.start)}, character {hit.start}"


def _source(rule: DisclosureRule) -> str:
    return f'{rule.publisher} {rule.year or "undated"}: "{rule.quote}"'


def check_disclosure(
    caption: str | None,
    *,
    jurisdiction: str = DEFAULT_JURISDICTION,
    platform: str | None = "instagram",
    platform_label: bool = False,
    in_video: bool | None = None,
) -> DisclosureCheck:
    """Disclosure status of one sponsored caption under `jurisdiction`'s rules (module docstring).

    ``platform``: where
    the caption shows (sets what is visible before "more"; None = unknown). ``platform_label``: the
    platform's paid-partnership tool is on. ``in_video``: for a video, whether the disclosure is also said or
    shown in the video itself (False = only in the description; None = not known, the caption is judged).
    """
    rules = disclosure_rules(jurisdiction)
    placement = {r.rule_id.split("_", 1)[1]: r for r in rules if r.kind == "placement"}
    text = _normalise(caption)
    hits = _hits(text, [r for r in rules if r.kind == "label"])
    tokens = tuple(h.text for h in hits)

    def result(status: str, hit: _Hit | None, why: str, *rule_list: DisclosureRule) -> DisclosureCheck:
        line = None if hit is None else _line(text, hit.start)
        char = None if hit is None else hit.start
        ids = tuple(r.rule_id for r in rule_list)
        return DisclosureCheck(status, tokens, line, char, why, jurisdiction, ids)

    clear = [h for h in hits if h.rule.status == "compliant"]
    if clear:
        if in_video is False:
            rule = placement["not_in_video"]
            return result(
                rule.status,
                clear[0],
                f"{_where(text, clear[0])} but not in the video ({_source(rule)})",
                rule,
            )
        limits = visible_limits(platform)
        for h in clear:
            if _buried(text, h):
                continue
            seen = (
                _opens(text, h) if limits is None else h.end <= limits[0] and _line(text, h.end) <= limits[1]
            )
            if not seen:
                continue
            if "not_upfront" in placement and not _opens(text, h):
                rule = placement["not_upfront"]
                why = f"{_where(text, h)}: visible, not at the beginning ({_source(rule)})"
                return result(rule.status, h, why, h.rule, rule)
            where = (
                "opens the caption"
                if limits is None
                else (
                    f"within the first {limits[0]} characters and {limits[1]} lines {platform} shows "
                    f"({VISIBLE_CHARS_ID}, {VISIBLE_LINES_ID})"
                )
            )
            return result("compliant", h, f"{_where(text, h)} {where}; {_source(h.rule)}", h.rule)
        h = clear[0]
        if _buried(text, h):
            rule = placement["buried"]
            return result(rule.status, h, f"{_where(text, h)} is mixed into hashtags ({_source(rule)})", rule)
        if limits is None and _line(text, h.start) > 1 and "\n" not in text[h.start :].strip():
            rule = placement["hidden"]
            why = f"{_where(text, h)}: the last line of a longer caption ({_source(rule)})"
            return result(rule.status, h, why, rule)
        if limits is None:
            why = (
                f"{_where(text, h)}: {platform or 'the platform'} publishes no length shown before 'more'; "
                "check on a phone that the label is seen without expanding"
            )
            return result("review", h, why, h.rule)
        rule = placement["hidden"]
        why = (
            f"{_where(text, h)}: past the first {limits[0]} characters or {limits[1]} lines "
            f"{platform} shows, "
            f"so hidden behind 'more' ({_source(rule)})"
        )
        return result(rule.status, h, why, rule)
    for status in ("review", "risky", "weak"):
        found = [h for h in hits if h.rule.status == status]
        if found:
            h = found[0]
            terms = ", ".join(dict.fromkeys(f"'{x.text}'" for x in found))
            return result(status, h, f"{status}: {terms} ({_source(h.rule)})", *(x.rule for x in found))
    if platform_label:
        rule = placement["platform_tool"]
        why = f"no words in the caption; the platform's paid-partnership label is on ({_source(rule)})"
        return result(rule.status, None, why, rule)
    signals = [name for name, p in _SIGNALS.items() if p.search(text)]
    if not text.strip():
        why = "empty or missing caption: no disclosure"
    elif signals:
        found = ", ".join(signals)
        why = f"no disclosure label, though the caption carries {found}: those alone do not disclose"
    else:
        why = "no disclosure label"
    return result("missing", None, why)


def rules_table(jurisdiction: str | None = None) -> pd.DataFrame:
    """The disclosure rules as a frame to read (one row per rule, best verdict first): jurisdiction, term,
    kind, status, source ("publisher, year"), quote, evidence (V / V2 / I) and url."""
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    rows = sorted(disclosure_rules(jurisdiction), key=lambda r: (r.jurisdiction, r.kind, rank[r.status]))
    return pd.DataFrame(
        {
            "jurisdiction": [r.jurisdiction for r in rows],
            "term": [r.term for r in rows],
            "kind": [r.kind for r in rows],
            "status": [r.status for r in rows],
            "source": [f"{r.publisher}, {r.year or 'undated'}" for r in rows],
            "quote": [r.quote for r in rows],
            "evidence": [r.evidence for r in rows],
            "url": [r.url for r in rows],
        }
    )


def check_captions(
    posts: pd.DataFrame,
    *,
    jurisdiction: str = DEFAULT_JURISDICTION,
) -> pd.DataFrame:
    """`check_disclosure` over a posts frame; organic posts (``sponsored`` False) are "not_required".

    Each caption is judged on its own ``platform`` column when present (else Instagram's visible length).
    Returns a frame on the posts index: the key columns present among post_id, account_id, campaign_id,
    sponsored, then status, tokens ("|"-joined, "" when none), line, char (nullable Int64) and reasons.
    Only sponsored captions are parsed, so the cost grows with sponsored posts, not all posts.
    """
    keys = [c for c in ("post_id", "account_id", "campaign_id", "sponsored") if c in posts.columns]
    out = posts[keys].copy()
    sponsored = posts["sponsored"].astype(bool)
    captions = posts.loc[sponsored, "caption"]
    platforms = (
        posts.loc[sponsored, "platform"]
        if "platform" in posts.columns
        else pd.Series("instagram", captions.index)
    )
    checks = [
        check_disclosure(c, jurisdiction=jurisdiction, platform=p)
        for c, p in zip(captions, platforms, strict=True)
    ]
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
    jurisdiction: str = DEFAULT_JURISDICTION,
) -> pd.DataFrame:
    """Share of sponsored posts per disclosure status, per group, beside the published compliance share.

    ``by``: column(s) of ``posts`` (default campaign_id; account_id for creators' accounts; merge
    accounts.creator_id in first for creators), or None for one overall row. Columns: the group
    columns, sponsored_posts, share_<status> for each of `STATUS_ORDER` (posts with that status / sponsored
    posts), published_share (``disclosure_full_compliance_imh_2020``: 14% of sampled posts fully
    compliant, IMH 2020, judged against the FTC's rules), published_source (citation) and reason (why shares
    are undefined, else None).
    """
    group = [] if by is None else [by] if isinstance(by, str) else list(by)
    absent = [c for c in group if c not in posts.columns]
    if absent:
        raise KeyError(f"compliance_summary: posts has no column {absent}; merge it in first (e.g. accounts)")
    checked = check_captions(posts, jurisdiction=jurisdiction)
    sponsored = checked.loc[checked["status"] != "not_required", ["status"]].join(posts[group])
    statuses = list(STATUS_ORDER)
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
