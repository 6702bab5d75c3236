"""Health-care commissioning in the NHS in England, exact and fast, on Arrow tables.

Tables in, tables out: :func:`funnel`, :func:`spc`, :func:`spc_summary`, :func:`standardise`,
:func:`frontier`, :func:`topsis`, :func:`score`, :func:`peers`, :func:`concentration`,
:func:`ceac`, :func:`evpi` and :func:`expected_loss` take any table that exports an Arrow stream (pyarrow,
Polars, DuckDB, arro3) or a pandas DataFrame, with keyword arguments naming its columns, and
return a ``pyarrow.Table`` (``pl.from_arrow(result)`` and ``result.to_pandas()`` just work).
Each result field carries its presentation in its metadata (``commissioning.kind``: money,
share, count, ratio, date, id, text or flag); money is ``decimal128(38, 2)``.

Documents: :func:`run` takes any capability's document as a dict — the same document the
``commissioning`` command reads — and returns the same result it writes; :func:`schema` gives
the document's JSON Schema.

Every refusal raises :class:`Error` (a ``ValueError``) naming the offending value's ``path``
(a document path, or a table's ``column[row]``), its ``kind`` and its ``message``. Likely slips
(a proportion read as a ratio) are :class:`CommissioningWarning` warnings.

Spark: :mod:`commissioning.spark` runs the table functions per group of a PySpark DataFrame.
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import json as _json
import warnings as _warnings
from collections.abc import Mapping, Sequence
from typing import Any

from . import _native
from ._native import Error

__all__ = [
    "Chart",
    "CommissioningWarning",
    "Error",
    "Result",
    "capabilities",
    "ceac",
    "concentration",
    "evpi",
    "expected_loss",
    "frontier",
    "funnel",
    "peers",
    "run",
    "schema",
    "score",
    "spc",
    "spc_summary",
    "standardise",
    "topsis",
]


class CommissioningWarning(UserWarning):
    """A value read as given that may not be what was meant (``path: message``)."""


class Chart(str):
    """A chart as SVG text; a notebook displays it as the picture."""

    def _repr_svg_(self) -> str:
        return str(self)


class Result(dict):
    """A capability's result, as the command writes it, with its chart and first problem."""

    #: The chart, when one was asked for and the capability draws one.
    svg: Chart | None = None
    #: For ``validate``: the first problem of an invalid contract.
    problem: str | None = None


def _plain(value: Any) -> Any:
    """Python values a document may hold, as JSON: decimals and dates as text."""
    if isinstance(value, _decimal.Decimal):
        return str(value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} cannot be written in a document")


def _warn(pairs: Sequence[tuple[str, str]]) -> None:
    for path, message in pairs:
        _warnings.warn(f"{path}: {message}", CommissioningWarning, stacklevel=3)


def _arrow(data: Any) -> Any:
    """The table as an object that exports an Arrow stream."""
    if hasattr(data, "__arrow_c_stream__"):
        return data
    try:
        import pandas as pd  # noqa: PLC0415
    except ImportError:  # pragma: no cover - pandas is optional
        pd = None
    if pd is not None and isinstance(data, pd.DataFrame):
        import pyarrow as pa  # noqa: PLC0415

        return pa.Table.from_pandas(data, preserve_index=False)
    raise TypeError(
        f"expected a table that exports an Arrow stream (pyarrow, Polars, DuckDB) or a pandas "
        f"DataFrame, got {type(data).__name__}"
    )


def _table(name: str, data: Any, options: Mapping[str, Any]) -> Any:
    given = {k: v for k, v in options.items() if v is not None}
    table, warned = _native.table(name, _arrow(data), _json.dumps(given, default=_plain))
    _warn(warned)
    return table


