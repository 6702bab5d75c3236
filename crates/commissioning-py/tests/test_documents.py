"""Documents as dicts: the same document the command reads, the same result it writes."""

from __future__ import annotations

import doctest
import json
import pathlib
import subprocess

import pytest

import commissioning as c

EXAMPLES = pathlib.Path(__file__).parent / "examples"


def test_every_capability_is_listed_with_a_summary() -> None:
    caps = c.capabilities()
    names = [n for n, _ in caps["documents"]]
    assert {"settle", "funnel", "spc", "frontier", "psa", "validate"} <= set(names)
    assert all(summary for _, summary in caps["documents"] + caps["tables"])
    assert [n for n, _ in caps["tables"]] == [
        "funnel", "spc", "spc_summary", "standardise", "frontier", "topsis",
        "score", "peers", "concentration", "ceac", "evpi", "expected_loss",
    ]


def test_a_settlement_document_settles_to_the_penny() -> None:
    document = json.loads((EXAMPLES / "settle.json").read_text())
    result = c.run("settle", document)
    expected = json.loads((EXAMPLES / "settle.out.json").read_text())
    assert result == expected


def test_a_chart_is_drawn_only_when_asked_and_shows_in_a_notebook() -> None:
    document = json.loads((EXAMPLES / "spc-stroke.json").read_text())
    plain = c.run("spc", document)
    assert plain.svg is None
    drawn = c.run("spc", document, chart=True)
    assert drawn.svg is not None and drawn.svg.startswith("<svg")
    assert drawn.svg._repr_svg_() == str(drawn.svg)
    assert dict(plain) == dict(drawn)


def test_errors_name_the_path_the_command_names() -> None:
    document = json.loads((EXAMPLES / "settle.json").read_text())
    document["agreement"]["gain"]["bands"][0]["rate"] = "1.5"
    with pytest.raises(c.Error) as e:
        c.run("settle", document)
    assert e.value.path == "agreement.gain.bands[0].rate"
    assert e.value.kind == "invalid_input"
    assert "between 0 and 1" in e.value.message
    assert str(e.value).startswith("agreement.gain.bands[0].rate: ")


def test_an_unknown_capability_lists_those_there_are() -> None:
    with pytest.raises(c.Error, match="expected one of settle, pay"):
        c.run("setle", {})


def test_malformed_documents_raise_commissioning_error() -> None:
    for name in ("settle", "funnel", "spc", "psa", "validate", "calc"):
        for bad in ("", "{", "[]", "null", '{"a": 1}', '{"kind": 5}', "1e999"):
            with pytest.raises(c.Error) as e:
                c.run(name, bad)
            assert e.value.kind != "internal"


def test_a_slip_is_warned_on() -> None:
    document = json.loads((EXAMPLES / "settle.json").read_text())
    document["agreement"]["gain"]["bands"][0]["rate"] = 1
    with pytest.warns(c.CommissioningWarning, match="100%"):
        c.run("settle", document)


def test_decimals_and_dates_in_a_document() -> None:
    import decimal

    result = c.run("calc", {"kind": "allocate", "total": decimal.Decimal("10.00"), "parties": [{"id": "a", "weight": "1"}, {"id": "b", "weight": "2"}]})
    assert [p["amount"] for p in result["parties"]] == ["3.33", "6.67"]


def test_schema_is_the_commands() -> None:
    schema = c.schema("funnel")
    assert "units" in json.dumps(schema)


def test_the_docstrings_examples_run() -> None:
    failures, tried = doctest.testmod(c)
    assert tried > 0 and failures == 0


def test_help_reads_like_the_rustdoc() -> None:
    assert "FunnelPlotR" in (c.funnel.__doc__ or "")
    assert "Making Data Count" in (c.spc.__doc__ or "")
    assert c.Error.__doc__ and "path" in c.Error.__doc__


def test_the_guide_runs() -> None:
    """Every example of docs/python.md but the Spark one (which test_spark.py covers) runs."""
    guide = pathlib.Path(__file__).parents[3] / "docs" / "python.md"
    if not guide.exists():
        pytest.skip("docs/python.md is not beside this package")
    import re

    blocks = re.findall(r"```python\n(.*?)```", guide.read_text(), re.S)
    assert len(blocks) >= 6
    namespace: dict = {}
    for block in blocks:
        if "SparkSession" in block:
            continue
        exec(compile(block, str(guide), "exec"), namespace)  # noqa: S102 - the guide's own code
