"""Time and peak memory of `analytics.rollup.kpi_rollup(by="creator")` against hand-written DuckDB SQL.

Usage: python benchmarks/bench_metrics.py [--data DIR] [--repeat N] [--no-pandas]

On the 10-million-post Parquet set (default datasets/large, made by
`playbook datasets generate --scale large --out datasets/large`), runs in one invocation, each in its own
process so that peak RSS (ru_maxrss at the end) is its own, `--repeat` times each:
  1. ours:     kpi_rollup(DIR, by="creator");
  2. baseline: the same per-creator rollup written by hand as one plain DuckDB query on the same files;
  3. pandas:   the same rollup with pandas only (informative; skipped when it would not fit in memory).
Prints the median time of each, the time ratio ours / baseline (target <= 2), peak memory of each, the
in-memory size of the columns the rollup reads (pyarrow `Table.nbytes`) and peak / in-memory size
(target <= 2), and checks that the three results agree. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLES = ("posts", "accounts", "contracts", "campaigns")
MAKE_DATA = "playbook datasets generate --scale large --out datasets/large"
# What the pandas-only run holds at once relative to the data's in-memory size (measured: 3.5x, with its
# merges and group-bys) plus a margin; it is skipped when the machine's available memory is below this.
PANDAS_MEMORY_FACTOR = 6

# The timed body of each subprocess reads its data directory from argv[1] and returns a DataFrame.
OURS = """
from playbook.analytics.rollup import kpi_rollup

def run(data):
    return kpi_rollup(data, by="creator")
"""

BASELINE = """
import duckdb

SQL = '''
WITH p AS (
    SELECT a.creator_id, p.sponsored, p.reach, p.impressions, p.views, p.link_clicks,
           p.likes + p.comments + p.shares + p.saves AS eng,
           CASE WHEN a.followers > 0 THEN (p.likes + p.comments + p.shares + p.saves) / a.followers END AS erf
    FROM read_parquet('{d}/posts.parquet') AS p
    JOIN read_parquet('{d}/accounts.parquet') AS a USING (account_id)
), t AS (
    SELECT creator_id, count(*) AS posts, sum(reach) AS reach, sum(impressions) AS impressions,
           sum(views) AS views, sum(eng) AS engagements, sum(link_clicks) AS link_clicks,
           median(erf) AS er_by_followers,
           sum(impressions) FILTER (WHERE sponsored) AS s_imp,
           sum(eng) FILTER (WHERE sponsored) AS s_eng,
           sum(link_clicks) FILTER (WHERE sponsored) AS s_clicks
    FROM p GROUP BY creator_id
), f AS (
    SELECT c.creator_id, sum(c.fee) AS fee, count(DISTINCT m.currency) AS n_cur
    FROM read_parquet('{d}/contracts.parquet') AS c
    JOIN read_parquet('{d}/campaigns.parquet') AS m USING (campaign_id)
    GROUP BY c.creator_id
), g AS (
    SELECT DISTINCT creator_id FROM read_parquet('{d}/accounts.parquet')
)
SELECT g.creator_id, coalesce(posts, 0) AS posts, coalesce(reach, 0) AS reach,
       coalesce(engagements, 0) AS engagements,
       engagements / nullif(reach, 0) AS er_by_reach, er_by_followers,
       CASE WHEN n_cur = 1 THEN fee END AS fees,
       CASE WHEN n_cur = 1 THEN fee END / nullif(s_imp, 0) * 1000 AS cpm,
       CASE WHEN n_cur = 1 THEN fee END / nullif(s_eng, 0) AS cpe,
       CASE WHEN n_cur = 1 THEN fee END / nullif(s_clicks, 0) AS cpc
FROM g LEFT JOIN t USING (creator_id) LEFT JOIN f USING (creator_id)
ORDER BY g.creator_id
'''

def run(data):
    con = duckdb.connect()
    try:
        return con.sql(SQL.format(d=data)).df()
    finally:
        con.close()
"""

PANDAS = """
import numpy as np
import pandas as pd

COLS = {
    "posts": ["account_id", "sponsored", "likes", "comments", "shares", "saves", "views", "reach",
              "impressions", "link_clicks"],
    "accounts": ["account_id", "creator_id", "followers"],
    "contracts": ["campaign_id", "creator_id", "fee"],
    "campaigns": ["campaign_id", "currency"],
}

def run(data):
    t = {n: pd.read_parquet(f"{data}/{n}.parquet", columns=c) for n, c in COLS.items()}
    p = t["posts"].merge(t["accounts"], on="account_id", how="left")
    p["engagements"] = p["likes"] + p["comments"] + p["shares"] + p["saves"]
    p["erf"] = (p["engagements"] / p["followers"]).where(p["followers"] > 0)
    g = p.groupby("creator_id")
    out = pd.DataFrame({
        "posts": g.size(), "reach": g["reach"].sum(), "engagements": g["engagements"].sum(),
        "er_by_followers": g["erf"].median(),
    })
    s = p[p["sponsored"]].groupby("creator_id")[["impressions", "engagements", "link_clicks"]].sum()
    c = t["contracts"].merge(t["campaigns"], on="campaign_id").groupby("creator_id")
    fees = c["fee"].sum().where(c["currency"].nunique() == 1)
    out = out.reindex(t["accounts"]["creator_id"].drop_duplicates().sort_values()).fillna(
        {"posts": 0, "reach": 0, "engagements": 0})
    out["er_by_reach"] = (out["engagements"] / out["reach"]).where(out["reach"] > 0)
    out["fees"] = fees.reindex(out.index)
    s = s.reindex(out.index).fillna(0)
    out["cpm"] = (out["fees"] / s["impressions"] * 1000).where(s["impressions"] > 0)
    out["cpe"] = (out["fees"] / s["engagements"]).where(s["engagements"] > 0)
    out["cpc"] = (out["fees"] / s["link_clicks"]).where(s["link_clicks"] > 0)
    return out.rename_axis("creator_id").reset_index()
