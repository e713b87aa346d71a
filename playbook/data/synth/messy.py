"""Deliberately messy raw exports for the data-cleaning lesson, derived from the clean tables.

The three CSV files imitate what teams really receive and what the public Kaggle files look like (a
creator-discovery export, the "influencer marketing ROI" campaign file and a store order export): duplicated
rows, "$" prefixes, Excel serial dates, "12.5k" counts, "3.4%" rates, blanks, missing ids, engagements
greater than reach, "IG"/"tiktok" platform spellings and mixed date formats. They are never used by the
analyses; the clean tables stay the source of truth.

Every injected problem is a hidden boolean flag column (`_dirt|<column>|<kind>`) that travels with its row,
so a duplicated row carries the flags of its cells. The manifest and the README count those flags: the
numbers always describe exactly what is in the files, nothing is hard-coded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from playbook.data.io import atomic_write_with
from playbook.data.loading import empty_table
from playbook.data.schemas import TABLES

__all__ = [
    "BUILDERS",
    "COLUMNS",
    "COUNTRY_NAMES",
    "CURRENCY_SYMBOLS",
    "DIRT_KINDS",
    "ENGAGEMENTS",
    "EXCEL_EPOCH",
    "FILES",
    "FLAG",
    "PLATFORM_NAMES",
    "PLATFORM_VARIANTS",
    "RATES",
    "RAW_STREAM",
    "dirt_manifest",
    "write_raw_exports",
]


RAW_STREAM = 13  # same number as synth_common.STREAMS["raw"]
FLAG = "_dirt|"
ENGAGEMENTS = ("likes", "comments", "shares", "saves")
EXCEL_EPOCH = pd.Timestamp("1899-12-30")

DIRT_KINDS: dict[str, str] = {
    "exact_duplicate_row": "the whole row appears again, identical in every column",
    "near_duplicate_row": "the same account appears again with its handle in another letter case",
    "duplicate_order_id": "the same order exported twice, the copy with its amount in the other money format",
    "refund_row": "a negative-amount refund row that reuses the order_id of the refunded order",
    "missing_value": "blank cell",
    "missing_id": "blank identifier",
    "at_prefix": "handle written with a leading '@'",
    "upper_case": "handle written in upper case",
    "trailing_whitespace": "trailing spaces after the value",
    "platform_spelling": "platform not spelled Instagram/TikTok/YouTube (e.g. 'IG', 'Instagram ', 'tiktok')",
    "abbreviated_number": "count with a k / M / B suffix such as '12.5k' or '1.2M' (rounded: precision lost)",
    "thousands_separator": "number with ',' thousands separators such as '1,234'",
    "percent_string": "rate written as a percent string such as '3.41%' (divide by 100)",
    "country_full_name": "country written as a full name ('United States') instead of the ISO code ('US')",
    "us_date": "date written MM/DD/YYYY (e.g. 03/15/2025)",
    "excel_serial_date": "date written as an Excel serial day number (days since 1899-12-30), e.g. 45731",
    "engagements_exceed_reach": "engagements greater than estimated_reach, impossible for unique reach",
    "currency_symbol": "money with a currency symbol prefix such as '$1,234.50' or '€45.10'",
    "currency_code_suffix": "money with an ISO currency code suffix such as '45.10 USD'",
    "day_first_datetime": "timestamp written DD.MM.YYYY HH:MM (day first, no seconds)",
    "inconsistent_case": "code in lower or mixed case while the store's codes are upper case",
}

FILES: dict[str, str] = {
    "creator_export.csv": "A creator-discovery tool export: one row per social account.",
    "campaign_export.csv": "Like the Kaggle influencer-marketing ROI file: one row per sponsored post.",
    "orders_export.csv": "A store order export: one row per order, plus refund rows.",
}

COLUMNS: dict[str, dict[str, str]] = {
    "creator_export.csv": {
        "handle": "Account handle.",
        "platform": "Platform.",
        "category": "Creator niche.",
        "followers": "Followers at the profile snapshot.",
        "engagement_rate": "Mean over the account's posts of (likes+comments+shares+saves) / followers, "
        "as a percent; blank when the account has no post.",
        "country": "Creator's country of residence.",
    },
    "campaign_export.csv": {
        "post_id": "Sponsored post.",
        "campaign_id": "Campaign of the post.",
        "platform": "Platform.",
        "influencer_category": "Creator niche.",
        "start_date": "Campaign start date.",
        "engagements": "likes + comments + shares + saves.",
        "estimated_reach": "Unique accounts reached.",
        "product_sales": "Revenue of orders credited (code first, else link) to the creator and campaign, "
        "split evenly over the creator's posts of the campaign.",
        "currency": "Currency of product_sales.",
    },
    "orders_export.csv": {
        "order_id": "Order.",
        "order_date": "Order time (refund time for refund rows).",
        "customer_id": "Pseudonymous customer.",
        "amount": "Revenue after discount; negative for refunds.",
        "discount_code": "Code typed at checkout; blank when none.",
    },
}

PLATFORM_NAMES = {"instagram": "Instagram", "tiktok": "TikTok", "youtube": "YouTube"}
PLATFORM_VARIANTS = {
    "instagram": ("IG", "instagram", "Instagram ", "INSTAGRAM", "Insta"),
    "tiktok": ("tiktok", "Tik Tok", "TikTok ", "TT"),
    "youtube": ("YT", "youtube", "Youtube", "YouTube "),
}
COUNTRY_NAMES = {
    "US": "United States",
    "GB": "United Kingdom",
    "DE": "Germany",
    "FR": "France",
    "ES": "Spain",
    "IT": "Italy",
    "NL": "Netherlands",
    "SE": "Sweden",
    "CA": "Canada",
    "AU": "Australia",
    "BR": "Brazil",
    "MX": "Mexico",
    "IN": "India",
}
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£"}

# share of the eligible rows that get each kind of dirt (at least one row whenever one is eligible)
RATES = {
    "upper_case": 0.08,
    "at_prefix": 0.30,
    "trailing_whitespace": 0.06,
    "platform_spelling": 0.15,
    "country_full_name": 0.12,
    "missing_value": 0.05,
    "missing_id": 0.05,
    "us_date": 0.25,
    "excel_serial_date": 0.15,
    "engagements_exceed_reach": 0.03,
    "currency_symbol": 0.40,
    "thousands_separator": 0.50,
    "inconsistent_case": 0.20,
    "near_duplicate_row": 0.02,
    "exact_duplicate_row": 0.03,
    "refund_row": 0.03,
    "duplicate_order_id": 0.02,
}


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, RAW_STREAM]))


def _table(tables: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame:
    """The schema columns of a table (an empty table when it is missing)."""
    df = tables.get(name)
    return empty_table(name) if df is None else df[TABLES[name].columns]


def _lookup(keys: pd.Series, table: pd.DataFrame, key: str, value: str) -> pd.Series:
    """`table[value]` for each of `keys` matched on `table[key]` (NaN where absent), indexed like `keys`."""
    ref = table.drop_duplicates(key).set_index(key)[value]
    return pd.Series(ref.reindex(keys.to_numpy()).to_numpy(), index=keys.index)


def _choose(rng: np.random.Generator, eligible: np.ndarray, kind: str) -> np.ndarray:
    """Exactly max(1, round(rate * eligible)) of the eligible rows, drawn at random (none if none)."""
    eligible = np.asarray(eligible, dtype=bool)
    pool = np.flatnonzero(eligible)
    k = max(1, round(RATES[kind] * len(pool))) if len(pool) else 0
    mask = np.zeros(len(eligible), dtype=bool)
    mask[rng.choice(pool, size=k, replace=False)] = True
    return mask


def _flag(df: pd.DataFrame, column: str, kind: str, mask: np.ndarray | pd.Series) -> None:
    """Record (OR) that `kind` of dirt was injected into `column` on the rows of `mask`."""
    name = f"{FLAG}{column}|{kind}"
    mask = np.asarray(mask, dtype=bool)
    df[name] = mask | df[name].to_numpy() if name in df else mask


def _append_copies(df: pd.DataFrame, rows: np.ndarray, column: str, kind: str) -> pd.DataFrame:
    """Append copies of the masked rows (with their cell flags) and flag the copies as `kind`."""
    copies = df[rows].copy()
    copies["_copy"] = True
    out = pd.concat([df, copies], ignore_index=True)
    _flag(out, column, kind, np.arange(len(out)) >= len(df))
    return out


def _strs(values: pd.Series | np.ndarray) -> np.ndarray:
    return np.asarray(pd.Series(values).astype(str).to_numpy(), dtype=object)


def _money(values: np.ndarray, thousands: np.ndarray) -> np.ndarray:
    """Two-decimal amounts, with ',' thousands separators where asked."""
    return np.array(
        [f"{v:,.2f}" if t else f"{v:.2f}" for v, t in zip(np.asarray(values, float), thousands, strict=True)],
        dtype=object,
    )


def _abbreviate(values: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """'12.5k', '1.2M', '3.0b' style counts (one decimal, suffix case as asked; never '1000.0k')."""
    values = np.asarray(values, dtype=float)
    div = np.where(values >= 999_950_000, 1e9, np.where(values >= 999_950, 1e6, 1e3))
    suffix = np.where(div == 1e9, "b", np.where(div == 1e6, "m", "k"))
    suffix = np.where(upper, np.char.upper(suffix), suffix)
    return np.array([f"{v / d:.1f}{s}" for v, d, s in zip(values, div, suffix, strict=True)], dtype=object)


def _platform_text(rng: np.random.Generator, platform: pd.Series, eligible: np.ndarray) -> pd.DataFrame:
    """Platform display names, some replaced by a messy spelling; returns text and the dirt mask."""
    plat = _strs(platform)
    text = np.array([PLATFORM_NAMES[p] for p in plat], dtype=object)
    messy = _choose(rng, eligible, "platform_spelling")
    pick = rng.integers(0, 1_000_000, len(plat))
    variants = [PLATFORM_VARIANTS[p][i % len(PLATFORM_VARIANTS[p])] for p, i in zip(plat, pick, strict=True)]
    return pd.DataFrame({"text": np.where(messy, variants, text), "messy": messy})


def _creator_export(tables: Mapping[str, pd.DataFrame], rng: np.random.Generator) -> pd.DataFrame:
    accounts, creators, posts = (_table(tables, t) for t in ("accounts", "creators", "posts"))
    n = len(accounts)
    followers = accounts["followers"].to_numpy(dtype=np.int64)
    per_post = _lookup(posts["account_id"], accounts, "account_id", "followers").astype(float)
    rate = posts[list(ENGAGEMENTS)].sum(axis=1) / per_post.where(per_post > 0)
    er = rate.groupby(posts["account_id"]).mean().reindex(accounts["account_id"]).to_numpy(dtype=float)
    creator = accounts["creator_id"]
    country = _strs(_lookup(creator, creators, "creator_id", "country").fillna(""))
    niche = _lookup(creator, creators, "creator_id", "niche").fillna("").astype(str).str.title()

    core = pd.Series(_strs(accounts["handle"]), dtype=object)
    upper = _choose(rng, (core.str.upper() != core).to_numpy(), "upper_case")
    at = _choose(rng, np.ones(n, bool), "at_prefix")
    trail = _choose(rng, np.ones(n, bool), "trailing_whitespace")
    spaces = np.where(rng.random(n) < 0.5, " ", "  ")
    handle = np.where(at, "@", "") + np.where(upper, core.str.upper(), core) + np.where(trail, spaces, "")
    platform = _platform_text(rng, accounts["platform"], np.ones(n, bool))

    style = rng.choice(3, size=n, p=[0.6, 0.25, 0.15])  # abbreviated, thousands separator, plain
    abbreviated = (style == 0) & (followers >= 1000)
    thousands = (style == 1) & (followers >= 1000)
    abbrev = _abbreviate(followers, rng.random(n) < 0.5)
    grouped = np.array([f"{v:,}" for v in followers], dtype=object)
    followers_text = np.where(abbreviated, abbrev, np.where(thousands, grouped, followers.astype(str)))
    has_er = ~np.isnan(er)
    er_text = np.array(
        [f"{v * 100:.2f}%" if ok else "" for v, ok in zip(er, has_er, strict=True)], dtype=object
    )

    full = _choose(rng, country != "", "country_full_name")
    blank = _choose(rng, (country != "") & ~full, "missing_value")
    names = np.array([COUNTRY_NAMES.get(c, c) for c in country], dtype=object)
    country_text = np.where(blank, "", np.where(full, names, country))

    df = pd.DataFrame(
        {
            "handle": handle,
            "platform": platform["text"].to_numpy(),
            "category": niche.to_numpy(),
            "followers": followers_text,
            "engagement_rate": er_text,
            "country": country_text,
            "_core": core.to_numpy(),
            "_copy": np.zeros(n, bool),
        }
    )
    _flag(df, "handle", "at_prefix", at)
    _flag(df, "handle", "upper_case", upper)
    _flag(df, "handle", "trailing_whitespace", trail)
    _flag(df, "platform", "platform_spelling", platform["messy"])
    _flag(df, "followers", "abbreviated_number", abbreviated)
    _flag(df, "followers", "thousands_separator", thousands)
    _flag(df, "engagement_rate", "percent_string", has_er)
    _flag(df, "engagement_rate", "missing_value", ~has_er)
    _flag(df, "country", "country_full_name", full)
    _flag(df, "country", "missing_value", blank)

    # near duplicates: the same row with the handle capitalised ("Mia.glow..."), no '@' and no spaces
    cap = df["_core"].str.capitalize()
    near = _choose(rng, (cap != df["_core"]) & (cap != df["_core"].str.upper()), "near_duplicate_row")
    df = _append_copies(df, near, "handle", "near_duplicate_row")
    new = df[f"{FLAG}handle|near_duplicate_row"].to_numpy()
    df.loc[new, "handle"] = df.loc[new, "_core"].str.capitalize()
    for kind in ("at_prefix", "upper_case", "trailing_whitespace"):
        df.loc[new, f"{FLAG}handle|{kind}"] = False
    df = _append_copies(
        df, _choose(rng, ~df["_copy"].to_numpy(), "exact_duplicate_row"), "*", "exact_duplicate_row"
    )
    return df.iloc[rng.permutation(len(df))].reset_index(drop=True)


def _sales_per_post(
    tables: Mapping[str, pd.DataFrame], campaign: pd.Series, creator: pd.Series
) -> np.ndarray:
    """Order revenue credited to (campaign, creator) by code, else by link, split over the creator's posts."""
    orders, codes, links = (_table(tables, t) for t in ("orders", "promo_codes", "tracking_links"))
    codes = codes[~codes["sitewide"].astype(bool)]
    code, link = orders["promo_code"], orders["link_id"]
    by_code = _lookup(code, codes, "code", "campaign_id").notna()
    credit_campaign = _lookup(code, codes, "code", "campaign_id").where(
        by_code, _lookup(link, links, "link_id", "campaign_id")
    )
    credit_creator = _lookup(code, codes, "code", "creator_id").where(
        by_code, _lookup(link, links, "link_id", "creator_id")
    )
    revenue = orders["order_value"].groupby([credit_campaign, credit_creator]).sum()
    key = pd.MultiIndex.from_arrays([campaign.to_numpy(), creator.to_numpy()])
    pairs = pd.DataFrame({"campaign": campaign.to_numpy(), "creator": creator.to_numpy()})
    n_posts = pairs.groupby(["campaign", "creator"], dropna=False)["campaign"].transform("size")
    return revenue.reindex(key).fillna(0.0).to_numpy(dtype=float) / n_posts.to_numpy(dtype=float)


