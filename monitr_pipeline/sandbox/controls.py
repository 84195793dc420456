"""Test controls every HTTP emulator shares: injected faults and the log of requests served."""

from __future__ import annotations

from monitr_pipeline.sandbox.exact_online.faults import Fault


class FaultsAndRequestLog:
    """Mixed into an emulator that has `lock`, `faults` (a FaultInjector) and `request_log`."""

    def inject_fault(self, path_pattern: str, status: int, times: int = 1, body: str | None = None,
                     headers: dict[str, str] | None = None) -> None:
        """The next `times` requests whose path+query matches the regex get this response instead."""
        with self.lock:
            self.faults.add(path_pattern, status, times, body, headers)

    def take_fault(self, method: str, path: str, query: str) -> Fault | None:
        """Log a request (query string decoded) and hand back the fault it should get, if any."""
        with self.lock:
            self.request_log.append((method, path, query))
            return self.faults.take(f"{path}?{query}" if query else path)


class DayReplay:
    """Days of bookkeeping replayed in order, never backwards. Mixed into an emulator that has
    `lock`, `_state` (with `day` and `save()`) and `_replayed_books()` (what applies a day)."""

    @property
    def day(self) -> int:
        return self._state.day

    def advance_to_day(self, day: int) -> None:
        """Apply the mutation days up to `day`; a day already reached changes nothing."""
        with self.lock:
            if day < self._state.day:
                raise ValueError(f"the sandbox is at day {self._state.day}; it cannot go back to {day}")
            for next_day in range(self._state.day + 1, day + 1):
                for books in self._replayed_books():
                    books.apply_day(next_day)
                self._state.day = next_day
            self._state.save()
