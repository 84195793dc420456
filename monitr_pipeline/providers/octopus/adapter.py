"""Octopus's quirks: a dossier token beside the OAuth token, its error body, the dossier as
found in the login's list, book years as the windows of the bookings, and the `/modified`
endpoints that answer 404 when nothing changed."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any

import requests

from monitr_pipeline.ingestion.http import provider_session
from monitr_pipeline.ingestion.run_context import ImportRunContext
from monitr_pipeline.providers.adapter import Administration, ProviderAdapter, ProviderError
from monitr_pipeline.providers.octopus.auth import DossierAuth, LoginAuth
from monitr_pipeline.providers.octopus.spec import API_ROOT, EPOCH, SPEC, modified_timestamp
from monitr_pipeline.providers.spec import Endpoint

_BOOKYEARS = "octopus_bookyears"
# The next `/modified` read starts this long before the answer's time: a change saved while the
# answer was being written is read again next time rather than missed (rows merge by key).
CURSOR_MARGIN = timedelta(minutes=5)


class OctopusAdapter(ProviderAdapter):
    spec = SPEC

    def tenant_base_url(self, base_url: str, external_id: str) -> str:
        return f"{base_url}{API_ROOT}/dossiers/{external_id}"

    def entity_auth(self, auth: requests.auth.AuthBase, base_url: str, external_id: str
                    ) -> requests.auth.AuthBase:
        return DossierAuth(auth, f"{base_url}{API_ROOT}", external_id,
                           provider_session(self, f"dossier {external_id}", max_attempts=3),
                           self.error_reason)

    # --- errors ---------------------------------------------------------------------------------
    def error_reason(self, response: requests.Response) -> str:
        try:
            body = response.json()
        except ValueError:
            return response.text[:300]
        if isinstance(body, dict):
            reason = body.get("errorMessage") or body.get("technicalInfo") or body.get("error")
            if reason:
                return str(reason)
        return response.text[:300]

    def administration_gone(self, error: ProviderError) -> bool:
        return error.status == 403 and "dossier" in (error.reason or "").lower()

    # --- discovery ------------------------------------------------------------------------------
    def discover(self, session: requests.Session, base_url: str) -> list[Administration]:
        found = []
        for dossier in self._dossiers(session, base_url):
            key = str(dossier["dossierKey"]["id"])
            found.append(Administration(key, dossier.get("name") or key,
                                        dossier.get("countryCode") or "BE",
                                        dossier.get("currencyCode") or "EUR"))
        return found

    def _dossiers(self, session: requests.Session, base_url: str) -> list[dict[str, Any]]:
        integration = session.auth
        session.auth = LoginAuth(integration)
        try:
            answer = session.get(f"{base_url}{API_ROOT}/dossiers")
        finally:
            session.auth = integration
        if answer.status_code >= 400:
            reason = self.error_reason(answer)
            raise ProviderError(f"Octopus refused the list of dossiers ({answer.status_code}): "
                                f"{reason}", status=answer.status_code, reason=reason,
                                response=answer)
        dossiers = answer.json()
        if not isinstance(dossiers, list):
            raise ValueError("the list of dossiers is not a list")
        return dossiers

    # --- readers --------------------------------------------------------------------------------
    def dossier(self, client: Any, endpoint: Endpoint, cursor_value: Any,
                run: ImportRunContext, hooks: dict[str, Any]) -> Iterator[list[dict]]:
        """The dossier's own row, from the login's list (asked with the access token)."""
        dossier_id = run.entity.external_id
        answer = client.session.get(f"{_api_url(client)}/dossiers",
                                    auth=LoginAuth(client.auth.integration), hooks=hooks)
        yield [{"dossierId": str(d["dossierKey"]["id"]), "name": d.get("name"),
                "countryCode": d.get("countryCode"), "currencyCode": d.get("currencyCode")}
               for d in _list(answer) if str(d.get("dossierKey", {}).get("id")) == dossier_id]

    def bookyear_periods(self, client: Any, endpoint: Endpoint, cursor_value: Any,
                         run: ImportRunContext, hooks: dict[str, Any]) -> Iterator[list[dict]]:
        rows = []
        for year in self._bookyears(client, run, hooks):
            for period in year.get("periods") or []:
                rows.append({
                    "id": f"{year['bookyearKey']['id']}/{period.get('bookyearPeriod')}",
                    "bookyearId": year["bookyearKey"]["id"],
                    "bookyearDescription": year.get("bookyearDescription"),
                    "bookyearStartDate": year.get("startDate"),
                    "bookyearEndDate": year.get("endDate"),
                    "closed": year.get("closed"), "bookyearPeriod": period.get("bookyearPeriod"),
                    "startDate": period.get("startDate"), "endDate": period.get("endDate")})
        yield rows

    def _bookyears(self, client: Any, run: ImportRunContext, hooks: dict[str, Any]
                   ) -> list[dict[str, Any]]:
        """The dossier's book years, asked once a run (the periods and the windows need them)."""
        if _BOOKYEARS not in run.provider_state:
            years = _list(client.session.get(f"{client.base_url}/bookyears", auth=client.auth,
                                             hooks=hooks))
            for year in years:
                if not isinstance(year, dict) or not isinstance(year.get("bookyearKey"), dict):
                    raise ValueError(f"a book year without bookyearKey: {year!r}"[:200])
            run.provider_state[_BOOKYEARS] = years
        return run.provider_state[_BOOKYEARS]

    def modified(self, client: Any, endpoint: Endpoint, cursor_value: Any,
                 run: ImportRunContext, hooks: dict[str, Any]) -> Iterator[list[dict]]:
        """What changed since the cursor (`/modified?modifiedTimeStamp=`): a 404 is 'nothing
        changed', an empty page. Each record is stamped with the answer's time (less a margin),
        which becomes the next import's modifiedTimeStamp."""
        since = modified_timestamp(cursor_value if cursor_value is not None else EPOCH)
        answer = client.session.get(f"{client.base_url}/{endpoint.path}", auth=client.auth,
                                    params={"modifiedTimeStamp": since},
                                    hooks=_not_found_is_ok(hooks))
        if answer.status_code == 404:
            return
        stamp = _answered_at(answer) - CURSOR_MARGIN
        records = [{**record, endpoint.cursor: stamp} if isinstance(record, dict) else record
                   for record in _list(answer)]
        yield endpoint.records(records) if endpoint.records else records

    # --- bookings, a book year at a time ----------------------------------------------------------
    def bookyear_windows(self, client: Any, endpoint: Endpoint, read_before: Sequence[str],
                         run: ImportRunContext, hooks: dict[str, Any]) -> list[str]:
        """Book years not read yet, and every open one (changes and deletions land there; a
        closed year cannot change until it is reopened, when it is read again)."""
        done = set(read_before)
        return [str(year["bookyearKey"]["id"]) for year in self._bookyears(client, run, hooks)
                if str(year["bookyearKey"]["id"]) not in done or not year.get("closed")]

    def bookyear_bookings(self, client: Any, endpoint: Endpoint, window: str,
                          run: ImportRunContext, hooks: dict[str, Any]) -> Iterator[list[dict]]:
        """Every booking of one book year (modified since long before any booking: the whole
        year, one call), one row per line."""
        path = endpoint.path.format(bookyear=window)
        answer = client.session.get(f"{client.base_url}/{path}", auth=client.auth,
                                    params={"modifiedTimeStamp": EPOCH, "journalTypeId": -1},
                                    hooks=_not_found_is_ok(hooks))
        if answer.status_code == 404:  # a book year without bookings
            yield []
            return
        yield [line for booking in _list(answer) for line in booking_lines(booking)]