def run(
    name: str,
    document: Mapping[str, Any] | str,
    *,
    chart: bool = False,
    title: str | None = None,
) -> Result:
    """Run capability ``name`` (``"settle"``, ``"funnel"``, …) on its document.

    The document is a dict (or JSON text) exactly as the ``commissioning`` command reads it;
    the result is the dict the command writes, with ``.svg`` holding the chart when ``chart``
    is true and the capability draws one, and ``.problem`` the first problem ``validate``
    found. Money in the result is text with its exact places (``"5000.00"``).

    >>> parties = [{"id": "a", "weight": "1"}, {"id": "b", "weight": "2"}]
    >>> r = run("calc", {"kind": "allocate", "total": "100.00", "parties": parties})
    >>> [p["amount"] for p in r["parties"]]
    ['33.33', '66.67']
    """
    text = document if isinstance(document, str) else _json.dumps(document, default=_plain)
    out, svg, problem, warned = _native.run(name, text, chart, title)
    _warn(warned)
    result = Result(_json.loads(out))
    result.svg = Chart(svg) if svg is not None else None
    result.problem = problem
    return result


def schema(name: str) -> dict[str, Any]:
    """The JSON Schema of capability ``name``'s document."""
    return _json.loads(_native.schema(name))


def capabilities() -> dict[str, list[tuple[str, str]]]:
    """The capabilities :func:`run` takes (``documents``) and the table functions (``tables``)."""
    documents, tables = _native.capabilities()
    return {"documents": [(n, s) for n, s, _ in documents], "tables": list(tables)}


def funnel(
    data: Any,
    *,
    numerator: str,
    denominator: str,
    id: str | None = None,  # noqa: A002 - the column of unit ids, as FunnelPlotR names it
    data_type: str | None = None,
    sr_method: str | None = None,
    trim_by: float | str | None = None,
    overdispersion: bool | None = None,
    multiplier: float | None = None,
) -> Any:
    """A funnel plot of many units, by FunnelPlotR's method: one row per unit.

    ``data_type`` is ``"SR"`` (standardised ratios, observed ÷ expected, the default) or
    ``"PR"`` (proportions, events ÷ people); data that look like proportions read as ratios are
    warned on. ``sr_method`` is ``"SHMI"`` (the default) or ``"CQC"``; ``trim_by`` the share
    trimmed from each tail before estimating overdispersion (default 0.1); ``overdispersion``
    whether to adjust the limits (default true); ``multiplier`` 1 or 100.

    Returns the ``id`` column (when given), then ``numerator``, ``denominator`` (as used),
    ``ratio``, ``z``, ``z_adjusted``, the limits in use (``lower_998``, ``lower_95``,
    ``upper_95``, ``upper_998``), ``trimmed``, ``outlier_95`` and ``outlier_998``; the schema's
    metadata holds ``commissioning.target``, ``.phi``, ``.tau2`` and the outlier counts.
    """
    return _table(
        "funnel",
        data,
        {
            "numerator": numerator,
            "denominator": denominator,
            "id": id,
            "data_type": data_type,
            "sr_method": sr_method,
            "trim_by": None if trim_by is None else str(trim_by),
            "overdispersion": overdispersion,
            "multiplier": multiplier,
        },
    )


def _spc_options(
    value: str,
    date: str | None,
    facet: str | Sequence[str] | None,
    improvement: str | None,
    target: float | None,
    screen_outliers: bool | None,
    fix_after_n_points: int | None,
    short_baseline: int | None,
) -> dict[str, Any]:
    return {
        "value": value,
        "date": date,
        "facet": list(facet) if isinstance(facet, (list, tuple)) else facet,
        "improvement": improvement,
        "target": target,
        "screen_outliers": screen_outliers,
        "fix_after_n_points": fix_after_n_points,
        "short_baseline": short_baseline,
    }


def spc(
    data: Any,
    *,
    value: str,
    date: str | None = None,
    facet: str | Sequence[str] | None = None,
    improvement: str | None = None,
    target: float | None = None,
    screen_outliers: bool | None = None,
    fix_after_n_points: int | None = None,
    short_baseline: int | None = None,
) -> Any:
    """SPC charts with the Making Data Count rules, one series per value of ``facet``.

    Each series' rows are taken in table order (sort by date first). ``improvement`` is
    ``"increase"``, ``"decrease"`` or ``"neither"``; ``target`` sets the assurance icon.
    Returns the facet and date columns, then each point's ``position``, ``value``,
    ``segment``, ``mean``, ``lower_process_limit``, ``upper_process_limit``, ``point_type``
    (``common_cause``, ``special_cause_improvement``, …) and the ``rules`` that flagged it.
    """
    options = _spc_options(
        value, date, facet, improvement, target, screen_outliers, fix_after_n_points, short_baseline
    )
    return _table("spc", data, options)