def _campaign_export(tables: Mapping[str, pd.DataFrame], rng: np.random.Generator) -> pd.DataFrame:
    posts, campaigns, accounts, creators = (
        _table(tables, t) for t in ("posts", "campaigns", "accounts", "creators")
    )
    sp = posts[posts["sponsored"].astype(bool) & posts["campaign_id"].notna()].reset_index(drop=True)
    n = len(sp)
    creator = _lookup(sp["account_id"], accounts, "account_id", "creator_id")
    niche = _lookup(creator, creators, "creator_id", "niche").fillna("").astype(str).str.title()
    currency = _strs(_lookup(sp["campaign_id"], campaigns, "campaign_id", "currency").fillna("USD"))
    start = pd.to_datetime(_lookup(sp["campaign_id"], campaigns, "campaign_id", "start_date"))
    engagements = sp[list(ENGAGEMENTS)].sum(axis=1).to_numpy(dtype=np.int64)
    reach = sp["reach"].to_numpy(dtype=np.int64).copy()
    sales = np.round(_sales_per_post(tables, sp["campaign_id"], creator), 2)
    everyone = np.ones(n, bool)

    missing_id = _choose(rng, everyone, "missing_id")
    platform = _platform_text(rng, sp["platform"], everyone)
    no_category = _choose(rng, everyone, "missing_value")
    us = _choose(rng, everyone, "us_date")
    excel = _choose(rng, ~us, "excel_serial_date")
    iso = start.dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
    us_text = start.dt.strftime("%m/%d/%Y").to_numpy(dtype=object)
    serial = ((start - EXCEL_EPOCH).dt.days).astype(str).to_numpy(dtype=object)
    over = _choose(rng, engagements >= 2, "engagements_exceed_reach")
    reach[over] = np.floor(engagements[over] * rng.uniform(0.2, 0.9, int(over.sum()))).astype(np.int64)
    blank_sales = _choose(rng, everyone, "missing_value")
    symbol = _choose(rng, ~blank_sales, "currency_symbol")
    grouped = _choose(rng, ~blank_sales, "thousands_separator") & (sales >= 1000)
    symbols = np.array([CURRENCY_SYMBOLS.get(c, "$") for c in currency], dtype=object)
    sales_text = np.where(blank_sales, "", np.where(symbol, symbols, "") + _money(sales, grouped))

    df = pd.DataFrame(
        {
            "post_id": _strs(sp["post_id"]),
            "campaign_id": np.where(missing_id, "", _strs(sp["campaign_id"])),
            "platform": platform["text"].to_numpy(),
            "influencer_category": np.where(no_category, "", niche.to_numpy(dtype=object)),
            "start_date": np.where(us, us_text, np.where(excel, serial, iso)),
            "engagements": engagements.astype(str),
            "estimated_reach": reach.astype(str),
            "product_sales": sales_text,
            "currency": currency,
            "_copy": np.zeros(n, bool),
        }
    )
    _flag(df, "campaign_id", "missing_id", missing_id)
    _flag(df, "platform", "platform_spelling", platform["messy"])
    _flag(df, "influencer_category", "missing_value", no_category)
    _flag(df, "start_date", "us_date", us)
    _flag(df, "start_date", "excel_serial_date", excel)
    _flag(df, "estimated_reach", "engagements_exceed_reach", over)
    _flag(df, "product_sales", "currency_symbol", symbol)
    _flag(df, "product_sales", "thousands_separator", grouped)
    _flag(df, "product_sales", "missing_value", blank_sales)
    df = _append_copies(df, _choose(rng, everyone, "exact_duplicate_row"), "*", "exact_duplicate_row")
    return df.iloc[rng.permutation(len(df))].reset_index(drop=True)


