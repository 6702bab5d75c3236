"""The published vectors of compare, monitoring, priority and uncertainty, through the Python
API — the table functions where the method's heart is a table, ``run`` on the document
otherwise (and both where both apply) — at each file's tolerance."""

from __future__ import annotations

import decimal
import json
from typing import Any

import pyarrow as pa
import pytest

import commissioning as c

from conftest import cases, close


def _error_expected(case: dict[str, Any]) -> bool:
    return isinstance(case["expected"], dict) and "error" in case["expected"]


def _money_text(x: Any) -> str:
    """A cost written in a vector as a number, as the exact decimal text it stands for."""
    return x if isinstance(x, str) else str(decimal.Decimal(str(x)))


def _document(case: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    doc = dict(case["input"])
    doc.update(extra)
    return doc


# Vectors whose input is the capability's document as it is.
DOCUMENTS = [
    ("compare/funnel_limits", "funnel", {}),
    ("compare/funnel_significance", "funnel", {"method": "phe"}),
    ("compare/standardised_ratio", "standardise", {"kind": "ratio"}),
    ("compare/directly_standardised_rate", "standardise", {"kind": "dsr"}),
    ("compare/proportion_intervals", "standardise", {"kind": "proportion"}),
    ("compare/opportunity", "opportunity", {}),
    ("compare/peer_groups", "peers", {}),
    ("uncertainty/ceac", "psa", {"kind": "ceac"}),
    ("uncertainty/evpi", "psa", {"kind": "evpi"}),
    ("uncertainty/expected_loss", "psa", {"kind": "expected_loss"}),
    ("uncertainty/calculate_icers_psa", "psa", {"kind": "summary"}),
    ("uncertainty/owsa", "dsa", {"kind": "one_way"}),
    ("uncertainty/twsa", "dsa", {"kind": "two_way"}),
    ("uncertainty/budget_impact", "budget", {}),
    ("waiting/queue_load", "waiting", {"kind": "load"}),
    ("waiting/target_mean_wait", "waiting", {"kind": "target_mean_wait"}),
    ("waiting/target_queue_size", "waiting", {"kind": "target_queue_size"}),
    ("waiting/relief_capacity", "waiting", {"kind": "relief_capacity"}),
    ("waiting/target_capacity", "waiting", {"kind": "target_capacity"}),
    ("waiting/waiting_list_pressure", "waiting", {"kind": "pressure"}),
    ("waiting/rtt_exponential", "waiting", {"kind": "rtt"}),
]


@pytest.mark.parametrize(
    ("name", "capability", "extra", "case", "tolerance"),
    [
        pytest.param(name, capability, extra, *p.values, id=f"{name}:{p.id}")
        for name, capability, extra in DOCUMENTS
        for p in cases(name)
    ],
)
def test_documents(name: str, capability: str, extra: dict, case: dict, tolerance: dict) -> None:
    doc = _document(case, extra)
    if _error_expected(case):
        with pytest.raises(c.Error):
            c.run(capability, doc)
        return
    close(c.run(capability, doc), case["expected"], tolerance, name)


@pytest.mark.parametrize(("case", "tolerance"), cases("compare/funnel_limits"))
def test_funnel_table(case: dict, tolerance: dict) -> None:
    units = case["input"]["units"]
    data = pa.table(
        {
            "unit": [u["id"] for u in units],
            "o": [float(u["numerator"]) for u in units],
            "e": [float(u["denominator"]) for u in units],
        }
    )
    options = {k: v for k, v in case["input"].items() if k != "units"}
    if _error_expected(case):
        with pytest.raises(c.Error):
            c.funnel(data, numerator="o", denominator="e", id="unit", **options)
        return
    result = c.funnel(data, numerator="o", denominator="e", id="unit", **options)
    expected = case["expected"]
    meta = {k.decode(): json.loads(v) for k, v in result.schema.metadata.items()}
    for key in ("target", "phi", "tau2", "adjusted_in_use", "n_retained", "outliers_95", "outliers_998"):
        close(meta[f"commissioning.{key}"], expected[key], tolerance, key)
    rows = result.to_pylist()
    in_use = "limits_adjusted" if expected["adjusted_in_use"] else "limits_unadjusted"
    for row, unit in zip(rows, expected["units"], strict=True):
        assert row["unit"] == unit["id"]
        for key in ("ratio", "denominator", "z", "z_adjusted", "trimmed", "outlier_95", "outlier_998"):
            close(row[key], unit[key], tolerance, f"{unit['id']}.{key}")
        close({k: row[k] for k in unit[in_use]}, unit[in_use], tolerance, f"{unit['id']}.limits")


def _intervals(row: dict[str, Any], expected: dict[str, Any], tolerance: dict) -> None:
    close(row["value"], expected["value"], tolerance, "value")
    for interval in expected["intervals"]:
        label = str(decimal.Decimal(interval["confidence"]) * 100).rstrip("0").rstrip(".")
        label = label.replace(".", "_")
        close(row[f"lower_{label}"], interval["lower"], tolerance, f"lower_{label}")
        close(row[f"upper_{label}"], interval["upper"], tolerance, f"upper_{label}")


@pytest.mark.parametrize(("case", "tolerance"), cases("compare/standardised_ratio"))
def test_standardised_ratio_table(case: dict, tolerance: dict) -> None:
    given = case["input"]
    options = {k: given[k] for k in ("refvalue", "confidence") if k in given}
    if "strata" in given:
        strata = given["strata"]
        data = pa.table(
            {
                "unit": ["x"] * len(strata),
                "o": [float(s.get("observed") or 0) for s in strata],
                "p": [float(s["population"]) for s in strata],
                "rc": [float(s["ref_count"]) for s in strata],
                "rp": [float(s["ref_population"]) for s in strata],
            }
        )
        call = lambda: c.standardise(  # noqa: E731
            data, kind="ratio", by="unit", observed="o", population="p",
            ref_count="rc", ref_population="rp", **options,
        )
        if "observed_total" in given:
            pytest.skip("observed_total is a document option; the table gives each stratum's count")
    else:
        data = pa.table({"o": [float(given["observed"])], "e": [float(given["expected"])]})
        call = lambda: c.standardise(data, kind="ratio", observed="o", expected="e", **options)  # noqa: E731
    if _error_expected(case):
        with pytest.raises(c.Error):
            call()
        return
    row = call().to_pylist()[0]
    _intervals(row, case["expected"], tolerance)
    close(row["observed"], case["expected"]["observed"], tolerance, "observed")
    close(row["expected"], case["expected"]["expected"], tolerance, "expected")


@pytest.mark.parametrize(("case", "tolerance"), cases("compare/directly_standardised_rate"))
def test_dsr_table(case: dict, tolerance: dict) -> None:
    given = case["input"]
    strata = given["strata"]
    columns = {
        "unit": ["x"] * len(strata),
        "count": [float(s["count"]) for s in strata],
        "pop": [float(s["population"]) for s in strata],
    }
    options = {k: given[k] for k in ("standard", "multiplier", "confidence") if k in given}
    if any("standard_population" in s for s in strata):
        columns["std"] = [float(s.get("standard_population", 0)) for s in strata]
        options["standard_population"] = "std"
    data = pa.table(columns)
    call = lambda: c.standardise(data, kind="dsr", by="unit", count="count", population="pop", **options)  # noqa: E731
    if _error_expected(case):
        with pytest.raises(c.Error):
            call()
        return
    row = call().to_pylist()[0]
    expected = case["expected"]
    close(row["total_count"], expected["total_count"], tolerance, "total_count")
    close(row["value"], expected["value"], tolerance, "value")
    for interval in expected["intervals"]:
        label = str(decimal.Decimal(interval["confidence"]) * 100).rstrip("0").rstrip(".").replace(".", "_")
        close(row[f"lower_{label}"], interval["lower"], tolerance, "lower")
        close(row[f"upper_{label}"], interval["upper"], tolerance, "upper")


@pytest.mark.parametrize(("case", "tolerance"), cases("compare/proportion_intervals"))
def test_proportion_table(case: dict, tolerance: dict) -> None:
    given = case["input"]
    data = pa.table({"n": [float(given["numerator"])], "d": [float(given["denominator"])]})
    options = {k: given[k] for k in ("multiplier", "confidence") if k in given}
    call = lambda: c.standardise(data, kind="proportion", numerator="n", denominator="d", **options)  # noqa: E731
    if _error_expected(case):
        with pytest.raises(c.Error):
            call()
        return
    _intervals(call().to_pylist()[0], case["expected"], tolerance)


@pytest.mark.parametrize(("case", "tolerance"), cases("monitoring/xmr_limits"))
def test_xmr_limits_table(case: dict, tolerance: dict) -> None:
    given = case["input"]
    data = pa.table({"v": [float(x) for x in given["values"]]})
    summary = c.spc_summary(data, value="v", screen_outliers=given.get("screen_outliers"))
    row = summary.to_pylist()[0]
    expected = case["expected"]
    for key in ("mean", "upper_process_limit", "lower_process_limit"):
        close(row[key], expected[key], tolerance, key)


@pytest.mark.parametrize(("case", "tolerance"), cases("monitoring/spc_special_causes"))
def test_spc_special_causes_table(case: dict, tolerance: dict) -> None:
    given = case["input"]
    data = pa.table({"v": [float(x) for x in given["values"]]})
    points = c.spc(data, value="v", screen_outliers=given.get("screen_outliers")).to_pylist()
    expected = case["expected"]
    close(points[0]["upper_process_limit"], expected["upper_process_limit"], tolerance, "upl")
    close(points[0]["lower_process_limit"], expected["lower_process_limit"], tolerance, "lpl")
    assert [p["rule"] for p in points] == expected["labels"]
    for rule in ("outside_limits", "shift", "trend", "two_of_three"):
        flagged = [p["position"] for p in points if rule in p["rules"].split(",")]
        assert flagged == expected[rule], rule


@pytest.mark.parametrize(("case", "tolerance"), cases("priority/topsis"))
def test_topsis_table(case: dict, tolerance: dict) -> None:
    given = case["input"]
    matrix = given["matrix"]
    names = [f"c{j}" for j in range(len(matrix[0]))]
    data = pa.table({n: [float(row[j]) for row in matrix] for j, n in enumerate(names)})
    normalisation = {"minmax": "min_max"}.get(given.get("normalisation"), given.get("normalisation"))
    call = lambda: c.topsis(  # noqa: E731
        data, criteria=names, weights=given["weights"], types=given["criteria_types"],
        normalisation=normalisation,
    )
    if _error_expected(case):
        with pytest.raises(c.Error):
            call()
        return
    rows = call().to_pylist()
    expected = case["expected"]
    for key in ("closeness", "d_plus", "d_minus"):
        close([r[key] for r in rows], expected[key], tolerance, key)
    by_rank = sorted(range(len(rows)), key=lambda i: rows[i]["rank"])
    assert [i + 1 for i in by_rank] == expected["ranking"]


def _strategies(given: dict[str, Any]) -> pa.Table:
    strategies = given["strategies"]
    return pa.table(
        {
            "id": [s["id"] for s in strategies],
            "cost": [_money_text(s["cost"]) for s in strategies],
            "effect": [float(s["effect"]) for s in strategies],
        }
    )


@pytest.mark.parametrize(("case", "tolerance"), cases("priority/calculate_icers"))
def test_frontier_table(case: dict, tolerance: dict) -> None:
    given = case["input"]
    call = lambda: c.frontier(_strategies(given), id="id", cost="cost", effect="effect")  # noqa: E731
    if _error_expected(case):
        with pytest.raises(c.Error):
            call()
        return
    rows = call().to_pylist()
    expected = case["expected"]["rows"]
    # Money leaves a table rounded half up to the penny, its one rounding step; the ICERs are
    # computed from the exact amounts.
    money = ("cost", "inc_cost")
    for row, want in zip(rows, expected, strict=True):
        for key in money:
            exact = want[key]
            pence = None if exact is None else decimal.Decimal(str(exact)).quantize(
                decimal.Decimal("0.01"), rounding=decimal.ROUND_HALF_UP
            )
            assert row[key] == pence, f"{want['id']}.{key}: {row[key]} is not {pence}"
    close(
        [{k: v for k, v in r.items() if k not in money + ("dominated_by",)} for r in rows],
        [{k: v for k, v in r.items() if k not in money} for r in expected],
        tolerance,
    )


@pytest.mark.parametrize(("case", "tolerance"), cases("priority/net_monetary_benefit"))
def test_net_monetary_benefit_table(case: dict, tolerance: dict) -> None:
    given = case["input"]
    call = lambda: c.frontier(  # noqa: E731
        _strategies(given), id="id", cost="cost", effect="effect",
        threshold=float(given["willingness_to_pay"]),
    )
    if _error_expected(case):
        with pytest.raises(c.Error):
            call()
        return
    by_id = {r["id"]: r["nmb"] for r in call().to_pylist()}
    expected = case["expected"]
    close([{"id": n["id"], "nmb": by_id[n["id"]]} for n in expected["nmb"]], expected["nmb"], tolerance)
    best = max(by_id.values())
    optimal = [s["id"] for s in given["strategies"] if by_id[s["id"]] == best]
    assert sorted(optimal) == sorted(expected["optimal_ids"])


def _samples(given: dict[str, Any]) -> pa.Table:
    """A PSA document as a table of simulations in long form."""
    rows = {"sim": [], "strategy": [], "cost": [], "effect": []}
    for i, (costs, effects) in enumerate(zip(given["cost"], given["effect"])):
        for s, c_, e in zip(given["strategies"], costs, effects):
            rows["sim"].append(i)
            rows["strategy"].append(s)
            rows["cost"].append(c_ if isinstance(c_, str) else str(c_))
            rows["effect"].append(float(e))
    return pa.table(rows)


def _psa_table_case(case: dict) -> bool:
    given = case["input"]
    shaped = (
        isinstance(given.get("cost"), list)
        and all(isinstance(r, list) and len(r) == len(given["strategies"]) for r in given["cost"])
        and isinstance(given.get("effect"), list)
        and all(isinstance(r, list) and len(r) == len(given["strategies"]) for r in given["effect"])
        and len(given["cost"]) == len(given["effect"]) > 0
        and len(set(given["strategies"])) == len(given["strategies"])
        and all(isinstance(x, str) for r in given["cost"] for x in r)
    )
    return shaped and not _error_expected(case)


@pytest.mark.parametrize(("case", "tolerance"), cases("uncertainty/ceac"))
def test_ceac_table(case: dict, tolerance: dict) -> None:
    if not _psa_table_case(case):
        pytest.skip("a malformed PSA document has no table form; test_documents refuses it")
    given = case["input"]
    result = c.ceac(_samples(given), strategy="strategy", cost="cost", effect="effect", simulation="sim", wtp=given["wtp"])
    rows = result.to_pylist()
    n = len(given["strategies"])
    for i, point in enumerate(case["expected"]["points"]):
        block = rows[i * n:(i + 1) * n]
        assert [r["strategy"] for r in block] == given["strategies"]
        close(str(block[0]["wtp"]), point["wtp"], tolerance, "wtp")
        close([r["proportion"] for r in block], point["proportion"], tolerance, "proportion")
        close([r["expected_nmb"] for r in block], point["expected_nmb"], tolerance, "expected_nmb")
        assert [r["strategy"] for r in block if r["optimal"]] == point["optimal_ids"]
        assert [r["strategy"] for r in block if r["frontier"]] == [point["frontier"]]


@pytest.mark.parametrize(("case", "tolerance"), cases("uncertainty/evpi"))
def test_evpi_table(case: dict, tolerance: dict) -> None:
    if not _psa_table_case(case):
        pytest.skip("a malformed PSA document has no table form; test_documents refuses it")
    given = case["input"]
    result = c.evpi(
        _samples(given), strategy="strategy", cost="cost", effect="effect", simulation="sim",
        wtp=given["wtp"], population_by_year=given.get("population_by_year"),
        discount_rate=given.get("discount_rate"),
    )
    rows = result.to_pylist()
    for row in rows:
        row["wtp"] = str(row["wtp"])
    close(rows, case["expected"]["points"], tolerance, "points")


@pytest.mark.parametrize(("case", "tolerance"), cases("uncertainty/expected_loss"))
def test_expected_loss_table(case: dict, tolerance: dict) -> None:
    if not _psa_table_case(case):
        pytest.skip("a malformed PSA document has no table form; test_documents refuses it")
    given = case["input"]
    rows = c.expected_loss(_samples(given), strategy="strategy", cost="cost", effect="effect", simulation="sim", wtp=given["wtp"]).to_pylist()
    n = len(given["strategies"])
    for i, point in enumerate(case["expected"]["points"]):
        block = rows[i * n:(i + 1) * n]
        close([r["expected_loss"] for r in block], point["expected_loss"], tolerance, "expected_loss")
        close(block[0]["frontier_loss"], point["frontier_loss"], tolerance, "frontier_loss")
        assert [r["strategy"] for r in block if r["frontier"]] == [point["frontier"]]


@pytest.mark.parametrize(("case", "tolerance"), cases("compare/peer_groups"))
def test_peers_table(case: dict, tolerance: dict) -> None:
    given = case["input"]
    names = given["variables"]
    data = pa.table({"id": [u["id"] for u in given["units"]], **{
        v: [float(u["values"][j]) for u in given["units"]] for j, v in enumerate(names)
    }})
    call = lambda: c.peers(data, id="id", variables=names, weights=given.get("weights"), k=given.get("k"))  # noqa: E731
    if _error_expected(case):
        with pytest.raises(c.Error):
            call()
        return
    rows = call().to_pylist()
    for unit in case["expected"]["units"]:
        mine = sorted((r for r in rows if r["id"] == unit["id"]), key=lambda r: r["rank"])
        assert [r["peer"] for r in mine] == unit["peers"]
        close([r["distance"] for r in mine], unit["distances"], tolerance, unit["id"])


@pytest.mark.parametrize(("case", "tolerance"), cases("priority/weighted_sum"))
def test_score_table(case: dict, tolerance: dict) -> None:
    given = case["input"]
    criteria = [
        {"id": k["id"], "weight": k["swing_weight"],
         "value_function": {"kind": "piecewise", "breakpoints": sorted(k["breakpoints"])}}
        for k in given["criteria"]
    ]
    data = pa.table({"option": [o["id"] for o in given["options"]], **{
        k["id"]: [float(o["raw"][j]) for o in given["options"]] for j, k in enumerate(given["criteria"])
    }})
    result = c.score(data, id="option", criteria=criteria)
    meta = json.loads(result.schema.metadata[b"commissioning.weights"])
    close(meta, case["expected"]["weights"], tolerance, "weights")
    rows = result.to_pylist()
    for row, want in zip(rows, case["expected"]["options"], strict=True):
        assert row["option"] == want["id"]
        close(row["score"], want["score"], tolerance, "score")
        close([row[f"value_{k['id']}"] for k in given["criteria"]], want["values"], tolerance, "values")