def spc_summary(
    data: Any,
    *,
    value: str,
    date: str | None = None,
    facet: str | Sequence[str] | None = None,
    improvement: str | None = None,
    target: float | None = None,
    screen_outliers: bool | None = None,
    fix_after_n_points: int | None = None,
    short_baseline: int | None = None,
) -> Any:
    """As :func:`spc`, one row per series: its latest point and date, ``variation`` and
    ``assurance`` icons, target and the last segment's mean and limits."""
    options = _spc_options(
        value, date, facet, improvement, target, screen_outliers, fix_after_n_points, short_baseline
    )
    return _table("spc_summary", data, options)


def standardise(
    data: Any,
    *,
    kind: str,
    by: str | Sequence[str] | None = None,
    numerator: str | None = None,
    denominator: str | None = None,
    count: str | None = None,
    population: str | None = None,
    observed: str | None = None,
    expected: str | None = None,
    ref_count: str | None = None,
    ref_population: str | None = None,
    standard_population: str | None = None,
    age_band: str | None = None,
    standard: str | None = None,
    multiplier: float | None = None,
    refvalue: float | None = None,
    confidence: Sequence[float | str] | None = None,
) -> Any:
    """Proportions, rates, standardised ratios or directly standardised rates of many units.

    - ``kind="proportion"`` (``numerator``, ``denominator``) and ``kind="rate"`` (``count``,
      ``population``): one unit per row.
    - ``kind="ratio"``: ``observed`` and ``expected`` per row; or, by stratum, ``observed``,
      ``population``, ``ref_count`` and ``ref_population``, one unit per value of ``by``.
    - ``kind="dsr"``: ``count`` and ``population`` by stratum, one unit per value of ``by``;
      the 2013 European Standard Population by default, its bands matched by the ``age_band``
      column's labels (``"0-4"`` … ``"90+"``), or ``standard="custom"`` with a
      ``standard_population`` column.

    Returns the ``by`` columns, then ``value`` and ``lower_95``/``upper_95``,
    ``lower_99_8``/``upper_99_8`` (one pair per ``confidence`` level), and the observed and
    expected counts (ratios) or the total count and population (DSRs).
    """
    return _table(
        "standardise",
        data,
        {
            "kind": kind,
            "by": list(by) if isinstance(by, (list, tuple)) else by,
            "numerator": numerator,
            "denominator": denominator,
            "count": count,
            "population": population,
            "observed": observed,
            "expected": expected,
            "ref_count": ref_count,
            "ref_population": ref_population,
            "standard_population": standard_population,
            "age_band": age_band,
            "standard": standard,
            "multiplier": multiplier,
            "refvalue": refvalue,
            "confidence": None if confidence is None else [str(c) for c in confidence],
        },
    )


def frontier(
    data: Any,
    *,
    id: str,  # noqa: A002 - the column of strategy ids, as dampack names it
    cost: str,
    effect: str,
    threshold: float | None = None,
) -> Any:
    """The cost-effectiveness frontier, as dampack's ``calculate_icers``: one row per strategy,
    by cost, with ``inc_cost``, ``inc_effect``, ``icer``, ``status`` (``ND``, ``ED``, ``D``),
    ``dominated_by``, and the net monetary benefit ``nmb`` at ``threshold`` when given.

    Costs are money: decimals, whole numbers or text (a float with more places than pence is
    refused).
    """
    return _table(
        "frontier", data, {"id": id, "cost": cost, "effect": effect, "threshold": threshold}
    )


def topsis(
    data: Any,
    *,
    criteria: Sequence[str],
    weights: Sequence[float],
    types: Sequence[str],
    normalisation: str | None = None,
) -> Any:
    """TOPSIS: each alternative's ``closeness``, ``d_plus``, ``d_minus`` and ``rank``, in
    table order. ``types`` says for each criterion whether more is better (``"benefit"``) or
    less (``"cost"``); ``normalisation`` is ``"vector"`` (the default) or ``"min_max"``."""
    return _table(
        "topsis",
        data,
        {
            "criteria": list(criteria),
            "weights": list(weights),
            "types": list(types),
            "normalisation": normalisation,
        },
    )


