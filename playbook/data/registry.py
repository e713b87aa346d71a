"""Industry benchmark registry and creator-tier presets.

Every industry figure the course or the data generator uses lives in ``resources/benchmarks.csv`` with its
source, year and reliability grade (A-D by `GRADE_RUBRIC`, or ``model`` for our own modelling assumptions;
the rubric is printed in ``datasets/README.md``). Tier thresholds are not standard across the industry, so
they live in ``resources/tier_presets.csv`` and are always a parameter.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from playbook.data.layout import BENCHMARKS_FILE, DEFAULT_TIER_PRESET, TIER_PRESETS_FILE

__all__ = [
    "BENCHMARK_COLUMNS",
    "CPM_SOURCES",
    "DEFAULT_TIER_PRESET",
    "GRADE_RUBRIC",
    "MIDPOINT_NOTE",
    "MODEL_SOURCE_NAME",
    "REQUIRED_BENCHMARK_IDS",
    "SUB_NANO",
    "THIRD_PARTY_HOSTS",
    "TIER_ORDER",
    "UNDATED_NOTE",
    "Benchmark",
    "assign_tier",
    "band",
    "benchmark",
    "benchmark_from_record",
    "benchmark_table",
    "cite",
    "cpm_band",
    "format_uplift",
    "format_uplift_id",
    "load_benchmarks",
    "load_tier_presets",
    "reach_rate_id",
    "tier_bounds",
    "typical_word",
]


BENCHMARK_COLUMNS: tuple[str, ...] = (
    "benchmark_id",
    "metric",
    "platform",
    "tier",
    "format",
    "followers_min",
    "followers_max",
    "low",
    "typical",
    "high",
    "unit",
    "definition",
    "source_name",
    "source_url",
    "year",
    "grade",
    "notes",
)
PLATFORMS = frozenset({"instagram", "tiktok", "youtube", "facebook", "twitter", "linkedin", "all"})
TIERS = frozenset({"nano", "micro", "mid", "macro", "mega", "all"})
FORMATS = frozenset(
    {"all", "feed", "reel", "story", "carousel", "video", "short_video", "long_video", "story_link"}
)
MODEL_GRADE = "model"
# How a row earns its grade (issue 13). A row may sit between two grades ("B/C"); its best grade comes first.
GRADE_RUBRIC: dict[str, str] = {
    "A": "primary data or rule text from the publisher that owns it (a platform, regulator or peer-reviewed "
    "study, or a vendor's own study) with its method stated (sample, period, definition), dated, and cited "
    "at the publisher's own address or DOI",
    "B": "the publisher's own figure without a stated method or without a date (a platform's or vendor's "
    "help page about its own product, a report summary), or a primary figure read in a copy of the "
    "document the publisher does not host (an upload, THIRD_PARTY_HOSTS)",
    "C": "a third party reporting someone else's figure (source names 'via ...', 'reported by ...' or "
    "'citing ...' and the page is not a copy of the document: the loader holds such rows to C or lower), "
    "or a vendor blog or survey whose sample is unstated or self-selected",
    "D": "a figure we could not trace to its origin, an anecdote or a rule of thumb: never calibrate on it "
    "alone",
    "model": "our own modelling assumption, stated as such, with no source",
}
# Hosts of document copies and proxies: a row citing one reads a copy, so it cannot be grade A.
THIRD_PARTY_HOSTS: tuple[str, ...] = (
    "zbook.org",
    "scribd.com",
    "rhythmusic.net",
    "doczz.net",
    "documents.pub",
    "docslib.org",
    "cnpereading.com",
    "pdfslide",
    "5y1.org",
    "dokumen.tips",
)
_UPLOAD_NAMES = re.compile(r"\bupload", re.IGNORECASE)  # "read in a user upload": a copy
REPORTED_NAMES = re.compile(r"\bvia\b|reported by|\bciting\b", re.IGNORECASE)  # rubric C
MODEL_SOURCE_NAME = "Model assumption (Influencer Team Playbook)"
# A sourced row without a year says so in its notes: the page shows no publication or update date.
UNDATED_NOTE = "undated page"
_GRADE_RE = re.compile(r"^[A-D](/[A-D])*$")
_ID_RE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)*$")
_VALUE_COLUMNS = ("low", "typical", "high")
_INT_COLUMNS = ("followers_min", "followers_max", "year")
_REQUIRED_TEXT = ("metric", "unit", "definition", "source_name")

TIER_ORDER: tuple[str, ...] = ("nano", "micro", "mid", "macro", "mega")
SUB_NANO = "sub_nano"

# Ids the data generator and the course reference directly; the test suite checks they all exist.
REQUIRED_BENCHMARK_IDS: tuple[str, ...] = (
    "tier_share_instagram_nano_hypeauditor_2026",
    "tier_share_instagram_micro_hypeauditor_2026",
    "tier_share_instagram_mega_hypeauditor_2026",
    "tier_share_instagram_nano_hypeauditor_2023",
    "tier_share_tiktok_nano_hypeauditor_2023",
    *(f"er_followers_instagram_{t}_untapper_2026" for t in TIER_ORDER),
    "er_instagram_nano_hypeauditor_2026",
    "er_instagram_micro_hypeauditor_2026",
    "er_instagram_mega_hypeauditor_2026",
    *(f"er_views_tiktok_{t}_untapper_2026" for t in TIER_ORDER),
    *(
        f"er_views_youtube_modash_{b}"
        for b in ("1k_5k", "5k_10k", "10k_50k", "50k_100k", "100k_500k", "500k_1m", "1m_plus")
    ),
    "reach_rate_instagram_feed_influencerfee",
    "reach_rate_instagram_reel_influencerfee",
    "reach_rate_instagram_story_influencerfee",
    "reach_rate_instagram_feed_untapper",
    "reach_rate_tiktok_untapper",
    "reach_rate_youtube_stellar",
    *(
        f"cpm_{p}_{s}"
        for s in ("wordontheblock_2023", "influencerhero", "inzpire")
        for p in ("instagram", "tiktok", "youtube")
    ),
    "format_uplift_video_hypeauditor",
    "format_uplift_carousel_hypeauditor",
    "format_uplift_story_link_hypeauditor",
    "reply_rate_creator_heepsy",
    "reply_rate_cold_backlinko",
    "reply_rate_cold_hunter_2026",
    "reply_rate_digital_pr_hunter_2026",
    "reply_rate_cold_instantly_2026",
    "followup_uplift_woodpecker",
    "reply_rate_no_followup_woodpecker",
    "reply_rate_with_followup_woodpecker",
    "late_payment_share_tipalti",
    "late_payment_share_tipalti_lumanu",
    "payment_terms_net30_usual",
    "fraud_prevalence_instagram_hypeauditor_2023",
    "fraud_prevalence_instagram_mega_hypeauditor_2023",
    "followers_credibility_fraud_threshold_modash",
    "mass_follower_following_threshold_hivency",
    "fake_follower_price_cheq_2019",
    *(f"conversion_rate_{t}_lookfluence" for t in ("all", "nano", "micro", "macro", "mega")),
    "ctr_views_rule_of_thumb",
    "holdout_share_influencers_time",
    "holdout_min_days_influencers_time",
    "geo_count_per_arm_girardmedia",
    "nonincremental_share_girardmedia",
    "disclosure_full_compliance_imh_2020",
    "shipping_lead_days_heepsy",
    "outreach_new_per_day_influencerhero",
    "brand_reply_days_aspire",
    "claimed_return_per_dollar_tomoson_2015",
    "emv_per_dollar_imh_2020",
    "emv_per_dollar_rhythmone_2015",
    "emv_per_dollar_imh_2017",
    "revenue_per_follower_nano_beichert_2024",
    "revenue_per_follower_macro_beichert_2024",
    "partnership_ads_ctr_uplift_meta_2022",
    "partnership_ads_cpa_change_meta_2022",
    "budget_share_micro_nano_syncly",
    "budget_share_macro_syncly",
    "budget_share_experimental_syncly",
    *(
        f"rate_{p}_{t}_wordontheblock_2023"
        for p in ("instagram", "tiktok", "youtube")
        for t in ("nano", "micro", "macro", "mega")
    ),
    "rate_rule_of_thumb_inbeat",
    "cookie_undercount_track360",
    "code_leak_hours_bebuzz",
    "revision_rounds_model",
    "draft_lead_days_model",
)


# --------------------------------------------------------------------------- loading and validation
def _blank(value: str) -> bool:
    return value.strip() == ""


def _as_float(value: str) -> float | None:
    try:
        out = float(value)
    except ValueError:
        return None
    return out if math.isfinite(out) else None


def _as_int(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


def _row_problems(line: int, row: dict[str, str], seen: dict[str, int]) -> list[str]:
    """Problems in one raw (string) row; ``line`` is its 1-based line number in the file."""
    out: list[str] = []

    def bad(column: str, expected: str, got: object) -> None:
        out.append(f"benchmarks.csv row {line}, column {column}: expected {expected}, got {got!r}")

    bid = row["benchmark_id"].strip()
    if not _ID_RE.match(bid):
        bad("benchmark_id", "a snake_case id", bid)
    elif bid in seen:
        bad("benchmark_id", f"a unique id (already used on row {seen[bid]})", bid)
    else:
        seen[bid] = line
    for column, allowed in (("platform", PLATFORMS), ("tier", TIERS), ("format", FORMATS)):
        if row[column] not in allowed:
            bad(column, "one of " + ", ".join(sorted(allowed)), row[column])
    grade = row["grade"]
    if grade != MODEL_GRADE and not _GRADE_RE.match(grade):
        bad("grade", "A, B, C, D, a combination such as 'B/C', or 'model'", grade)
    for column in _REQUIRED_TEXT:
        if _blank(row[column]):
            bad(column, "a non-blank value", row[column])

    for column in ("followers_min", "followers_max"):
        if not _blank(row[column]) and (_as_int(row[column]) is None or int(row[column]) < 0):
            bad(column, "a non-negative integer or blank", row[column])
    fmin, fmax = _as_int(row["followers_min"]), _as_int(row["followers_max"])
    if fmin is not None and fmax is not None and fmin > fmax:
        bad("followers_max", f"a value >= followers_min ({fmin})", row["followers_max"])

    values: dict[str, float] = {}
    for column in _VALUE_COLUMNS:
        if _blank(row[column]):
            continue
        number = _as_float(row[column])
        if number is None:
            bad(column, "a finite number or blank", row[column])
        else:
            values[column] = number
    if not any(not _blank(row[c]) for c in _VALUE_COLUMNS):
        bad("typical", "at least one of low/typical/high", "")
    for lo_col, hi_col in (("low", "typical"), ("typical", "high"), ("low", "high")):
        if lo_col in values and hi_col in values and values[lo_col] > values[hi_col]:
            bad(hi_col, f"a value >= {lo_col} ({row[lo_col]})", row[hi_col])
    if row["unit"] == "fraction":
        for column, number in values.items():
            if not 0 <= number <= 1:
                bad(column, "a fraction in [0, 1] because unit is 'fraction'", row[column])

    year = row["year"]
    if not _blank(year):
        number = _as_int(year)
        if number is None or not 1990 <= number <= 2030:
            bad("year", "an integer year in 1990-2030 or blank", year)
    elif grade != MODEL_GRADE and UNDATED_NOTE not in row["notes"]:
        bad("notes", f"{UNDATED_NOTE!r} in notes when year is blank", row["notes"])

    url = row["source_url"].strip()
    copy = any(h in url for h in THIRD_PARTY_HOSTS) or bool(_UPLOAD_NAMES.search(row["source_name"]))
    reported = bool(REPORTED_NAMES.search(row["source_name"]))
    if grade.startswith("A"):
        if _blank(year):
            bad("year", "a year for a grade-A row (rubric: A is dated), or a lower grade", year)
        if reported or copy:
            bad(
                "grade",
                "B or lower: a grade-A row cites the publisher itself, not a copy or a report of it",
                grade,
            )
    if reported and not copy and grade[:1] in ("A", "B"):
        bad(
            "grade",
            "C or lower: the source names a third party reporting the figure ('via', 'reported by', "
            "'citing') and the URL is not a copy of the document (rubric C)",
            grade,
        )
    if grade == MODEL_GRADE:
        if url:
            bad("source_url", "blank for a grade 'model' row", url)
        if row["source_name"] != MODEL_SOURCE_NAME:
            bad("source_name", repr(MODEL_SOURCE_NAME) + " for a grade 'model' row", row["source_name"])
    elif not url.startswith(("http://", "https://")):
        bad("source_url", "an http(s) URL (blank only for grade 'model')", url)
    return out


@lru_cache(maxsize=8)
def _load_benchmarks_cached(path: Path) -> pd.DataFrame:
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    if tuple(raw.columns) != BENCHMARK_COLUMNS:
        raise ValueError(
            f"benchmarks.csv row 1, column header: expected {', '.join(BENCHMARK_COLUMNS)}, "
            f"got {', '.join(map(str, raw.columns))}"
        )
    problems: list[str] = []
    seen: dict[str, int] = {}
    for index, row in enumerate(raw.to_dict("records")):
        problems.extend(_row_problems(index + 2, row, seen))
    if problems:
        raise ValueError(f"{path.name}: {len(problems)} problem(s)\n" + "\n".join(problems))

    df = raw.copy()
    for column in _VALUE_COLUMNS:
        df[column] = pd.to_numeric(df[column].replace("", np.nan)).astype("float64")
    for column in _INT_COLUMNS:
        df[column] = pd.to_numeric(df[column].replace("", np.nan)).astype("Int64")
    return df


def load_benchmarks(path: Path | None = None) -> pd.DataFrame:
    """Read and validate ``benchmarks.csv``; raise ``ValueError`` listing every problem.

    Numbers come back as float (low/typical/high) and nullable Int64 (followers_min/max, year).
    The parsed file is cached per resolved path; each call returns a copy.
    """
    resolved = Path(path if path is not None else BENCHMARKS_FILE).resolve()
    return _load_benchmarks_cached(resolved).copy()


# --------------------------------------------------------------------------- single benchmarks
def _opt_float(value: object) -> float | None:
    return None if pd.isna(value) else float(value)


def _opt_int(value: object) -> int | None:
    return None if pd.isna(value) else int(value)


@dataclass(frozen=True)
class Benchmark:
    """One row of the benchmark registry."""

    benchmark_id: str
    metric: str
    platform: str
    tier: str
    format: str
    followers_min: int | None
    followers_max: int | None
    low: float | None
    typical: float | None
    high: float | None
    unit: str
    definition: str
    source_name: str
    source_url: str
    year: int | None
    grade: str
    notes: str

    @property
    def value(self) -> float:
        """``typical`` if given, else the midpoint of low/high, else whichever bound is given."""
        if self.typical is not None:
            return self.typical
        if self.low is not None and self.high is not None:
            return (self.low + self.high) / 2
        bound = self.low if self.low is not None else self.high
        assert bound is not None  # validation guarantees at least one value
        return bound

    @property
    def is_model_assumption(self) -> bool:
        """True for our own modelling assumptions (grade ``model``)."""
        return self.grade == MODEL_GRADE


def benchmark(benchmark_id: str) -> Benchmark:
    """Return one benchmark by id; ``KeyError`` with close matches if unknown (the registry is read once)."""
    registry = _registry(BENCHMARKS_FILE.resolve())
    found = registry.get(benchmark_id)
    if found is None:
        close = difflib.get_close_matches(benchmark_id, list(registry), n=5, cutoff=0.6)
        hint = f"; did you mean: {', '.join(close)}?" if close else ""
        raise KeyError(f"unknown benchmark id {benchmark_id!r}{hint}")
    return found


@cache
def _registry(path: Path) -> dict[str, Benchmark]:
    """Every row of the registry at `path` as a `Benchmark`, by id (ids are unique: `load_benchmarks`)."""
    return {
        str(row["benchmark_id"]): benchmark_from_record(row)
        for row in load_benchmarks(path).to_dict("records")
    }


def benchmark_from_record(row: Mapping[str, object]) -> Benchmark:
    """One registry row (a record of `load_benchmarks`, or of a frame with its columns) as a `Benchmark`:
    missing numbers (NaN, NA) become None; other columns of the record are ignored."""
    kwargs: dict[str, object] = {}
    for f in fields(Benchmark):
        value = row[f.name]
        if f.name in _VALUE_COLUMNS:
            kwargs[f.name] = _opt_float(value)
        elif f.name in _INT_COLUMNS:
            kwargs[f.name] = _opt_int(value)
        else:
            kwargs[f.name] = str(value)
    return Benchmark(**kwargs)  # type: ignore[arg-type]


def cite(benchmark_id: str) -> str:
    """Citation for display, e.g. ``"HypeAuditor State of Influencer Marketing (2026), grade B, https://..."``."""
    b = benchmark(benchmark_id)
    if b.is_model_assumption:
        return f"{b.source_name}, grade model"
    year = b.year if b.year is not None else "undated"
    return f"{b.source_name} ({year}), grade {b.grade}, {b.source_url}"


# --------------------------------------------------------------------------- tiers
@lru_cache(maxsize=1)
def _load_tier_presets_cached(path: Path) -> pd.DataFrame:
    text_columns = ("preset", "tier", "source_name", "source_url", "grade")
    df = pd.read_csv(path, dtype=dict.fromkeys(text_columns, str), keep_default_na=False)
    for column in ("followers_min", "followers_max", "year"):
        df[column] = pd.to_numeric(df[column].replace("", np.nan)).astype("Int64")
    problems: list[str] = []
    for preset, group in df.groupby("preset", sort=False):
        ordered = group.sort_values("followers_min")
        tiers = ordered["tier"].tolist()
        if [t for t in TIER_ORDER if t in tiers] != tiers or len(set(tiers)) != len(tiers):
            problems.append(f"preset {preset}: tiers {tiers} are not in the order {TIER_ORDER}")
        mins, maxs = ordered["followers_min"].tolist(), ordered["followers_max"].tolist()
        for tier, upper, lower in zip(tiers[:-1], maxs[:-1], mins[1:], strict=True):
            if pd.isna(upper) or upper != lower:
                problems.append(f"preset {preset}: {tier} ends at {upper}, the next tier starts at {lower}")
        if not pd.isna(maxs[-1]):
            problems.append(f"preset {preset}: the top tier must have a blank followers_max")
    if problems:
        raise ValueError("tier_presets.csv: " + "; ".join(problems))
    return df


def load_tier_presets() -> pd.DataFrame:
    """Read ``tier_presets.csv``: followers_min inclusive, followers_max exclusive (blank = open)."""
    return _load_tier_presets_cached(TIER_PRESETS_FILE.resolve()).copy()


def tier_bounds(preset: str = DEFAULT_TIER_PRESET) -> list[tuple[str, int, float]]:
    """``[(tier, followers_min, followers_max), ...]`` for a preset, lowest first; open top is ``inf``."""
    return list(_tier_bounds_cached(preset, TIER_PRESETS_FILE.resolve()))


@cache
def _tier_bounds_cached(preset: str, path: Path) -> tuple[tuple[str, int, float], ...]:
    df = _load_tier_presets_cached(path)
    known = sorted(df["preset"].unique())
    if preset not in known:
        raise ValueError(f"unknown tier preset {preset!r}; known presets: {', '.join(known)}")
    rows = df[df["preset"] == preset].sort_values("followers_min")
    return tuple(
        (str(r.tier), int(r.followers_min), math.inf if pd.isna(r.followers_max) else float(r.followers_max))
        for r in rows.itertuples()
    )


def assign_tier(
    followers: pd.Series | np.ndarray | int, preset: str = DEFAULT_TIER_PRESET
) -> pd.Series | pd.Categorical | str:
    """Label follower counts with the preset's tiers (vectorised with ``np.searchsorted``).

    Returns an ordered categorical: a ``pd.Series`` (same index) for a Series, a ``pd.Categorical`` for an
    array, and a plain ``str`` for a scalar. Counts below the preset's lowest bound (e.g. 999 when nano starts
    at 1,000) are labelled ``"sub_nano"``, which is then the first category; presets whose nano starts at 0
    have no such label. Missing counts stay missing; negative counts raise ``ValueError``.
    """
    bounds = tier_bounds(preset)
    labels = [tier for tier, _, _ in bounds]
    mins = np.array([lo for _, lo, _ in bounds], dtype="float64")
    categories = labels if mins[0] == 0 else [SUB_NANO, *labels]

    scalar = np.ndim(followers) == 0
    values = np.atleast_1d(np.asarray(followers, dtype="float64"))
    if np.any(values < 0):
        raise ValueError("follower counts must be >= 0")
    index = np.searchsorted(mins, values, side="right") - 1  # -1 = below the lowest bound
    codes = index + (len(categories) - len(labels))
    codes = np.where(np.isnan(values), -1, codes)
    result = pd.Categorical.from_codes(codes, categories=categories, ordered=True)

    if scalar:
        return result[0]
    if isinstance(followers, pd.Series):
        return pd.Series(result, index=followers.index, name=followers.name)
    return result


# The registry's note on a row whose typical value is our midpoint of the published band, not a published
# figure: displays then say "midpoint", not "typical".
MIDPOINT_NOTE = "typical = band midpoint"


def typical_word(b: Benchmark) -> str:
    """The word for a row's middle value: "midpoint" when its notes say we computed it as the band's
    midpoint (and it is one), else "typical" (a published figure)."""
    computed = b.low is not None and b.high is not None and b.typical is not None
    if computed and MIDPOINT_NOTE in b.notes and math.isclose(b.typical, (b.low + b.high) / 2):  # type: ignore[operator]
        return "midpoint"
    return "typical"


def benchmark_table(ids: list[str]) -> pd.DataFrame:
    """Industry figures for display: range, unit, source, year and grade of each benchmark id.

    Notebooks quote figures only through this (or `cite`), never typed into prose.
    """
    rows = []
    for bid in ids:
        b = benchmark(bid)
        rows.append(
            {
                "figure": b.metric.replace("_", " "),
                "platform": b.platform,
                "tier": b.tier,
                "low": b.low,
                "typical": b.typical,
                "high": b.high,
                "unit": b.unit,
                "source": b.source_name,
                "year": b.year,
                "grade": b.grade,
                "url": b.source_url,
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- which entries price what
CPM_SOURCES: tuple[str, ...] = ("wordontheblock_2023", "influencerhero", "inzpire")
"""The registry's three influencer CPM rate cards, ids ``cpm_<platform>_<source>``."""
_FORMAT_UPLIFT_IDS: dict[str, str] = {
    "reel": "format_uplift_video_hypeauditor",
    "short_video": "format_uplift_video_hypeauditor",
    "long_video": "format_uplift_video_hypeauditor",
    "carousel": "format_uplift_carousel_hypeauditor",
    "story_link": "format_uplift_story_link_hypeauditor",
}
_INSTAGRAM_REACH = {
    "feed": "feed",
    "carousel": "feed",
    "reel": "reel",
    "story": "story",
    "story_link": "story",
}


