"""Throughput and peak memory of `playbook datasets generate`, against a plain Parquet-write baseline.

Usage: python benchmarks/bench_datasets.py [--scale large|N] [--out DIR]

Runs, side by side in one session, each in its own process so peak RSS is its own:
  1. the generator at the given scale (default: large, 10 million posts, streamed to Parquet);
  2. a baseline that writes the same number of posts rows of random numbers with pyarrow in the same
     chunk size: the floor any generator writing this much Parquet pays.
Prints rows per second, wall time, peak memory of each, and the ratios generator / baseline.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

GENERATOR = """
import sys, json, time, resource
from pathlib import Path
from playbook.data.synth.generate import generate, resolve_scale
scale = sys.argv[2] if sys.argv[2] in ("small", "large") else int(sys.argv[2])
t = time.perf_counter()
written = generate(out=Path(sys.argv[1]), scale=scale, fmt="parquet")
elapsed = time.perf_counter() - t
import pyarrow.parquet as pq
rows = {name: pq.ParquetFile(p).metadata.num_rows for name, p in written.items()}
print(json.dumps({"seconds": elapsed, "rows": rows,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

BASELINE = """
import sys, json, time, resource
import numpy as np, pyarrow as pa, pyarrow.parquet as pq
total, chunk = int(sys.argv[2]), int(sys.argv[3])
rng = np.random.default_rng(0)
t = time.perf_counter()
writer = None
done = 0
while done < total:
    n = min(chunk, total - done)
    cols = {f"c{i}": rng.integers(0, 10**6, n) for i in range(9)}
    cols["id"] = np.char.add("PO", np.arange(done, done + n).astype(str))
    cols["caption"] = np.char.add("caption #tag ", np.arange(n).astype(str))
    table = pa.table(cols)
    writer = writer or pq.ParquetWriter(sys.argv[1], table.schema, compression="zstd")
    writer.write_table(table)
    done += n
writer.close()
print(json.dumps({"seconds": time.perf_counter() - t, "rows": total,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _run(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", default="large")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    from playbook.data.synth.generate import resolve_scale

    plan = resolve_scale(args.scale if args.scale in ("small", "large") else int(args.scale))
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp) / "generated"
        gen = _run(GENERATOR, str(out), args.scale)
        posts = gen["rows"]["posts"]
        chunk = max(1, posts // plan.shards)
        base = _run(BASELINE, str(Path(tmp) / "baseline.parquet"), str(posts), str(chunk))
    total_rows = sum(gen["rows"].values())
    print(f"scale {args.scale}: {plan.creators:,} creators in {plan.shards} shards")
    print(
        f"generator: {total_rows:,} rows in {gen['seconds']:.1f} s = "
        f"{total_rows / gen['seconds']:,.0f} rows/s "
        f"({posts:,} posts = {posts / gen['seconds']:,.0f} posts/s); peak memory {gen['peak_mb']:,.0f} MB"
    )
    print(
        f"baseline : {posts:,} posts-shaped rows in {base['seconds']:.1f} s = "
        f"{posts / base['seconds']:,.0f} rows/s; peak memory {base['peak_mb']:,.0f} MB"
    )
    print(
        f"ratio generator/baseline: time per post {gen['seconds'] / base['seconds']:.1f}x, "
        f"peak memory {gen['peak_mb'] / base['peak_mb']:.1f}x (limit: peak under 4,096 MB)"
    )
    for name, rows in sorted(gen["rows"].items()):
        print(f"  {name:<22}{rows:>14,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
