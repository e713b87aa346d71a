"""The seeded sample-data generator: `generate(out, seed, scale)` writes every table of `schemas.TABLES`.

Work is split into shards of creators; each shard is an independent slice (its brands, campaigns, team)
drawn from its own random streams, so the 10-million-post set streams to Parquet one shard at a time
with bounded memory. The small sample is one shard written as CSV and committed under `datasets/sample/`.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from playbook.data.io import fsync_replace
from playbook.data.layout import DEFAULT_SEED as DEFAULT_SEED
from playbook.data.layout import RAW_DIR as RAW_DIR  # re-exported: where `generate` writes by default
from playbook.data.layout import SAMPLE_DIR as SAMPLE_DIR
from playbook.data.schemas import TABLES, Table
from playbook.data.synth import calibration
from playbook.data.synth.campaigns import finish_campaigns, generate_campaigns
from playbook.data.synth.common import Window, stream
from playbook.data.synth.creators import generate_creators
from playbook.data.synth.ops import generate_tasks, generate_team, generate_topics
from playbook.data.synth.orders import (
    CODE_ONLY,
    ORDER_VALUE,
    generate_experiments,
    generate_orders,
    reported_results,
)
from playbook.data.synth.posts import CLICK_FACTOR, SPONSORED_ER, generate_comments, generate_posts

__all__ = [
    "SCALES",
    "WINDOW",
    "Scale",
    "arrow_schema",
    "generate",
    "generate_shard",
    "public_columns",
    "resolve_scale",
]


WINDOW = Window(pd.Timestamp("2025-03-03"), 120)


@dataclass(frozen=True)
class Scale:
    """How much to generate: creators per shard, number of shards, and an exact post total if set."""

    creators: int
    shard_size: int
    total_posts: int | None = None
    comment_share: float = 0.25

    @property
    def shards(self) -> int:
        return -(-self.creators // self.shard_size)


SCALES = {
    "small": Scale(creators=260, shard_size=260),
    "large": Scale(creators=200_000, shard_size=5_000, total_posts=10_000_000, comment_share=0.02),
}


def resolve_scale(scale: str | int) -> Scale:
    if isinstance(scale, int):
        return Scale(creators=scale, shard_size=min(scale, 5_000))
    if scale not in SCALES:
        raise ValueError(
            f"unknown scale {scale!r}; expected one of {', '.join(SCALES)} or a number of creators"
        )
    return SCALES[scale]


def _expected_results(
    contracts: pd.DataFrame, accounts: pd.DataFrame, campaigns: pd.DataFrame
) -> pd.DataFrame:
    """Planning estimates per campaign (reach, engagements, clicks, conversions, revenue) from the deals."""
    acc = accounts.set_index("account_id")
    reach = contracts["expected_views"] * contracts["deliverables_count"]
    er = contracts["account_id"].map(acc["_er"])
    base = np.where(
        contracts["_platform"] == "instagram",
        contracts["account_id"].map(acc["_real_followers"]),
        contracts["expected_views"],
    )
    engagements = base * er * SPONSORED_ER * contracts["deliverables_count"]
    clicks = reach * calibration.value("ctr_views_rule_of_thumb") * contracts["_format"].map(CLICK_FACTOR)
    conversions = (
        clicks * calibration.value("conversion_rate_instagram_story_calculatorcity") * (1 + CODE_ONLY)
    )
    category = contracts["campaign_id"].map(campaigns.set_index("campaign_id")["_category"])
    revenue = conversions * category.map(ORDER_VALUE)
    frame = pd.DataFrame(
        {
            "campaign_id": contracts["campaign_id"],
            "reach": reach,
            "engagements": engagements,
            "clicks": clicks,
            "conversions": conversions,
            "revenue": revenue,
        }
    )
    return frame.groupby("campaign_id").sum()


def generate_shard(
    seed: int, shard: int, n_creators: int, scale: Scale, window: Window = WINDOW
) -> dict[str, pd.DataFrame]:
    """All tables of one shard, with hidden `_` columns still attached."""
    start = shard * scale.shard_size
    tables, matrices = generate_creators(seed, shard, start, n_creators, window)
    topic_daily, trends = generate_topics(seed, window)
    if shard == 0:
        tables["topic_daily"] = topic_daily
        tables["trend_labels"] = trends
    tables.update(generate_campaigns(seed, shard, tables["creators"], tables["accounts"], window))
    brands = tables["brands"].set_index("brand_id")
    brand_handle = brands["name"].str.lower().str.replace(r"[^a-z0-9]", "", regex=True)
    campaign_brand = tables["campaigns"].set_index("campaign_id")["brand_id"].map(brand_handle)
    posts_target = None
    if scale.total_posts is not None:
        posts_target = scale.total_posts // scale.shards + (
            1 if shard < scale.total_posts % scale.shards else 0
        )
    post_start = (
        shard * 10_000_000 if scale.total_posts is None else shard * (scale.total_posts // scale.shards + 1)
    )
    posts, deliverables = generate_posts(
        seed,
        shard,
        tables["accounts"],
        matrices,
        tables["deliverables"],
        tables["creators"],
        campaign_brand,
        trends,
        window,
        total_posts=posts_target,
        post_id_start=post_start,
    )
    tables["posts"], tables["deliverables"] = posts, deliverables
    tables["comments"] = generate_comments(seed, shard, posts, tables["accounts"], scale.comment_share)
    orders = generate_orders(
        seed,
        shard,
        posts,
        tables["campaigns"],
        tables["brands"],
        tables["promo_codes"],
        tables["tracking_links"],
        tables["accounts"],
        window,
    )
    tables["orders"] = orders
    tables["reported_results"] = reported_results(
        seed,
        shard,
        posts,
        orders,
        tables["contracts"],
        tables["promo_codes"],
        tables["tracking_links"],
        tables["accounts"],
    )
    tables["experiments"], tables["experiment_geo_daily"] = generate_experiments(
        seed, shard, tables["campaigns"], orders, tables["tracking_links"], tables["promo_codes"]
    )
    expected = _expected_results(tables["contracts"], tables["accounts"], tables["campaigns"])
    tables["campaigns"] = finish_campaigns(
        stream(seed, shard, "campaigns"), tables["campaigns"], tables["contracts"], expected
    )
    tables["team"] = generate_team(seed, shard, window)
    tables["tasks"] = generate_tasks(
        seed,
        shard,
        tables["team"],
        tables["campaigns"],
        tables["outreach"],
        tables["contracts"],
        deliverables,
        window,
    )
    return tables


def public_columns(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """The table's contract columns in contract order, rounded for stable, readable files."""
    out = pd.DataFrame(index=frame.index)
    for f in table.fields:
        col = frame[f.name]
        if f.kind == "float":
            digits = 2 if f.unit == "campaign currency" else 4
            col = pd.to_numeric(col).round(digits)
        elif f.kind == "int":
            col = col.astype("Int64") if f.nullable else col.astype(np.int64)
        elif f.kind == "bool":
            col = col.astype(bool)
        elif f.kind in ("date", "datetime"):
            col = pd.to_datetime(col)
        out[f.name] = col
    return out.reset_index(drop=True)