def band(benchmark_ids: Sequence[str]) -> tuple[float, float, float]:
    """(low, typical, high) across registry entries: the lowest low, the median of the typical values
    (`Benchmark.value`), the highest high (an entry without a bound contributes its value)."""
    rows = [benchmark(i) for i in benchmark_ids]
    lows = [r.low if r.low is not None else r.value for r in rows]
    highs = [r.high if r.high is not None else r.value for r in rows]
    return min(lows), float(np.median([r.value for r in rows])), max(highs)


def cpm_band(platform: str) -> tuple[tuple[float, float, float], tuple[str, ...]]:
    """CPM band for a platform across ``cpm_<platform>_<source>`` for `CPM_SOURCES`: ((low, typical, high),
    ids) in USD per 1,000 impressions (views on video platforms), combined as in `band`."""
    ids = tuple(f"cpm_{platform}_{s}" for s in CPM_SOURCES)
    return band(ids), ids


def reach_rate_id(platform: str, fmt: str) -> str:
    """Benchmark id of the share of followers a post of this format reaches (Instagram) or is watched by.

    Instagram feed and carousel: ``reach_rate_instagram_feed_influencerfee``; reel: ``..._reel_...``;
    story and story_link: ``..._story_...``; TikTok: ``reach_rate_tiktok_untapper`` (a floor: "often more
    than 100%"); YouTube: ``reach_rate_youtube_stellar`` (a planning rule, one value).
    """
    if platform == "tiktok":
        return "reach_rate_tiktok_untapper"
    if platform == "youtube":
        return "reach_rate_youtube_stellar"
    if platform != "instagram":
        raise ValueError(f"unknown platform {platform!r}; expected instagram, tiktok or youtube")
    if fmt not in _INSTAGRAM_REACH:
        raise ValueError(f"format {fmt!r} does not exist on instagram")
    return f"reach_rate_instagram_{_INSTAGRAM_REACH[fmt]}_influencerfee"


def format_uplift_id(fmt: str) -> str | None:
    """HypeAuditor's price multiplier over a feed post for the format, or None for feed posts and stories.

    Video formats (reel, short_video, long_video): ``format_uplift_video_hypeauditor``; carousel:
    ``format_uplift_carousel_hypeauditor``; story_link: ``format_uplift_story_link_hypeauditor``. The source
    describes Instagram; applying it to TikTok and YouTube videos is our choice.
    """
    return _FORMAT_UPLIFT_IDS.get(fmt)


def format_uplift(fmt: str) -> float:
    """Price multiplier of a format over a feed post: the value of `format_uplift_id`, 1 when there is none
    (HypeAuditor: video +40-50%, carousel +20-30%...)."""
    found = format_uplift_id(fmt)
    return float(benchmark(found).value) if found else 1.0
