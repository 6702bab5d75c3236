"""Tables in and out: pandas, Polars and pyarrow alike; declared presentation; every refusal a
``commissioning.Error`` naming the column and row, never a panic."""

from __future__ import annotations

import decimal
import json
import math
import warnings

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import commissioning as c

TRUSTS = {
    "trust": ["RAE", "RCF", "RWY", "RXF", "RR8", "RJL"],
    "name": ["Bradford", "Airedale", "Calderdale", "Mid Yorkshire", "Leeds", "Northern Lincs"],
    "deaths": [130, 52, 98, 160, 210, 80],
    "expected": [118.0, 55.5, 101.2, 139.9, 215.3, 70.1],
}


def _kinds(table: pa.Table) -> dict[str, str]:
    return {
        f.name: f.metadata[b"commissioning.kind"].decode()
        for f in table.schema
        if f.metadata and b"commissioning.kind" in f.metadata
    }


def test_pandas_polars_and_pyarrow_give_the_same_funnel() -> None:
    arrow = pa.table(TRUSTS)
    from_arrow = c.funnel(arrow, numerator="deaths", denominator="expected", id="trust")
    from_pandas = c.funnel(pd.DataFrame(TRUSTS), numerator="deaths", denominator="expected", id="trust")
    from_polars = c.funnel(pl.DataFrame(TRUSTS), numerator="deaths", denominator="expected", id="trust")
    assert from_arrow.equals(from_pandas)
    # Polars hands its strings over as string views; the carried id keeps the input's type and
    # every value is the same.
    assert from_arrow.to_pylist() == from_polars.to_pylist()
    # The result goes straight back to either library.
    assert pl.from_arrow(from_arrow)["trust"].to_list() == TRUSTS["trust"]
    assert from_arrow.to_pandas()["ratio"].iloc[0] == pytest.approx(130 / 118.0)


def test_declared_presentation_travels_in_field_metadata() -> None:
    result = c.funnel(pa.table(TRUSTS), numerator="deaths", denominator="expected", id="trust")
    kinds = _kinds(result)
    assert kinds["ratio"] == "ratio"
    assert kinds["outlier_95"] == "flag"
    assert "trust" not in kinds  # carried as given, with the input's own field
    meta = {k.decode(): v.decode() for k, v in result.schema.metadata.items()}
    assert json.loads(meta["commissioning.target"]) == 1.0
    frontier = c.frontier(
        pa.table({"s": ["a", "b"], "cost": ["1000.00", "2500.50"], "qaly": [1.0, 1.1]}),
        id="s", cost="cost", effect="qaly", threshold=20000,
    )
    assert _kinds(frontier)["cost"] == "money"
    assert frontier.schema.field("cost").type == pa.decimal128(38, 2)
    assert frontier.column("cost").to_pylist() == [decimal.Decimal("1000.00"), decimal.Decimal("2500.50")]


def test_money_in_as_decimals_whole_numbers_or_text_but_not_binary_fractions() -> None:
    base = {"s": ["a", "b"], "qaly": [1.0, 1.5]}
    as_decimal = pa.table({**base, "cost": pa.array([decimal.Decimal("5000.00"), decimal.Decimal("10000.00")], pa.decimal128(18, 2))})
    as_int = pa.table({**base, "cost": [5000, 10000]})
    as_text = pa.table({**base, "cost": ["£5,000.00", "£10,000.00"]})
    results = [c.frontier(t, id="s", cost="cost", effect="qaly") for t in (as_decimal, as_int, as_text)]
    assert results[0].column("icer").to_pylist() == [None, 10000.0]
    assert results[0].equals(results[1]) and results[0].equals(results[2])
    with pytest.raises(c.Error) as e:
        c.frontier(pa.table({**base, "cost": [5000.004, 10000.0]}), id="s", cost="cost", effect="qaly")
    assert e.value.path == "cost[0]"
    assert "more places than pence" in e.value.message


def test_a_carried_name_column_keeps_its_type() -> None:
    result = c.spc(
        pa.table({"ind": ["a"] * 15 + ["b"] * 15, "month": pa.array(range(30), pa.int32()), "v": [float(i % 4) for i in range(30)]}),
        value="v", facet=["ind"],
    )
    assert result.column_names[:2] == ["ind", "position"]
    assert result.num_rows == 30
    summary = c.spc_summary(pa.table({"ind": ["a"] * 15, "v": [1.0] * 14 + [9.0]}), value="v", facet="ind")
    assert summary.column("points").to_pylist() == [15]


def test_spc_with_dates_and_a_target() -> None:
    dates = pd.date_range("2023-04-01", periods=24, freq="MS")
    data = pd.DataFrame({"month": dates, "pct": [0.70 + 0.01 * (i % 3) for i in range(24)]})
    summary = c.spc_summary(data, value="pct", date="month", improvement="increase", target=0.95)
    row = summary.to_pylist()[0]
    assert row["assurance"] == "consistently_failing"
    assert row["month"].date().isoformat() == "2025-03-01"


def test_standardise_many_units_at_once_matches_one_at_a_time() -> None:
    bands = ["0-4", "5-9", "10-14", "15-19", "20-24", "25-29", "30-34", "35-39", "40-44", "45-49",
             "50-54", "55-59", "60-64", "65-69", "70-74", "75-79", "80-84", "85-89", "90+"]
    rows = []
    for unit in range(12):
        for i, band in enumerate(bands):
            rows.append({"unit": f"U{unit:02}", "band": band, "count": 5 + (unit + i) % 7, "pop": 1000 + 37 * i})
    frame = pd.DataFrame(rows)
    many = c.standardise(frame, kind="dsr", by="unit", count="count", population="pop", age_band="band")
    assert many.num_rows == 12
    # Rows in any order: the bands are matched by label, not position.
    shuffled = frame.sample(frac=1.0, random_state=7)
    again = c.standardise(shuffled, kind="dsr", by="unit", count="count", population="pop", age_band="band")
    by_unit = {r["unit"]: r["value"] for r in again.to_pylist()}
    for r in many.to_pylist():
        assert by_unit[r["unit"]] == pytest.approx(r["value"], rel=1e-12)
        one = c.run("standardise", {
            "kind": "dsr",
            "strata": [{"count": float(x.count), "population": float(x.pop)} for x in frame[frame.unit == r["unit"]].itertuples()],
        })
        assert one["value"] == pytest.approx(r["value"], rel=1e-12)