def _orders_export(tables: Mapping[str, pd.DataFrame], rng: np.random.Generator) -> pd.DataFrame:
    orders, campaigns = _table(tables, "orders"), _table(tables, "campaigns")
    n = len(orders)
    first_campaign = campaigns.sort_values("campaign_id")  # a brand sells in its first currency
    code = pd.Series(_strs(orders["promo_code"].fillna("")), dtype=object)
    lower = code.str.lower()
    messy = _choose(rng, ((code != "") & (lower != code)).to_numpy(), "inconsistent_case")
    variant = np.where(rng.random(n) < 0.5, lower, code.str.capitalize())
    variant = np.where(variant == code, lower, variant)
    df = pd.DataFrame(
        {
            "order_id": _strs(orders["order_id"]),
            "customer_id": _strs(orders["customer_id"]),
            "discount_code": np.where(messy, variant, code),
            "_ts": pd.to_datetime(orders["ordered_at"]).to_numpy(),
            "_value": orders["order_value"].to_numpy(dtype=float),
            "_currency": _strs(
                _lookup(orders["brand_id"], first_campaign, "brand_id", "currency").fillna("USD")
            ),
            "_symbol": rng.random(n) < 0.5,
            "_copy": np.zeros(n, bool),
        }
    )
    _flag(df, "discount_code", "inconsistent_case", messy)

    refund = _choose(rng, df["_value"].to_numpy() > 0, "refund_row")
    df = _append_copies(df, refund, "amount", "refund_row")
    new = df[f"{FLAG}amount|refund_row"].to_numpy()
    k = int(new.sum())
    df.loc[new, "_value"] = -df.loc[new, "_value"]
    df.loc[new, "_ts"] = df.loc[new, "_ts"] + pd.to_timedelta(
        rng.integers(24 * 60, 14 * 24 * 60, k), unit="min"
    )
    df.loc[new, "_symbol"] = rng.random(k) < 0.5

    dup = _choose(rng, ~df["_copy"].to_numpy(), "duplicate_order_id")
    df = _append_copies(df, dup, "order_id", "duplicate_order_id")
    new = df[f"{FLAG}order_id|duplicate_order_id"].to_numpy()
    df.loc[new, "_symbol"] = ~df.loc[new, "_symbol"].astype(bool)

    value, symbol = df["_value"].to_numpy(dtype=float), df["_symbol"].to_numpy(dtype=bool)
    number = _money(np.abs(value), np.zeros(len(df), bool))
    sign = np.where(value < 0, "-", "")
    symbols = np.array([CURRENCY_SYMBOLS.get(c, "$") for c in df["_currency"]], dtype=object)
    df["amount"] = sign + np.where(
        symbol, symbols + number, number + " " + df["_currency"].to_numpy(dtype=object)
    )
    df["order_date"] = pd.to_datetime(df["_ts"]).dt.strftime("%d.%m.%Y %H:%M")
    _flag(df, "order_date", "day_first_datetime", np.ones(len(df), bool))
    _flag(df, "amount", "currency_symbol", symbol)
    _flag(df, "amount", "currency_code_suffix", ~symbol)
    return df.sort_values("_ts", kind="mergesort").reset_index(drop=True)


