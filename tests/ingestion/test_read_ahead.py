"""Reading one page ahead changes when a page is asked for, never what is asked for: the same
pages in the same order, errors where paging raised them, and nothing asked for once the engine
stops reading."""

import threading

import pytest

from monitr_pipeline.ingestion.read_ahead import read_ahead


class _Pages:
    """A paging iterator that records which pages were asked for, and when it was closed."""

    def __init__(self, count: int, fail_at: int | None = None):
        self.count, self.fail_at = count, fail_at
        self.asked: list[int] = []
        self.closed = threading.Event()
        self.asked_second = threading.Event()

    def __iter__(self):
        try:
            for number in range(1, self.count + 1):
                self.asked.append(number)
                if number == 2:
                    self.asked_second.set()
                if number == self.fail_at:
                    raise ValueError(f"page {number} is not JSON")
                yield [number]
        finally:
            self.closed.set()


def test_the_same_pages_in_the_same_order():
    pages = _Pages(5)
    assert list(read_ahead(iter(pages))) == [[1], [2], [3], [4], [5]]
    assert pages.closed.is_set()


def test_the_next_page_is_asked_for_while_the_caller_holds_this_one():
    pages = _Pages(3)
    reading = read_ahead(iter(pages))
    assert next(reading) == [1]
    # The caller has not asked for page 2, yet it is under way.
    assert pages.asked_second.wait(timeout=5)
    reading.close()


def test_an_error_is_raised_after_the_pages_before_it():
    reading = read_ahead(iter(_Pages(5, fail_at=3)))
    assert [next(reading), next(reading)] == [[1], [2]]
    with pytest.raises(ValueError, match="page 3 is not JSON"):
        next(reading)


def test_nothing_more_is_asked_for_once_the_caller_stops():
    pages = _Pages(100)
    reading = read_ahead(iter(pages), depth=1)
    assert next(reading) == [1]
    reading.close()
    # One page in the queue and one in the reader's hands at most: never the whole endpoint.
    assert pages.closed.is_set()
    assert len(pages.asked) <= 3


def test_the_reader_runs_in_dlt_s_contexts_of_the_caller():
    # dlt keeps configuration per thread and maps threads named dlt-pool-<owner>-* to the owner.
    from dlt.common.configuration.container import Container

    seen = []

    def pages():
        seen.append(Container()._effective_thread_id())
        yield [1]

    list(read_ahead(pages()))
    assert seen == [threading.get_ident()]


def test_the_reader_sees_the_caller_s_context_variables():
    import contextvars

    resource = contextvars.ContextVar("resource", default=None)
    resource.set("mutation_rows")
    seen = []

    def pages():
        seen.append(resource.get())
        yield [1]

    list(read_ahead(pages()))
    assert seen == ["mutation_rows"]
