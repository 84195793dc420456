"""Horus's quirks: an address per installation, its problem-details errors and rate-limit headers,
folders discovered page by page, and book entries and lines read a book year at a time."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import requests

from monitr_pipeline.ingestion.endpoint_request import endpoint_request
from monitr_pipeline.ingestion.run_context import ImportRunContext
from monitr_pipeline.providers.adapter import Administration, ProviderAdapter, ProviderError
from monitr_pipeline.providers.horus.spec import API, PAGE_SIZE, SPEC
from monitr_pipeline.providers.spec import Endpoint

_BOOKYEARS = "horus_bookyears"
_CLOSED = "/closed"
# Titles of the problems that say the login no longer opens the folder (deleted, or the user's
# access to it withdrawn), as opposed to a module the folder does not use.
_FOLDER_GONE = ("Folder not found", "No access to folder")


class HorusAdapter(ProviderAdapter):
    spec = SPEC

    def base_url(self, environment: str | None, override: str | None) -> str:
        if not override:
            raise ValueError("Horus has no single address: every customer's installation has its "
                             "own; the integration must keep it (monitr connect horus --base-url "
                             "https://<installation>)")
        return override.rstrip("/")

    def tenant_base_url(self, base_url: str, external_id: str) -> str:
        return f"{base_url}/"  # endpoint paths carry /api/v1 and the folder

    # --- errors and quotas ----------------------------------------------------------------------
    def error_reason(self, response: requests.Response) -> str:
        return error_reason(response)

    def administration_gone(self, error: ProviderError) -> bool:
        return error.status in (403, 404) and (error.reason or "").startswith(_FOLDER_GONE)

    def seconds_to_wait(self, response: requests.Response) -> float:
        # The installation's window is spent: wait for its reset rather than earn a 429.
        if response.headers.get("X-RateLimit-Remaining") == "0":
            try:
                return max(0.0, float(response.headers.get("X-RateLimit-Reset", "60")))
            except ValueError:
                return 60.0
        return 0.0

    # --- discovery ------------------------------------------------------------------------------
    def discover(self, session: requests.Session, base_url: str) -> list[Administration]:
        """Every folder the login opens on this installation, following the next links."""
        url: str | None = f"{base_url}/{API}/folders"
        params: dict[str, Any] | None = {"page": 1, "pageSize": PAGE_SIZE}
        folders = []
        while url:
            response = session.get(url, params=params, headers=dict(self.default_headers),
                                   timeout=30)
            if response.status_code >= 400:
                reason = error_reason(response)
                raise ProviderError(f"Horus answered {response.status_code} on /folders: {reason}",
                                    status=response.status_code, reason=reason,
                                    response=response)
            body = response.json()
            folders += body["data"]
            url, params = (body.get("links") or {}).get("next"), None
        return [Administration(str(f["id"]), f["name"], f.get("country"), f.get("currency"))
                for f in folders]

    # --- book entries and lines, a book year at a time ------------------------------------------
    def bookyear_windows(self, client: Any, endpoint: Endpoint, read_before: Sequence[str],
                         run: ImportRunContext, hooks: dict[str, Any]) -> list[str]:
        """Every book year not read before and every open one; a year that closed since it was
        last read is read once more (its open window) before its closed window is recorded."""
        done = set(read_before)
        windows = []
        for year in self._bookyears(client, run, hooks):
            key = str(year["id"])
            if not year.get("closed"):
                windows.append(key)
            elif key + _CLOSED not in done:
                # Read while open before: the last changes before the closing are read under
                # the open window (so its lines that went are deleted); the closed window then
                # holds nothing of its own and only marks the year as done.
                windows += [key, key + _CLOSED] if key in done else [key + _CLOSED]
        return windows

    def bookyear_pages(self, client: Any, endpoint: Endpoint, window: str,
                       run: ImportRunContext, hooks: dict[str, Any]) -> Iterator[list[Any]]:
        """One book year's records, whole, page by page."""
        bookyear = window.removesuffix(_CLOSED)
        request = endpoint_request(self.spec, endpoint, run.entity.external_id,
                                   param_overrides={"bookyearId": bookyear})
        for page in self.transport.pages(client, request, hooks, run):
            yield endpoint.records(page) if endpoint.records else page

    def _bookyears(self, client: Any, run: ImportRunContext, hooks: dict[str, Any]) -> list[dict]:
        """The folder's book years, asked once a run (both windowed tables need them)."""
        years = run.provider_state.get(_BOOKYEARS)
        if years is None:
            periods = self.spec.endpoint("periods")
            request = endpoint_request(self.spec, periods, run.entity.external_id)
            years = [year for page in self.transport.pages(client, request, hooks, run)
                     for year in page]
            if not all(isinstance(y, Mapping) and y.get("id") is not None for y in years):
                raise ValueError("a book year without an id")
            run.provider_state[_BOOKYEARS] = years
        return years


def error_reason(response: requests.Response) -> str:
    """Horus's own words: a problem's title and detail, or the token endpoint's error."""
    try:
        body = response.json()
    except ValueError:
        return response.text[:300] or response.reason
    if not isinstance(body, Mapping):
        return response.text[:300]
    if "title" in body or "detail" in body:
        return ": ".join(str(body[k]) for k in ("title", "detail") if body.get(k))
    if "error" in body:
        return ": ".join(str(body[k]) for k in ("error", "error_description") if body.get(k))
    return response.text[:300]