"""

SIZE = """
import json, sys
import pyarrow.parquet as pq
from playbook.analytics.rollup import READ_COLUMNS
data = sys.argv[1]
nbytes = sum(pq.read_table(f"{data}/{t}.parquet", columns=list(c)).nbytes for t, c in READ_COLUMNS.items())
print(json.dumps({"size_mb": nbytes / 2**20}))
"""

RUNNER = """
import json, resource, sys, time
data, repeat, result_path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
seconds = []
for _ in range(repeat):
    start = time.perf_counter()
    frame = run(data)
    seconds.append(time.perf_counter() - start)
frame.to_parquet(result_path)
print(json.dumps({"seconds": seconds, "rows": len(frame),
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

COMPARED = ("posts", "reach", "engagements", "er_by_reach", "er_by_followers", "fees", "cpm", "cpe", "cpc")


def _run(code: str, *args: str) -> dict:
    """Run `code` in a fresh interpreter and return the JSON it prints last.

    Everything heavy runs in a child: on Linux a child's ru_maxrss starts from its parent's high-water mark
    (it survives fork and exec), so the parent stays a lean stdlib-only process.
    """
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _data_ready(data: Path) -> str | None:
    """None when every input is a complete Parquet file (PAR1 magic at both ends), else what is wrong."""
    for table in TABLES:
        path = data / f"{table}.parquet"
        if not path.is_file():
            return f"{path} is missing"
        with path.open("rb") as f:
            head = f.read(4)
            f.seek(-4, os.SEEK_END)
            tail = f.read(4)
        if head != b"PAR1" or tail != b"PAR1":
            return f"{path} is not a complete Parquet file (still being written?)"
    return None


def _max_difference(ours: Path, other: Path) -> float:
    """Largest relative difference over the compared columns (NaN positions must match exactly)."""
    import numpy as np
    import pandas as pd

    a = pd.read_parquet(ours).set_index("creator_id")
    b = pd.read_parquet(other).set_index("creator_id").reindex(a.index)
    worst = 0.0
    for column in COMPARED:
        x, y = a[column].to_numpy(float), b[column].to_numpy(float)
        if not np.array_equal(np.isnan(x), np.isnan(y)):
            return float("inf")
        ok = ~np.isnan(x)
        scale = np.maximum(np.abs(x[ok]), 1e-12)
        worst = max(worst, float(np.max(np.abs(x[ok] - y[ok]) / scale, initial=0.0)))
    return worst


def _available_mb() -> float:
    return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=ROOT / "datasets" / "large")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-pandas", action="store_true", help="skip the informative pandas-only run")
    args = parser.parse_args()
    data = args.data.resolve()
    problem = _data_ready(data)
    if problem:
        print(f"{problem}.\nCreate the large dataset first (about 5 minutes, 600 MB):\n    {MAKE_DATA}")
        return 2

    size_mb = _run(SIZE, str(data))["size_mb"]
    runs = {"ours": OURS, "duckdb sql": BASELINE}
    if args.no_pandas:
        print("pandas: skipped (--no-pandas)")
    elif _available_mb() < PANDAS_MEMORY_FACTOR * size_mb:
        print(f"pandas: skipped, needs about {PANDAS_MEMORY_FACTOR * size_mb:,.0f} MB free")
    else:
        runs["pandas"] = PANDAS
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, body in runs.items():
            path = Path(tmp) / f"{name.replace(' ', '_')}.parquet"
            results[name] = _run(body + RUNNER, str(data), str(args.repeat), str(path)) | {"path": path}
        differences = {n: _max_difference(results["ours"]["path"], r["path"]) for n, r in results.items()}

    print(f"data: {data} ({results['ours']['rows']:,} creators); {args.repeat} runs each, median time")
    print(f"in-memory size of the columns read (pyarrow nbytes): {size_mb:,.0f} MB")
    for name, r in results.items():
        median = statistics.median(r["seconds"])
        print(
            f"  {name:<11} {median:7.2f} s  (runs: {', '.join(f'{s:.2f}' for s in r['seconds'])})  "
            f"peak {r['peak_mb']:,.0f} MB = {r['peak_mb'] / size_mb:.2f}x data  "
            f"max rel. difference to ours {differences[name]:.1e}"
        )
    time_ratio = statistics.median(results["ours"]["seconds"]) / statistics.median(
        results["duckdb sql"]["seconds"]
    )
    memory_ratio = results["ours"]["peak_mb"] / size_mb
    agree = all(d < 1e-9 for d in differences.values())
    print(
        f"time ours / duckdb sql: {time_ratio:.2f}x (target <= 2x): {'OK' if time_ratio <= 2 else 'MISSED'}"
    )
    verdict = "OK" if memory_ratio <= 2 else "MISSED"
    print(f"peak ours / data size: {memory_ratio:.2f}x (target <= 2x): {verdict}")
    print(f"results agree (relative difference < 1e-9): {'OK' if agree else 'NO'}")
    return 0 if time_ratio <= 2 and memory_ratio <= 2 and agree else 1


if __name__ == "__main__":
    sys.exit(main())