def peers(
    data: Any,
    *,
    id: str,  # noqa: A002 - the column of area ids
    variables: Sequence[str],
    weights: Sequence[float] | None = None,
    k: int | None = None,
) -> Any:
    """Each area's most similar peers, by NHS RightCare's similar 10 method: the variables
    standardised, weighted squared distances, the ``k`` nearest (default 10). One row per area
    and peer: the area's ``id``, ``peer``, ``rank`` (1 the nearest) and ``distance``."""
    return _table(
        "peers",
        data,
        {"id": id, "variables": list(variables), "weights": None if weights is None else list(weights), "k": k},
    )


def concentration(
    data: Any,
    *,
    id: str,  # noqa: A002 - the column of service ids
    amount: str,
    target: float | str | None = None,
    a_limit: float | str | None = None,
    b_limit: float | str | None = None,
) -> Any:
    """Where the money goes: each line by amount, largest first, with its ``share`` of the
    spend, the ``cumulative`` share and its ``class`` (A: the lines that make up ``a_limit``
    of the spend, default 80%; B: up to ``b_limit``, default 95%; C: the tail)."""
    text = lambda x: None if x is None else str(x)  # noqa: E731 - shares are exact decimals
    return _table(
        "concentration",
        data,
        {"id": id, "amount": amount, "target": text(target), "a_limit": text(a_limit), "b_limit": text(b_limit)},
    )


def _psa(
    name: str,
    data: Any,
    strategy: str,
    cost: str,
    effect: str,
    wtp: Sequence[Any],
    simulation: str | None,
    extra: Mapping[str, Any] | None = None,
) -> Any:
    options = {
        "strategy": strategy,
        "cost": cost,
        "effect": effect,
        "simulation": simulation,
        "wtp": [str(w) for w in wtp],
        **(extra or {}),
    }
    return _table(name, data, options)


def ceac(
    data: Any,
    *,
    strategy: str,
    cost: str,
    effect: str,
    wtp: Sequence[Any],
    simulation: str | None = None,
) -> Any:
    """Cost-effectiveness acceptability curves, as dampack's ``ceac``, from a table of
    simulations in long form (one row per simulation and strategy; ``simulation`` names the
    draw, or each strategy's rows are taken in order). One row per willingness-to-pay value and
    strategy: ``proportion`` of simulations in which it is best, ``expected_nmb``, whether it
    is ``optimal`` and whether it is on the ``frontier``."""
    return _psa("ceac", data, strategy, cost, effect, wtp, simulation)


def evpi(
    data: Any,
    *,
    strategy: str,
    cost: str,
    effect: str,
    wtp: Sequence[Any],
    simulation: str | None = None,
    population_by_year: Sequence[float] | None = None,
    discount_rate: float | str | None = None,
) -> Any:
    """The expected value of perfect information, as dampack's ``calc_evpi``: one row per
    willingness-to-pay value, with the population EVPI when ``population_by_year`` is given."""
    extra = {
        "population_by_year": None if population_by_year is None else list(population_by_year),
        "discount_rate": None if discount_rate is None else str(discount_rate),
    }
    return _psa("evpi", data, strategy, cost, effect, wtp, simulation, extra)


def expected_loss(
    data: Any,
    *,
    strategy: str,
    cost: str,
    effect: str,
    wtp: Sequence[Any],
    simulation: str | None = None,
) -> Any:
    """The expected loss of each strategy, as dampack's ``calc_exp_loss``: one row per
    willingness-to-pay value and strategy, with the loss of the frontier strategy."""
    return _psa("expected_loss", data, strategy, cost, effect, wtp, simulation)


def score(data: Any, *, id: str, criteria: Sequence[Mapping[str, Any]]) -> Any:  # noqa: A002
    """The multi-criteria value model, as the ``score`` document defines it: one row per
    option with its ``score`` (the weighted sum of its values), ``rank`` (1 the best; ties share
    a rank) and ``value_<criterion>`` on each criterion. Each criterion is a dict as the
    document writes it — ``{"id": ..., "weight": ..., "value_function": {...}}`` — and its
    ``id`` names the column of the options' performance (numbers, or text for categories).
    The normalised weights are in the schema's metadata (``commissioning.weights``)."""
    return _table("score", data, {"id": id, "criteria": [dict(c) for c in criteria]})
