"""Finding the error that says what went wrong inside the wrappers dlt and Dagster add."""

from __future__ import annotations


def first_cause(exc: BaseException, wanted: tuple[type[BaseException], ...]) -> BaseException:
    """The first exception of a `wanted` type along the cause/context chain, else `exc` itself."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, wanted):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return exc
