"""Which fiscal years one import reads, within its share of the daily call budget.

The open years (this one and the last: bookings and corrections still land there) are read every
import. Closed years not read before follow, newest first, as far as the calls they are expected
to cost fit what the import has left: a year is expected to cost the calls it took when it was
last read, a year never read as many as the costliest year known. While nothing is known (the
first import) one closed year is read besides the open ones; later imports add up to
`new_years` at a time. An administration with many years is so read in full over a few imports,
none of which runs out of its share halfway (which would load nothing and teach nothing).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def plan_years(years: Sequence[int], this_year: int, read_before: Sequence[str],
               calls_known: Mapping[str, int], calls_left: int, new_years: int) -> list[str]:
    names = [str(year) for year in years]
    open_years = [y for y in names if int(y) >= this_year - 1]
    unread = [y for y in reversed(names) if y not in read_before and y not in open_years]
    costliest = max(calls_known.values(), default=None)

    def cost(year: str) -> int:
        return calls_known.get(year, costliest or 1)

    spend = sum(cost(year) for year in open_years)
    chosen: list[str] = []
    for year in unread[:new_years]:
        if (costliest is None and chosen) or spend + cost(year) > calls_left:
            break
        chosen.append(year)
        spend += cost(year)
    return sorted(open_years + chosen)