def booking_lines(booking: Any) -> list[dict[str, Any]]:
    """A booking's rows: its header on each; a purchase or sales document's relation line first
    (lineNr 0: the collective account and the document total)."""
    if not isinstance(booking, dict):
        raise ValueError(f"a booking that is not an object: {booking!r}"[:200])
    bookyear = (booking.get("bookyearKey") or {}).get("id")
    header = {
        "bookyearId": bookyear, "journalKey": booking.get("journalKey"),
        "journalTypeId": booking.get("journalTypeId"),
        "documentSequenceNr": booking.get("documentSequenceNr"),
        "bookyearPeriodeNr": booking.get("bookyearPeriodeNr"),
        "documentDate": booking.get("documentDate"), "expiryDate": booking.get("expiryDate"),
        "comment": booking.get("comment"), "reference": booking.get("reference"),
        "relationId": (booking.get("relationKey") or {}).get("id"),
        "currencyCode": booking.get("currencyCode"), "exchangeRate": booking.get("exchangeRate"),
        "documentAmount": booking.get("amount"),
        "modifiedTimeStamp": booking.get("modifiedTimeStamp"),
    }
    key = f"{bookyear}/{booking.get('journalKey')}/{booking.get('documentSequenceNr')}"
    lines = []
    if booking.get("accountKey") is not None:  # purchase/sales: the relation's line
        lines.append({**header, "id": f"{key}/0", "lineNr": 0,
                      "accountKey": booking["accountKey"], "amount": booking.get("amount"),
                      "lineRelationId": header["relationId"]})
    for line in booking.get("bookingLines") or []:
        if not isinstance(line, dict):
            raise ValueError(f"booking {key}: a line that is not an object: {line!r}"[:200])
        lines.append({**header, "id": f"{key}/{line.get('lineNr')}", "lineNr": line.get("lineNr"),
                      "accountKey": line.get("accountKey"), "amount": line.get("amount"),
                      "baseAmount": line.get("baseAmount"), "vatAmount": line.get("vatAmount"),
                      "vatCodeKey": line.get("vatCodeKey"), "lineComment": line.get("comment"),
                      "lineRelationId": (line.get("relationKey") or {}).get("id"),
                      "costCentreId": (line.get("costCentreKey") or {}).get("id")})
    return lines


def _api_url(client: Any) -> str:
    return client.base_url.rsplit("/dossiers/", 1)[0]


def _list(answer: requests.Response) -> list[Any]:
    body = answer.json()
    if not isinstance(body, list):
        raise ValueError(f"the answer is not a list: {str(body)[:120]}")
    return body


def _answered_at(answer: requests.Response) -> datetime:
    """When Octopus answered (its Date header), so its own clock decides the next start."""
    try:
        return parsedate_to_datetime(answer.headers["Date"]).astimezone(UTC)
    except (KeyError, TypeError, ValueError):
        return datetime.now(UTC)


def _not_found_is_ok(hooks: dict[str, Any]) -> dict[str, Any]:
    """The engine's response hooks, except that a 404 (nothing modified) is no error."""

    def unless_not_found(hook):
        def checked(response: requests.Response, *args: Any, **kwargs: Any):
            return response if response.status_code == 404 else hook(response, *args, **kwargs)
        return checked

    return {event: [unless_not_found(hook) for hook in event_hooks]
            for event, event_hooks in hooks.items()}
