"""The table functions per group of a PySpark DataFrame, on Spark's executors.

Each helper runs the single-machine function on every group of ``by`` — one group per ICB,
provider or indicator — and returns a DataFrame of the ``by`` columns and the function's
result, row for row what the single-machine function gives for that group:

- on Spark 4, through ``groupBy(...).applyInArrow``;
- on Spark 3.5 (Databricks 15.4 and 16.4 LTS), through ``mapInArrow`` after
  ``repartition(*by)``, which keeps each group's rows in one partition.

A group's rows are ordered by ``order_by`` (for SPC, the date) before the function runs, since
a shuffle does not keep the order of the rows. The output schema is that of the function's
result on the first group, run on the driver, so a mistake in the options is raised there,
before any executor starts. Nothing here starts threads or processes of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

import commissioning as _c

__all__ = ["funnel_by", "spc_by", "spc_summary_by", "standardise_by"]


def _names(by: str | Sequence[str]) -> list[str]:
    return [by] if isinstance(by, str) else list(by)


def _ordered(group: pa.Table, order_by: Sequence[str]) -> pa.Table:
    if not order_by or group.num_rows == 0:
        return group
    return group.sort_by([(c, "ascending") for c in order_by])


def _with_keys(result: pa.Table, group: pa.Table, by: Sequence[str]) -> pa.Table:
    """The result with the group's key columns in front (unless the result carries them)."""
    missing = [b for b in by if b not in result.column_names]
    if not missing:
        return result.select(list(by) + [c for c in result.column_names if c not in by])
    keys = {b: pa.repeat(group.column(b)[0], result.num_rows) for b in missing}
    columns = [keys[b] if b in keys else result.column(b) for b in by]
    names = list(by)
    for name in result.column_names:
        if name not in by:
            columns.append(result.column(name))
            names.append(name)
    table = pa.Table.from_arrays(columns, names=names)
    fields = [
        table.schema.field(n).with_metadata(result.schema.field(n).metadata)
        if n in result.column_names
        else table.schema.field(n)
        for n in names
    ]
    return table.cast(pa.schema(fields, metadata=result.schema.metadata))


def _per_group(
    fn: Callable[[pa.Table], pa.Table], by: Sequence[str], order_by: Sequence[str]
) -> Callable[[pa.Table], pa.Table]:
    def run(group: pa.Table) -> pa.Table:
        return _with_keys(fn(_ordered(group, order_by)), group, by)

    return run


def _split(table: pa.Table, by: Sequence[str]) -> Iterator[pa.Table]:
    """The table's groups by ``by``, each in table order."""
    if table.num_rows == 0:
        return
    keys = table.select(list(by)).group_by(list(by)).aggregate([])
    for i in range(keys.num_rows):
        mask = None
        for b in by:
            value = keys.column(b)[i]
            column = table.column(b)
            test = pc.is_null(column) if not value.is_valid else pc.equal(column, value)
            mask = test if mask is None else pc.and_(mask, test)
        yield table.filter(mask)


def _has_apply_in_arrow(grouped: Any) -> bool:
    """Whether Spark runs Arrow functions per group (Spark 4); Spark 3.5 does not."""
    return hasattr(grouped, "applyInArrow")


def _spark_schema(result: pa.Table) -> Any:
    from pyspark.sql.pandas.types import from_arrow_schema  # noqa: PLC0415

    return from_arrow_schema(result.schema)


def _first_group(df: Any, by: Sequence[str]) -> pa.Table:
    first = df.select(*by).limit(1).collect()
    if not first:
        raise _c.Error("the DataFrame has no rows")
    row = first[0]
    from pyspark.sql import functions as F  # noqa: PLC0415

    condition = None
    for b in by:
        test = F.col(b).isNull() if row[b] is None else F.col(b) == F.lit(row[b])
        condition = test if condition is None else condition & test
    return _to_arrow(df.where(condition))


def _to_arrow(df: Any) -> pa.Table:
    if hasattr(df, "toArrow"):
        return df.toArrow()
    return pa.Table.from_pandas(df.toPandas(), preserve_index=False)  # pragma: no cover


def _apply(
    df: Any,
    by: str | Sequence[str],
    fn: Callable[[pa.Table], pa.Table],
    order_by: Sequence[str] = (),
) -> Any:
    keys = _names(by)
    run = _per_group(fn, keys, list(order_by))
    sample = run(_first_group(df, keys))
    # Arrow metadata does not cross Spark's schema; the result's types do.
    schema = _spark_schema(sample)
    grouped = df.groupBy(*keys)
    if _has_apply_in_arrow(grouped):
        return grouped.applyInArrow(run, schema)

    def partition(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        table = pa.Table.from_batches(list(batches))
        for group in _split(table, keys):
            yield from run(group).to_batches()

    return df.repartition(*keys).mapInArrow(partition, schema)


def funnel_by(df: Any, by: str | Sequence[str], **options: Any) -> Any:
    """:func:`commissioning.funnel` per group of ``by``: one funnel plot per indicator, say.
    Options as :func:`commissioning.funnel` (``numerator``, ``denominator``, ``id``, …)."""
    return _apply(df, by, lambda t: _c.funnel(t, **options))


def spc_by(df: Any, by: str | Sequence[str], *, value: str, date: str | None = None, **options: Any) -> Any:
    """:func:`commissioning.spc` with one series per group of ``by``, ordered by ``date``."""
    keys = _names(by)
    return _apply(
        df,
        keys,
        lambda t: _c.spc(t, value=value, date=date, facet=keys, **options),
        [date] if date else [],
    )


def spc_summary_by(
    df: Any, by: str | Sequence[str], *, value: str, date: str | None = None, **options: Any
) -> Any:
    """:func:`commissioning.spc_summary` with one series per group of ``by``."""
    keys = _names(by)
    return _apply(
        df,
        keys,
        lambda t: _c.spc_summary(t, value=value, date=date, facet=keys, **options),
        [date] if date else [],
    )


def standardise_by(
    df: Any, by: str | Sequence[str], *, unit: str | Sequence[str] | None = None, **options: Any
) -> Any:
    """:func:`commissioning.standardise` per group of ``by`` (an indicator, a year), its units
    the values of ``unit`` within each group (for stratified kinds), or its rows."""
    keys = _names(by)
    units = keys + ([] if unit is None else _names(unit))
    return _apply(df, keys, lambda t: _c.standardise(t, by=units, **options))
