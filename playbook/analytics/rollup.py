"""Per-creator, per-account and per-campaign KPI rollup in DuckDB SQL, from 10 rows to 10 million posts.

`kpi_rollup(data, by="creator")` reads the `posts`, `accounts`, `contracts` and `campaigns` tables, either
files of a data directory (`<table>.parquet`, `.csv` or `.csv.gz`, the layout `playbook datasets generate`
writes) or the `tables` dict that `playbook.data.loading.load` returns, and returns one row per group:

| column | formula | unit |
| --- | --- | --- |
| `posts`, `reach`, `impressions`, `views`, `link_clicks` | count / sum over the group's posts | count |
| `engagements` | sum of likes + comments + shares + saves | count |
| `er_by_reach` | total engagements / total reach | fraction |
| `er_by_followers` | median over all the group's posts of engagements / account followers | fraction |
| `sponsored_*` (posts, impressions, engagements, clicks) | the same sums over sponsored posts | count |
| `contracts`, `fees` | number of contracts and sum of `contracts.fee` | count, campaign currency |
| `cpm` | fees / sponsored impressions x 1000 | currency per 1,000 impressions |
| `cpe` | fees / sponsored engagements | currency per engagement |
| `cpc` | fees / sponsored link clicks | currency per click |

The formulas are those of industry-facts section 1.1 (ER variants: "always state the denominator") and 1.3
(CPM = cost / impressions x 1000; CPE = cost / engagements; CPC = cost / link clicks), with cost = the creator
fees only; full-cost metrics (product, shipping, amplification, agency, staff hours) belong to
`playbook.analytics.metrics`. Followers are the account snapshot in `accounts.followers`. The values equal
`playbook.analytics.metrics` (`cpm`, `cpe`, `cpc`, and `profile_engagement_rate` with `ERBasis("followers",
last_n=None)` or `ERBasis("reach", agg="total")`) applied to the same groups; its default profile ER uses only
the last 12 posts, a rollup over a period uses them all.

Undefined values follow `analytics.undefined`: a ratio whose denominator is 0 (or whose inputs are missing) is
NULL/NaN, never inf or 0, and the `reasons` column says why, e.g. `"CPC: denominator is 0"`. Fees are
undefined for a group with no contract, and for a creator or account whose contracts are in several
currencies (amounts are in each campaign's currency and are never summed across currencies): roll up
`by="campaign"` for those.

The rollup does not validate the data; run `playbook datasets validate DIR` first.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import duckdb
import pandas as pd

from playbook.data.layout import table_files
from playbook.data.schemas import TABLES

__all__ = ["GROUPINGS", "READ_COLUMNS", "ROLLUP_COLUMNS", "kpi_rollup", "rollup_sql"]

# The columns each source table contributes; everything else in the files is never read.
READ_COLUMNS: dict[str, tuple[str, ...]] = {
    "posts": (
        "account_id",
        "campaign_id",
        "sponsored",
        "likes",
        "comments",
        "shares",
        "saves",
        "views",
        "reach",
        "impressions",
        "link_clicks",
    ),
    "accounts": ("account_id", "creator_id", "followers"),
    "contracts": ("campaign_id", "creator_id", "account_id", "fee"),
    "campaigns": ("campaign_id", "currency"),
}

_DUCK_TYPES = {
    "id": "VARCHAR",
    "str": "VARCHAR",
    "int": "BIGINT",
    "float": "DOUBLE",
    "bool": "BOOLEAN",
    "date": "DATE",
    "datetime": "TIMESTAMP",
}

# by -> (key of a post row, key of a contract row, the groups reported and their currency when fixed)
GROUPINGS: dict[str, tuple[str, str, str]] = {
    "creator": (
        "a.creator_id",
        "c.creator_id",
        "SELECT DISTINCT creator_id AS key, NULL AS currency FROM accounts",
    ),
    "account": ("p.account_id", "c.account_id", "SELECT account_id AS key, NULL AS currency FROM accounts"),
    "campaign": ("p.campaign_id", "c.campaign_id", "SELECT campaign_id AS key, currency FROM campaigns"),
}

ROLLUP_COLUMNS: tuple[str, ...] = (
    "posts",
    "reach",
    "impressions",
    "views",
    "engagements",
    "link_clicks",
    "er_by_reach",
    "er_by_followers",
    "sponsored_posts",
    "sponsored_impressions",
    "sponsored_engagements",
    "sponsored_clicks",
    "contracts",
    "currency",
    "fees",
    "cpm",
    "cpe",
    "cpc",
    "reasons",
)

_ROLLUP_SQL = """
WITH post_rows AS (
    SELECT {post_key} AS key,
           p.sponsored,
           p.likes + p.comments + p.shares + p.saves AS engagements,
           p.reach, p.impressions, p.views, p.link_clicks,
           CASE WHEN a.followers > 0
                THEN (p.likes + p.comments + p.shares + p.saves) / a.followers::DOUBLE END AS er_post
    FROM posts AS p LEFT JOIN accounts AS a ON a.account_id = p.account_id
    {post_filter}
), post_totals AS (
    SELECT key,
           count(*) AS posts,
           sum(reach) AS reach,
           sum(impressions) AS impressions,
           sum(views) AS views,
           sum(engagements) AS engagements,
           sum(link_clicks) AS link_clicks,
           median(er_post) AS er_by_followers,
           count(er_post) AS er_posts,
           count(*) FILTER (WHERE sponsored) AS sponsored_posts,
           sum(impressions) FILTER (WHERE sponsored) AS sponsored_impressions,
           sum(engagements) FILTER (WHERE sponsored) AS sponsored_engagements,
           sum(link_clicks) FILTER (WHERE sponsored) AS sponsored_clicks
    FROM post_rows
    WHERE key IS NOT NULL
    GROUP BY key
), fee_totals AS (
    SELECT {contract_key} AS key,
           count(*) AS contracts,
           sum(c.fee) AS fee_sum,
           count(DISTINCT m.currency) AS n_currencies,
           string_agg(DISTINCT m.currency, '|' ORDER BY m.currency) AS currencies
    FROM contracts AS c LEFT JOIN campaigns AS m ON m.campaign_id = c.campaign_id
    GROUP BY key
), joined AS (
    SELECT g.key,
           coalesce(t.posts, 0) AS posts,
           coalesce(t.reach, 0)::BIGINT AS reach,
           coalesce(t.impressions, 0)::BIGINT AS impressions,
           coalesce(t.views, 0)::BIGINT AS views,
           coalesce(t.engagements, 0)::BIGINT AS engagements,
           coalesce(t.link_clicks, 0)::BIGINT AS link_clicks,
           t.er_by_followers,
           coalesce(t.er_posts, 0) AS er_posts,
           coalesce(t.sponsored_posts, 0) AS sponsored_posts,
           coalesce(t.sponsored_impressions, 0)::BIGINT AS sponsored_impressions,
           coalesce(t.sponsored_engagements, 0)::BIGINT AS sponsored_engagements,
           coalesce(t.sponsored_clicks, 0)::BIGINT AS sponsored_clicks,
           coalesce(f.contracts, 0) AS contracts,
           coalesce(g.currency, CASE WHEN f.n_currencies = 1 THEN f.currencies END) AS currency,
           f.currencies,
           CASE WHEN f.n_currencies = 1 THEN f.fee_sum END AS fees
    FROM ({groups}) AS g
    LEFT JOIN post_totals AS t ON t.key = g.key
    LEFT JOIN fee_totals AS f ON f.key = g.key
)
SELECT key AS {key_name},
       posts, reach, impressions, views, engagements, link_clicks,
       CASE WHEN reach > 0 THEN engagements / reach::DOUBLE END AS er_by_reach,
       er_by_followers,
       sponsored_posts, sponsored_impressions, sponsored_engagements, sponsored_clicks,
       contracts, currency, fees,
       CASE WHEN sponsored_impressions > 0 THEN fees * 1000 / sponsored_impressions END AS cpm,
       CASE WHEN sponsored_engagements > 0 THEN fees / sponsored_engagements END AS cpe,
       CASE WHEN sponsored_clicks > 0 THEN fees / sponsored_clicks END AS cpc,
       nullif(concat_ws('; ',
           CASE WHEN reach = 0 THEN 'ER by reach: denominator is 0' END,
           CASE WHEN posts = 0 THEN 'ER by followers: no posts'
                WHEN er_posts = 0 THEN 'ER by followers: followers is 0' END,
           CASE WHEN contracts = 0 THEN 'fees: no contract'
                WHEN fees IS NULL THEN 'fees: contracts in several currencies (' || currencies || ')' END,
           CASE WHEN fees IS NULL THEN 'CPM: missing data'
                WHEN sponsored_impressions = 0 THEN 'CPM: denominator is 0' END,
           CASE WHEN fees IS NULL THEN 'CPE: missing data'
                WHEN sponsored_engagements = 0 THEN 'CPE: denominator is 0' END,
           CASE WHEN fees IS NULL THEN 'CPC: missing data'
                WHEN sponsored_clicks = 0 THEN 'CPC: denominator is 0' END
       ), '') AS reasons
