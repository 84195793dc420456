"""Test controls the HTTP emulators share: injected faults and the log of requests served, days
replayed, OAuth tokens revoked or expired, administrations that disappear and come back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from monitr_sandbox.faults import Fault


class FaultsAndRequestLog:
    """Mixed into an emulator that has `lock`, `faults` (a FaultInjector) and `request_log`."""

    def inject_fault(self, path_pattern: str, status: int | None, times: int = 1,
                     body: str | None = None, headers: dict[str, str] | None = None, *,
                     delay: float = 0.0, edit: Callable[[Any], Any] | None = None,
                     action: Callable[[], None] | None = None) -> None:
        """The next `times` requests whose path+query matches the regex get this response instead
        (status None: their usual answer), `delay` seconds late, with `edit` applied to the JSON
        of the usual answer, and after `action` changed the emulator's data."""
        with self.lock:
            self.faults.add(path_pattern, status, times, body, headers, delay, edit, action)

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


class OAuthTokenControls:
    """What a user or Monitr's tests do to an emulator's OAuth grants. Mixed into an emulator that
    has `lock` and `tokens` (a GrantStore)."""

    def revoke_all_tokens(self) -> None:
        """The user withdrew every consent: refresh and access tokens stop working."""
        with self.lock:
            self.tokens.revoke_all()

    def expire_access_tokens(self) -> None:
        """Every access token is past its lifetime; refresh tokens still work."""
        with self.lock:
            self.tokens.expire_access_tokens()


class AdministrationsThatDisappear:
    """Administrations the login stops seeing (deleted at the provider, or the user's access to
    them withdrawn) and that may come back. Mixed into an emulator that has `lock`, `_state` and
    `_administration_ids()` (every administration it knows, visible or not); ids are strings."""

    def remove_administration(self, external_id: str | int) -> None:
        with self.lock:
            external_id = self._known_administration(external_id)
            removed = self._removed_administrations()
            if external_id not in removed:
                removed.append(external_id)
                self._administration_removed(external_id)
                self._state.save()

    def restore_administration(self, external_id: str | int) -> None:
        with self.lock:
            external_id = self._known_administration(external_id)
            removed = self._removed_administrations()
            if external_id in removed:
                removed.remove(external_id)
                self._administration_restored(external_id)
                self._state.save()

    def administration_visible(self, external_id: str | int) -> bool:
        with self.lock:
            return (str(external_id) in self._administration_ids()
                    and str(external_id) not in self._removed_administrations())

    # What an emulator does besides hiding the administration (Xero drops its connections).
    def _administration_removed(self, external_id: str) -> None:
        pass

    def _administration_restored(self, external_id: str) -> None:
        pass

    def _removed_administrations(self) -> list[str]:
        return self._state.data.setdefault("removed_administrations", [])

    def _known_administration(self, external_id: str | int) -> str:
        if str(external_id) not in self._administration_ids():
            raise KeyError(f"no administration {external_id} in the {type(self).__name__}")
        return str(external_id)
