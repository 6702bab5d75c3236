"""The Spark helpers in local mode: per group, row for row what the single-machine function
gives for the same group."""

from __future__ import annotations

import datetime as dt
import os
import random
import sys

import pandas as pd
import pyarrow as pa
import pytest

import commissioning as c

pyspark = pytest.importorskip("pyspark")

from commissioning import spark as cs  # noqa: E402


@pytest.fixture(scope="session")
def session():
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[1]")
        .appName("commissioning-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    yield spark
    spark.stop()


def _rows(table: pa.Table, keys: list[str]) -> list[dict]:
    """A result's rows as plain values, in a stable order."""
    rows = table.to_pylist()
    return sorted(rows, key=lambda r: tuple(str(r[k]) for k in keys))


def _spark_rows(df, keys: list[str]) -> list[dict]:
    rows = [r.asDict() for r in df.collect()]
    return sorted(rows, key=lambda r: tuple(str(r[k]) for k in keys))


def _same(spark_rows: list[dict], local_rows: list[dict]) -> None:
    assert len(spark_rows) == len(local_rows)
    for s, l in zip(spark_rows, local_rows, strict=True):
        assert s.keys() == l.keys()
        for k in l:
            assert s[k] == l[k], (k, s[k], l[k])


def _spc_data() -> pd.DataFrame:
    rng = random.Random(20261208)
    months = [dt.date(2023 + (3 + i) // 12, (3 + i) % 12 + 1, 1) for i in range(24)]
    rows = []
    for s in range(100):
        level = rng.uniform(50, 90)
        for i, month in enumerate(months):
            shift = 8.0 if (s % 7 == 0 and i >= 16) else 0.0
            rows.append({"indicator": f"IND{s:03}", "month": month, "value": round(level + shift + rng.gauss(0, 3), 3)})
    frame = pd.DataFrame(rows)
    # Shuffled, as data arrive: each series is ordered by its date on both paths.
    return frame.sample(frac=1.0, random_state=3).reset_index(drop=True)


def test_spc_by_matches_the_single_machine_result(session) -> None:
    frame = _spc_data()
    ordered = frame.sort_values(["indicator", "month"], kind="stable")
    local = c.spc(pa.Table.from_pandas(ordered, preserve_index=False), value="value", date="month", facet="indicator", improvement="increase")
    df = session.createDataFrame(frame)
    result = cs.spc_by(df, "indicator", value="value", date="month", improvement="increase")
    keys = ["indicator", "position"]
    _same(_spark_rows(result, keys), _rows(local, keys))
    # Some series shifted: the rules found them on Spark as on one machine.
    assert any(r["point_type"] == "special_cause_improvement" for r in result.collect())


def test_spc_summary_by_matches(session) -> None:
    frame = _spc_data()
    ordered = frame.sort_values(["indicator", "month"], kind="stable")
    local = c.spc_summary(pa.Table.from_pandas(ordered, preserve_index=False), value="value", date="month", facet="indicator")
    result = cs.spc_summary_by(session.createDataFrame(frame), "indicator", value="value", date="month")
    _same(_spark_rows(result, ["indicator"]), _rows(local, ["indicator"]))
    assert result.count() == 100


def _funnel_data() -> pd.DataFrame:
    rng = random.Random(7)
    rows = []
    for g in range(4):
        for u in range(250):
            expected = rng.uniform(20, 400)
            rows.append({"indicator": f"I{g}", "unit": f"P{u:04}", "observed": float(rng.randint(int(expected * 0.7), int(expected * 1.3) + 1)), "expected": round(expected, 2)})
    return pd.DataFrame(rows)


def test_funnel_by_matches_the_single_machine_result(session) -> None:
    frame = _funnel_data()
    df = session.createDataFrame(frame)
    result = cs.funnel_by(df, "indicator", numerator="observed", denominator="expected", id="unit")
    spark_rows = _spark_rows(result, ["indicator", "unit"])
    local_rows = []
    for indicator, group in frame.groupby("indicator", sort=True):
        table = c.funnel(pa.Table.from_pandas(group, preserve_index=False), numerator="observed", denominator="expected", id="unit")
        for row in table.to_pylist():
            local_rows.append({"indicator": indicator, **row})
    local_rows.sort(key=lambda r: (r["indicator"], r["unit"]))
    assert len(spark_rows) == 1000
    _same(spark_rows, local_rows)


def test_standardise_by_matches(session) -> None:
    frame = _funnel_data()
    result = cs.standardise_by(session.createDataFrame(frame), "indicator", unit="unit", kind="ratio", observed="observed", expected="expected")
    local = c.standardise(pa.Table.from_pandas(frame, preserve_index=False), kind="ratio", by=["indicator", "unit"], observed="observed", expected="expected")
    keys = ["indicator", "unit"]
    _same(_spark_rows(result, keys), _rows(local, keys))


def test_the_spark_35_path_gives_the_same_rows(session, monkeypatch) -> None:
    """Spark 3.5 has no applyInArrow: mapInArrow over partitions that keep each group whole."""
    frame = _spc_data()
    df = session.createDataFrame(frame)
    by_group = cs.spc_by(df, "indicator", value="value", date="month")
    monkeypatch.setattr(cs, "_has_apply_in_arrow", lambda grouped: False)
    by_partition = cs.spc_by(df, "indicator", value="value", date="month")
    keys = ["indicator", "position"]
    _same(_spark_rows(by_partition, keys), _spark_rows(by_group, keys))
    funnels = cs.funnel_by(session.createDataFrame(_funnel_data()), "indicator", numerator="observed", denominator="expected", id="unit")
    assert funnels.count() == 1000


def test_a_bad_option_is_raised_on_the_driver(session) -> None:
    df = session.createDataFrame(_funnel_data())
    with pytest.raises(c.Error) as e:
        cs.funnel_by(df, "indicator", numerator="observed", denominator="nope")
    assert e.value.path == "nope"