def _write_csv(table: Table, frame: pd.DataFrame, path: Path) -> None:
    frame = public_columns(table, frame).copy()
    for f in table.fields:
        if f.kind == "date":
            frame[f.name] = frame[f.name].dt.strftime("%Y-%m-%d")
        elif f.kind == "datetime":
            frame[f.name] = frame[f.name].dt.strftime("%Y-%m-%d %H:%M:%S")
        elif f.kind == "bool":
            frame[f.name] = np.where(frame[f.name], "true", "false")
    frame.to_csv(path, index=False, lineterminator="\n")


def arrow_schema(table: Table) -> object:
    import pyarrow as pa

    types = {
        "id": pa.string(),
        "str": pa.string(),
        "int": pa.int64(),
        "float": pa.float64(),
        "bool": pa.bool_(),
        "date": pa.date32(),
        "datetime": pa.timestamp("s"),
    }
    return pa.schema([pa.field(f.name, types[f.kind], nullable=True) for f in table.fields])


def _to_arrow(table: Table, frame: pd.DataFrame) -> object:
    import pyarrow as pa

    frame = public_columns(table, frame)
    schema = arrow_schema(table)
    arrays = []
    for f, field in zip(table.fields, schema, strict=False):
        col = frame[f.name]
        if f.kind == "date":
            arrays.append(pa.array(col.dt.date, type=field.type, from_pandas=True))
        elif f.kind == "datetime":
            arrays.append(pa.array(col.astype("datetime64[s]"), type=field.type, from_pandas=True))
        elif f.kind in ("id", "str"):
            arrays.append(
                pa.array(col.astype(object).where(col.notna(), None), type=field.type, from_pandas=True)
            )
        else:
            arrays.append(pa.array(col, type=field.type, from_pandas=True))
    return pa.Table.from_arrays(arrays, schema=schema)


