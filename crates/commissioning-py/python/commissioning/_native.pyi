"""The native module of the commissioning package (PyO3). Use the functions of
``commissioning`` itself; these are the doors they go through."""

from typing import Any

class Error(ValueError):
    """A document or table the commissioning libraries refused."""

    #: The offending value: a document path (``agreement.gain.bands[1].rate``) or a table's
    #: ``column[row]``; empty when the refusal names no one value.
    path: str
    #: ``invalid_input``, ``out_of_range``, ``undefined``, ``io`` or ``internal`` (a defect).
    kind: str
    #: What is wrong.
    message: str

def table(name: str, data: Any, options: str) -> tuple[Any, list[tuple[str, str]]]:
    """The table capability ``name`` on an object exporting an Arrow stream, with its options
    as a JSON object's text: the result as a ``pyarrow.Table`` and the warnings."""

def run(
    name: str, document: str, chart: bool = False, title: str | None = None
) -> tuple[str, str | None, str | None, list[tuple[str, str]]]:
    """The capability ``name`` on its JSON document: the result's JSON, the chart's SVG,
    ``validate``'s first problem, and the warnings."""

def schema(name: str) -> str:
    """The JSON Schema of capability ``name``'s document, as JSON text."""

def capabilities() -> tuple[list[tuple[str, str, bool]], list[tuple[str, str]]]:
    """``(name, summary, draws a chart)`` of every document capability, and ``(name,
    summary)`` of every table capability."""