FROM joined
{group_filter}
ORDER BY key
"""


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _typed_select(table: str, source: str) -> str:
    """SELECT of the rollup's columns of `table` from `source`, cast to the contract's types."""
    fields = TABLES[table]
    casts = ", ".join(f"CAST({c} AS {_DUCK_TYPES[fields.field(c).kind]}) AS {c}" for c in READ_COLUMNS[table])
    return f"SELECT {casts} FROM {source}"


def _file_source(data_dir: Path, table: str) -> str:
    """The DuckDB table function reading `table` from `data_dir`, with explicit column types for CSV."""
    found = table_files(data_dir, table)
    if len(found) != 1:
        what = "no file" if not found else "several files: " + ", ".join(p.name for p in found)
        raise FileNotFoundError(
            f"kpi_rollup needs exactly one {table}.parquet, {table}.csv or {table}.csv.gz in {data_dir}; "
            f"found {what}"
        )
    path = found[0]
    if path.suffix == ".parquet":
        return f"read_parquet({_quote(str(path))})"
    fields = TABLES[table]
    types = ", ".join(
        f"{_quote(c)}: {_quote(_DUCK_TYPES[fields.field(c).kind])}" for c in READ_COLUMNS[table]
    )
    return f"read_csv({_quote(str(path))}, header = true, types = {{{types}}})"


def _register_sources(con: duckdb.DuckDBPyConnection, data: str | Path | Mapping[str, pd.DataFrame]) -> None:
    """Create one typed view per table read by the rollup, over files or in-memory DataFrames."""
    for table, columns in READ_COLUMNS.items():
        if isinstance(data, Mapping):
            if table not in data:
                raise KeyError(f"kpi_rollup needs the {table!r} table; got tables {', '.join(data)}")
            con.register(f"_src_{table}", data[table][list(columns)])
            source = f"_src_{table}"
        else:
            source = _file_source(Path(data), table)
        con.execute(f"CREATE VIEW {table} AS {_typed_select(table, source)}")


def rollup_sql(by: str = "creator", sponsored_only: bool = False) -> str:
    """The SQL `kpi_rollup` runs over views named posts, accounts, contracts and campaigns."""
    if by not in GROUPINGS:
        raise ValueError(f"by must be one of {', '.join(GROUPINGS)}; got {by!r}")
    post_key, contract_key, groups = GROUPINGS[by]
    return _ROLLUP_SQL.format(
        post_key=post_key,
        contract_key=contract_key,
        groups=groups,
        key_name=f"{by}_id",
        post_filter="WHERE p.sponsored" if sponsored_only else "",
        group_filter="WHERE posts > 0 OR contracts > 0" if sponsored_only else "",
    )


def kpi_rollup(
    data: str | Path | Mapping[str, pd.DataFrame],
    by: str = "creator",
    sponsored_only: bool = False,
    *,
    threads: int | None = None,
    memory_limit: str | None = None,
) -> pd.DataFrame:
    """One row per creator, account or campaign (`by`) with reach, engagement, ER and cost KPIs.

    `data` is a data directory (Parquet or CSV files) or the `tables` dict of `data.loading.load`. Every
    creator/account with an account row, or every campaign, gets a row (zero posts give zero sums and
    undefined ratios). `sponsored_only=True` counts sponsored posts only and drops groups with neither a
    sponsored post nor a contract. Columns, formulas and units: see the module docstring and
    `ROLLUP_COLUMNS`; the `reasons` column explains every NaN ratio (missing when all are defined).
    `threads` and `memory_limit` (DuckDB settings, e.g. "2GB") cap the engine; None keeps DuckDB's defaults.
    """
    query = rollup_sql(by, sponsored_only)
    # No cap by default: on the 10M-post set DuckDB's defaults (all cores, memory_limit 80% of RAM) peaked at
    # 0.85x the in-memory size of the columns read on 2 cores (benchmarks/bench_metrics.py): the scan streams
    # and only the per-post ER values of the median are held. Memory grows with threads, so cap both on
    # machines with many cores or little memory.
    config: dict[str, str | int] = {}
    if threads is not None:
        config["threads"] = threads
    if memory_limit is not None:
        config["memory_limit"] = memory_limit
    con = duckdb.connect(config=config)
    try:
        _register_sources(con, data)
        out = con.sql(query).df()
    finally:
        con.close()
    for column in (f"{by}_id", "currency", "reasons"):
        out[column] = out[column].astype("str")
    for column in ("er_by_reach", "er_by_followers", "fees", "cpm", "cpe", "cpc"):
        out[column] = out[column].astype("float64")
    return out