def generate(
    out: Path = SAMPLE_DIR,
    seed: int = DEFAULT_SEED,
    scale: str | int = "small",
    fmt: str = "auto",
    raw_out: Path | None = None,
    progress: bool = False,
) -> dict[str, Path]:
    """Generate all tables into `out` (CSV for small scales, Parquet streamed by shard for large).

    Files are written into a temporary directory next to `out` and moved in only when complete, so an
    interrupted run never leaves a half-written dataset. Returns table name -> written path.
    """
    plan = resolve_scale(scale)
    if fmt == "auto":
        fmt = "parquet" if plan.creators > 20_000 else "csv"
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".generating-", dir=out))
    try:
        written = _write_all(tmp, seed, plan, fmt, progress)
        final = {}
        for name, path in written.items():
            target = out / path.name
            fsync_replace(path, target)
            final[name] = target
        if fmt == "csv" and raw_out is not None:
            from playbook.data.synth.messy import write_raw_exports

            tables = _read_back(final)
            final.update({f"raw/{k}": v for k, v in write_raw_exports(tables, Path(raw_out), seed).items()})
        return final
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _read_back(paths: dict[str, Path]) -> dict[str, pd.DataFrame]:
    from playbook.data.loading import load

    return load(next(iter(paths.values())).parent)


def _write_all(tmp: Path, seed: int, plan: Scale, fmt: str, progress: bool) -> dict[str, Path]:
    if fmt == "csv":
        frames: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLES}
        for shard in range(plan.shards):
            n = min(plan.shard_size, plan.creators - shard * plan.shard_size)
            for name, frame in generate_shard(seed, shard, n, plan).items():
                frames[name].append(frame)
        paths = {}
        for name, table in TABLES.items():
            path = tmp / f"{name}.csv"
            _write_csv(table, pd.concat(frames[name], ignore_index=True), path)
            paths[name] = path
        return paths
    import pyarrow.parquet as pq

    writers = {
        name: pq.ParquetWriter(tmp / f"{name}.parquet", arrow_schema(t), compression="zstd")
        for name, t in TABLES.items()
    }
    try:
        shards = range(plan.shards)
        if progress:
            from tqdm import tqdm

            shards = tqdm(shards, desc="shards", unit="shard")
        for shard in shards:
            n = min(plan.shard_size, plan.creators - shard * plan.shard_size)
            for name, frame in generate_shard(seed, shard, n, plan).items():
                if len(frame):
                    writers[name].write_table(_to_arrow(TABLES[name], frame))
    finally:
        for w in writers.values():
            w.close()
    return {name: tmp / f"{name}.parquet" for name in TABLES}