def test_an_unknown_age_band_is_refused_by_name() -> None:
    frame = pd.DataFrame({"unit": ["a"] * 2, "band": ["0-4", "banana"], "count": [1, 2], "pop": [10, 20]})
    with pytest.raises(c.Error) as e:
        c.standardise(frame, kind="dsr", by="unit", count="count", population="pop", age_band="band")
    assert e.value.path == "band[1]"
    assert "banana" in e.value.message


def test_likely_proportions_read_as_ratios_are_warned_on() -> None:
    data = pa.table({"deaths": [12, 9, 15, 11], "admissions": [110, 95, 130, 102]})
    with pytest.warns(c.CommissioningWarning, match='data_type="PR"'):
        c.funnel(data, numerator="deaths", denominator="admissions")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        c.funnel(data, numerator="deaths", denominator="admissions", data_type="PR")


HOSTILE = [
    ("missing column", pa.table({"a": [1.0]}), {"numerator": "a", "denominator": "b"}, "b"),
    ("null", pa.table({"o": [1.0, None, 3.0], "e": [1.0, 2.0, 3.0]}), {"numerator": "o", "denominator": "e"}, "o[1]"),
    ("NaN", pa.table({"o": [1.0, math.nan, 3.0], "e": [1.0, 2.0, 3.0]}), {"numerator": "o", "denominator": "e"}, "o[1]"),
    ("infinity", pa.table({"o": [1.0, 2.0, math.inf], "e": [1.0, 2.0, 3.0]}), {"numerator": "o", "denominator": "e"}, "o[2]"),
    ("text", pa.table({"o": ["1", "two"], "e": [1.0, 2.0]}), {"numerator": "o", "denominator": "e"}, "o[1]"),
    ("wrong type", pa.table({"o": [True, False], "e": [1.0, 2.0]}), {"numerator": "o", "denominator": "e"}, "o"),
    ("empty", pa.table({"o": pa.array([], pa.float64()), "e": pa.array([], pa.float64())}), {"numerator": "o", "denominator": "e"}, None),
    ("huge", pa.table({"o": [1e308, 1e308, 1.0], "e": [1e-308, 1.0, 1.0]}), {"numerator": "o", "denominator": "e"}, None),
    ("negative", pa.table({"o": [-1.0, 2.0], "e": [1.0, 2.0]}), {"numerator": "o", "denominator": "e"}, None),
    ("bad option", pa.table({"o": [1.0, 2.0], "e": [1.0, 2.0]}), {"numerator": "o", "denominator": "e", "data_type": "XX"}, "data_type"),
]


@pytest.mark.parametrize(("what", "table", "options", "path"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_tables_raise_commissioning_error(what: str, table: pa.Table, options: dict, path: str | None) -> None:
    try:
        result = c.funnel(table, **options)
    except c.Error as e:
        assert isinstance(e, ValueError)
        assert e.kind in {"invalid_input", "out_of_range", "undefined"}
        if path is not None:
            assert e.path == path, (what, e.path, e.message)
        return
    # Accepted: then nothing in it is NaN or infinite.
    for column in result.columns:
        for value in column.to_pylist():
            assert not (isinstance(value, float) and not math.isfinite(value)), what


@pytest.mark.parametrize(
    "call",
    [
        lambda t: c.spc(t, value="v"),
        lambda t: c.spc_summary(t, value="v", facet="f"),
        lambda t: c.standardise(t, kind="dsr", by="f", count="v", population="v"),
        lambda t: c.standardise(t, kind="proportion", numerator="v", denominator="v"),
        lambda t: c.frontier(t, id="f", cost="v", effect="v"),
        lambda t: c.topsis(t, criteria=["v"], weights=[1.0], types=["benefit"]),
    ],
)
@pytest.mark.parametrize(
    "table",
    [
        pa.table({"v": pa.array([], pa.float64()), "f": pa.array([], pa.string())}),
        pa.table({"v": [None, 1.0], "f": ["a", None]}),
        pa.table({"v": [math.nan, math.inf], "f": ["a", "a"]}),
        pa.table({"v": [1e308, -1e308], "f": ["a", "a"]}),
        pa.table({"v": ["x", "y"], "f": [1, 2]}),
        pa.table({"w": [1.0]}),
    ],
)
@pytest.mark.filterwarnings("ignore::commissioning.CommissioningWarning")
def test_no_hostile_table_panics(call, table) -> None:
    try:
        result = call(table)
    except c.Error as e:
        assert e.kind != "internal", e.message
        return
    for column in result.columns:
        for value in column.to_pylist():
            assert not (isinstance(value, float) and not math.isfinite(value))


def test_a_table_of_the_wrong_kind_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="Arrow stream"):
        c.funnel([1, 2, 3], numerator="a", denominator="b")


def test_an_unknown_option_is_refused_by_its_name() -> None:
    with pytest.raises(c.Error) as e:
        c._table("funnel", pa.table({"o": [1.0], "e": [1.0]}), {"numerator": "o", "denominator": "e", "colour": "red"})
    assert e.value.path == "colour"
