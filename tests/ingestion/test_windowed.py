"""WINDOWED endpoints: windows read again are replaced exactly (changes updated, deletions
deleted), windows not read keep their rows, a row that moved between windows is not lost, and a
window that would be emptied is refused like a failed snapshot."""

from decimal import Decimal

import pytest

from monitr_pipeline.entity_import import root_cause
from monitr_pipeline.ingestion.pipeline import entity_pipeline
from monitr_pipeline.ingestion.run_context import DeletionsRefused, EntityContext, ImportRunContext
from monitr_pipeline.ingestion.source import provider_source
from monitr_pipeline.providers.adapter import ProviderAdapter
from monitr_pipeline.providers.spec import Endpoint, LoadMode, ProviderSpec
from monitr_pipeline.warehouse import query

_SPEC = ProviderSpec(
    slug="by_year", name="By year", connection_kind="accounting", auth_kind="api_key",
    environments={"test": "http://by-year.test"},
    endpoints=(Endpoint(table="lines", path="lines", mode=LoadMode.WINDOWED, windows="years",
                        reader="year_lines",
                        columns={"ID": "text", "Year": "bigint", "Amount": "decimal"}),),
)


class _ByYearAdapter(ProviderAdapter):
    """The provider's lines per year as the test sets them; the open years are read again."""

    spec = _SPEC

    def __init__(self):
        self.books: dict[str, list[dict]] = {}
        self.open_years: set[str] = set()
        self.asked: list[tuple[list[str], list[str]]] = []

    def years(self, client, endpoint, read_before, run, hooks):
        windows = [y for y in sorted(self.books) if y not in read_before or y in self.open_years]
        self.asked.append((list(read_before), windows))
        return windows

    def year_lines(self, client, endpoint, window, run, hooks):
        lines = self.books[window]
        # Two pages, so a window is more than one request.
        yield lines[:1]
        yield lines[1:]


def _line(key: str, year: int, amount: str) -> dict:
    return {"ID": key, "Year": year, "Amount": amount}


@pytest.fixture
def importer(settings):
    adapter = _ByYearAdapter()
    run_context = lambda: ImportRunContext(EntityContext(1, 7, "x", "by_year-x", "Entity X"))  # noqa: E731

    def run():
        run = run_context()
        pipeline = entity_pipeline(settings, _SPEC, run.entity.partition_key)
        pipeline.run(provider_source(adapter, run, client=object()), loader_file_format="parquet")

    def rows():
        return query(settings, "select id, year, amount from raw_by_year.lines order by id")

    return adapter, run, rows


def test_windows_read_again_are_replaced_and_others_kept(importer):
    adapter, run, rows = importer
    adapter.books = {"2024": [_line("a", 2024, "1.00"), _line("b", 2024, "2.00")],
                     "2025": [_line("c", 2025, "3.00"), _line("d", 2025, "4.00")]}
    adapter.open_years = {"2025"}
    run()
    assert adapter.asked[-1] == ([], ["2024", "2025"])
    assert len(rows()) == 4

    # 2025 changes: c corrected, d deleted, e new, and b re-dated from 2024 into 2025. Only 2025
    # is read (2024 is closed), so 2024's copy of b is not seen: b must not be deleted for it.
    adapter.books["2025"] = [_line("b", 2025, "2.50"), _line("c", 2025, "3.30"),
                             _line("e", 2025, "5.00")]
    adapter.books["2024"] = [_line("a", 2024, "1.00")]
    run()
    assert adapter.asked[-1] == (["2024", "2025"], ["2025"])
    assert rows() == [("a", 2024, Decimal("1.00")), ("b", 2025, Decimal("2.50")),
                      ("c", 2025, Decimal("3.30")), ("e", 2025, Decimal("5.00"))]

    # 2024 reopened and read again: b is no longer in it, but it lives on in 2025.
    adapter.open_years = {"2024"}
    run()
    assert adapter.asked[-1] == (["2024", "2025"], ["2024"])
    assert [key for key, *_ in rows()] == ["a", "b", "c", "e"]

    # 2024 read again with a really deleted line.
    adapter.books["2024"] = [_line("a", 2024, "1.00"), _line("f", 2024, "6.00")]
    run()
    adapter.books["2024"] = [_line("f", 2024, "6.00")]
    run()
    assert [key for key, *_ in rows()] == ["b", "c", "e", "f"]


def test_a_window_read_empty_is_refused_and_loads_nothing(importer):
    adapter, run, rows = importer
    adapter.books = {"2025": [_line(str(n), 2025, "1.00") for n in range(12)]}
    adapter.open_years = {"2025"}
    run()
    adapter.books["2025"] = []
    with pytest.raises(Exception) as failed:  # dlt's PipelineStepFailed around it
        run()
    assert isinstance(root_cause(failed.value), DeletionsRefused)
    assert "12 of the 12 rows from window 2025" in str(failed.value)
    assert len(rows()) == 12