BUILDERS: dict[str, Callable[[Mapping[str, pd.DataFrame], np.random.Generator], pd.DataFrame]] = {
    "creator_export.csv": _creator_export,
    "campaign_export.csv": _campaign_export,
    "orders_export.csv": _orders_export,
}


def _build(tables: Mapping[str, pd.DataFrame], seed: int) -> dict[str, pd.DataFrame]:
    """Every export with its hidden `_...` helper and flag columns (one random stream, fixed order)."""
    rng = _rng(seed)
    return {file: build(tables, rng) for file, build in BUILDERS.items()}


def _manifest(built: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    rows = [
        {"file": file, "column": col, "dirt_kind": kind, "rows_affected": int(df[name].sum())}
        for file, df in built.items()
        for name in df.columns
        if name.startswith(FLAG)
        for col, kind in [name[len(FLAG) :].split("|")]
    ]
    manifest = pd.DataFrame(rows, columns=["file", "column", "dirt_kind", "rows_affected"])
    return manifest[manifest["rows_affected"] > 0].reset_index(drop=True)


def dirt_manifest(tables: Mapping[str, pd.DataFrame], seed: int) -> pd.DataFrame:
    """What `write_raw_exports` injects for these tables and seed: file, column, dirt_kind, rows_affected."""
    return _manifest(_build(tables, seed))


def _readme(built: Mapping[str, pd.DataFrame], manifest: pd.DataFrame, seed: int) -> str:
    lines = [
        "# Raw exports (deliberately messy)",
        "",
        f"Generated by `playbook.data.synth.messy.write_raw_exports` (seed {seed}) from the clean synthetic",
        "tables, for the data-cleaning lesson. They imitate real exports and the public Kaggle files",
        "(duplicates, '$' prefixes, Excel serial dates, '12.5k' counts, '3.4%' rates, blanks, engagements >",
        "reach). Never",
        "analyse them: the clean tables in `datasets/` are the source of truth. The tables below list",
        "exactly what was injected, so you can check your cleaning found everything",
        "(`*` means the whole row).",
    ]
    for file, description in FILES.items():
        lines += ["", f"## {file} ({len(built[file]):,} rows)", "", description, "", "| column | meaning |"]
        lines += ["|---|---|"] + [f"| {c} | {m} |" for c, m in COLUMNS[file].items()]
        lines += ["", "| column | dirt kind | rows | what it looks like |", "|---|---|---:|---|"]
        part = manifest[manifest["file"] == file]
        lines += [
            f"| {r.column} | {r.dirt_kind} | {r.rows_affected:,} | {DIRT_KINDS[r.dirt_kind]} |"
            for r in part.itertuples()
        ]
    return "\n".join(lines) + "\n"


def write_raw_exports(tables: Mapping[str, pd.DataFrame], out: Path, seed: int) -> dict[str, Path]:
    """Write the messy CSV exports and their README into `out`; returns {file name: path}."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    built = _build(tables, seed)
    paths: dict[str, Path] = {}
    for file, df in built.items():
        visible = df[list(COLUMNS[file])]
        paths[file] = out / file
        atomic_write_with(
            paths[file], lambda p, v=visible: v.to_csv(p, index=False, lineterminator="\n", encoding="utf-8")
        )
    text = _readme(built, _manifest(built), seed)
    paths["README.md"] = out / "README.md"
    atomic_write_with(paths["README.md"], lambda p: p.write_text(text, encoding="utf-8", newline="\n"))
    return paths
