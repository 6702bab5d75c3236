"""The Python package's cost against the Rust library in-process, and the Spark path in local
mode, with peak memory.

    python benches/python/bench.py                 # funnel and SPC at 10k, 100k and 1M rows
    python benches/python/bench.py --spark         # also Spark local mode at national scale

Needs the wheel installed (docs/python.md) and, for the baseline, cargo: it runs
``cargo run --release --example python-baseline`` on the same generated data (the formulas
below and in benches/examples/python_baseline.rs are the same). Prints one JSON line per
measurement and a table of ratios; nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import math
import pathlib
import resource
import statistics
import subprocess
import sys
import time

import pyarrow as pa

import commissioning as c

ROOT = pathlib.Path(__file__).resolve().parents[2]
SERIES = 36


def funnel_table(n: int) -> pa.Table:
    expected = [50.0 + ((i * 7919) % 1000) for i in range(n)]
    observed = [float(round(e * (0.8 + 0.4 * ((i * 104729) % 1000) / 1000.0))) for i, e in enumerate(expected)]
    return pa.table({"unit": [f"U{i}" for i in range(n)], "observed": observed, "expected": expected})


def spc_table(n: int) -> pa.Table:
    values = [50.0 + 10.0 * math.sin((i % SERIES) * 0.3) + ((i * 7919) % 100) / 10.0 for i in range(n)]
    return pa.table({"series": [i // SERIES for i in range(n)], "value": values})


def median_ms(f, reps: int) -> float:
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        f()
        times.append((time.perf_counter() - t) * 1e3)
    return statistics.median(times)


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ours(sizes: list[int]) -> dict[int, dict[str, float]]:
    out = {}
    for n in sizes:
        reps = 5 if n >= 1_000_000 else 11
        funnel_data, spc_data = funnel_table(n), spc_table(n)
        out[n] = {
            "funnel_ms": median_ms(lambda: c.funnel(funnel_data, numerator="observed", denominator="expected", id="unit"), reps),
            "spc_ms": median_ms(lambda: c.spc(spc_data, value="value", facet="series"), reps),
            "peak_mib": peak_mib(),
        }
    return out


def baseline(sizes: list[int]) -> dict[int, dict[str, float]]:
    command = ["cargo", "run", "--release", "--quiet", "--example", "python-baseline", "--", *map(str, sizes)]
    lines = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return {row["rows"]: row for row in map(json.loads, lines.splitlines())}


def spark(series: int, units: int, indicators: int) -> None:
    import os

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    from commissioning import spark as cs

    session = (
        SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "8").getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    points = spc_table(series * SERIES).to_pandas()
    df = session.createDataFrame(points).cache()
    df.count()
    t = time.perf_counter()
    n = cs.spc_by(df, "series", value="value").count()
    spc_s = time.perf_counter() - t
    rows = funnel_table(units).to_pandas()
    frames = [rows.assign(indicator=f"I{k:03}") for k in range(indicators)]
    import pandas as pd

    fdf = session.createDataFrame(pd.concat(frames, ignore_index=True)).cache()
    fdf.count()
    t = time.perf_counter()
    m = cs.funnel_by(fdf, "indicator", numerator="observed", denominator="expected", id="unit").count()
    funnel_s = time.perf_counter() - t
    print(json.dumps({"spark": "local[2]", "spc_series": series, "spc_points": n, "spc_s": round(spc_s, 2),
                      "funnel_units": units, "indicators": indicators, "funnel_rows": m, "funnel_s": round(funnel_s, 2),
                      "driver_peak_mib": round(peak_mib(), 1)}))
    session.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--spark", action="store_true")
    args = parser.parse_args()
    py = ours(args.sizes)
    rust = baseline(args.sizes)
    print(f"{'rows':>9}  {'funnel py':>10}  {'rust':>8}  {'ratio':>5}  {'spc py':>8}  {'rust':>7}  {'ratio':>5}")
    for n in args.sizes:
        p, r = py[n], rust[n]
        print(json.dumps({"rows": n, **{f"py_{k}": round(v, 3) for k, v in p.items()}, **{f"rust_{k}": v for k, v in r.items() if k != "rows"}}), file=sys.stderr)
        print(f"{n:>9}  {p['funnel_ms']:>10.2f}  {r['funnel_ms']:>8.2f}  {p['funnel_ms'] / r['funnel_ms']:>5.2f}"
              f"  {p['spc_ms']:>8.2f}  {r['spc_ms']:>7.2f}  {p['spc_ms'] / r['spc_ms']:>5.2f}")
    if args.spark:
        spark(10_000, 7_000, 100)


if __name__ == "__main__":
    main()
