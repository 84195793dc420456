"""Teamleader Focus's quirks: departments as the administrations of one account's token, the
X-RateLimit-* headers of its sliding minute, its {"errors": [...]} bodies, and the lists no
single declared request reads (a department, phases per pipeline, time per project)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import requests
from dlt.sources.helpers.rest_client import RESTClient

from monitr_pipeline.ingestion.run_context import ImportRunContext
from monitr_pipeline.providers.adapter import Administration, ProviderAdapter, ProviderError
from monitr_pipeline.providers.spec import Endpoint
from monitr_pipeline.providers.teamleader import wire
from monitr_pipeline.providers.teamleader.spec import PAGE_SIZE, SPEC, PageBodyPaginator

# Runs whose department's projects are kept (imports of one process at a time, a few at most).
_RUNS_REMEMBERED = 16
# Longest pause for a spent minute: the sliding window is a minute long.
_MAX_WAIT_SECONDS = 60.0


class TeamleaderAdapter(ProviderAdapter):
    spec = SPEC

    def __init__(self) -> None:
        self._projects_by_run: dict[int, tuple[ImportRunContext, set[str]]] = {}

    def tenant_base_url(self, base_url: str, external_id: str) -> str:
        # One token reaches one account; a department is a filter, never a path or header.
        return f"{base_url}/"

    # --- rate limit: 200 calls in any sliding minute ---------------------------------------------
    def seconds_to_wait(self, response: requests.Response) -> float:
        if response.headers.get("X-RateLimit-Remaining", "").strip() != "0":
            return 0.0
        return _until_reset(response)

    def retry_wait(self, response: requests.Response) -> float | None:
        # A 429 says when the oldest call counted leaves the window (X-RateLimit-Reset).
        return _until_reset(response) if response.status_code == 429 else None

    # --- errors ----------------------------------------------------------------------------------
    def error_reason(self, response: requests.Response) -> str:
        try:
            body = response.json()
        except ValueError:
            return response.text[:300] or response.reason
        errors = body.get("errors") if isinstance(body, dict) else None
        if isinstance(errors, list) and errors:
            titles = [str(e.get("title") or e.get("detail") or e)
                      for e in errors if isinstance(e, dict)]
            return "; ".join(titles)[:300] or str(errors)[:300]
        if isinstance(body, dict) and body.get("error"):  # the token endpoint's (RFC 6749)
            return str(body.get("error_description") or body["error"])[:300]
        return response.text[:300]

    def administration_gone(self, error: ProviderError) -> bool:
        # departments.info of a department the account no longer has: 404.
        return error.status == 404 and "department" in (error.reason or "").lower()

    # --- discovery -------------------------------------------------------------------------------
    def discover(self, session: requests.Session, base_url: str) -> list[Administration]:
        """The token's account (users.me) and its departments (departments.list): each
        department is a company entity, an administration of its own."""
        me = _answer(self, session.post(f"{base_url}/users.me", json={}, timeout=30),
                     "users.me")
        if not isinstance(me.get("data"), dict) or not (me["data"].get("account") or {}).get("id"):
            raise ValueError("Teamleader's users.me names no account")
        answer = _answer(self, session.post(f"{base_url}/departments.list",
                                            json={"sort": [{"field": "name"}]}, timeout=30),
                         "departments.list")
        departments = answer.get("data")
        if not isinstance(departments, list):
            raise ValueError("Teamleader's departments.list answer has no data list")
        return [Administration(str(d["id"]), str(d.get("name") or d["id"]), None,
                               d.get("currency")) for d in departments]

    # --- readers ---------------------------------------------------------------------------------
    def department(self, client: RESTClient, endpoint: Endpoint, cursor_value: Any,
                   run: ImportRunContext, hooks: dict[str, Any]) -> Iterator[list[Any]]:
        """The entity's department, with Teamleader's clock when it was read."""
        response = client.request(endpoint.path, method="POST",
                                  json={"id": run.entity.external_id}, hooks=hooks)
        body = _json(response, endpoint.path)
        if not isinstance(body.get("data"), dict):
            raise ValueError("the departments.info answer has no data object")
        yield [{**body["data"], "read_at": _server_time(response)}]

    def deal_phases(self, client: RESTClient, endpoint: Endpoint, cursor_value: Any,
                    run: ImportRunContext, hooks: dict[str, Any]) -> Iterator[list[Any]]:
        """The phases of each pipeline (dealPhases.list filtered by deal_pipeline_id, in flow
        order), each with its pipeline's id and name."""
        pipelines = [p for page in self._pages(client, "dealPipelines.list", {}, hooks)
                     for p in page]
        for pipeline in pipelines:
            if not isinstance(pipeline, dict) or not pipeline.get("id"):
                raise ValueError(f"a deal pipeline without id: {pipeline!r:.80}")
            order = 0
            for page in self._pages(client, endpoint.path,
                                    {"filter": {"deal_pipeline_id": pipeline["id"]}}, hooks):
                rows = []
                for phase in page:
                    if not isinstance(phase, dict):
                        raise ValueError(f"a deal phase is not an object: {phase!r:.80}")
                    order += 1
                    rows.append({**phase, "pipeline_id": pipeline["id"],
                                 "pipeline_name": pipeline.get("name"), "phase_order": order})
                yield rows

    def time_tracking(self, client: RESTClient, endpoint: Endpoint, cursor_value: Any,
                      run: ImportRunContext, hooks: dict[str, Any]) -> Iterator[list[Any]]:
        """Time tracked on the department's projects: the account's time entries with what
        they relate to (includes=relates_to), kept where that is a project of the department
        (time entries name no department)."""
        projects = self._department_projects(client, run, hooks)
        body = {"includes": "relates_to", "sort": [{"field": "starts_on", "order": "asc"}]}
        for page in self._pages(client, endpoint.path, body, hooks):
            yield [{**entry, "project_id": project} for entry in _objects(page, "time entry")
                   if (project := wire.related_project(entry)) in projects]

    def materials(self, client: RESTClient, endpoint: Endpoint, cursor_value: Any,
                  run: ImportRunContext, hooks: dict[str, Any]) -> Iterator[list[Any]]:
        """Materials of the department's projects (materials.list filters on ids only)."""
        projects = self._department_projects(client, run, hooks)
        for page in self._pages(client, endpoint.path, {}, hooks):
            yield [{**used, "project_id": (used.get("project") or {}).get("id")}
                   for used in _objects(page, "material")
                   if (used.get("project") or {}).get("id") in projects]

    def _department_projects(self, client: RESTClient, run: ImportRunContext,
                             hooks: dict[str, Any]) -> set[str]:
        """The ids of the department's projects (projects-v2 names it as company_entity), read
        once a run: time and materials both need them."""
        known = self._projects_by_run.get(id(run))
        if known is not None and known[0] is run:
            return known[1]
        own = run.entity.external_id
        projects = {str(p.get("id")) for page in self._pages(
            client, "projects-v2/projects.list", {}, hooks)
            for p in wire.with_company_entity(page) if p.get("department_id") == own}
        # Kept for the runs under way only (a recycled id is told apart by the run itself).
        while len(self._projects_by_run) >= _RUNS_REMEMBERED:
            self._projects_by_run.pop(next(iter(self._projects_by_run)))
        self._projects_by_run[id(run)] = (run, projects)
        return projects

    def _pages(self, client: RESTClient, path: str, body: dict[str, Any],
               hooks: dict[str, Any]) -> Iterator[list[Any]]:
        yield from (list(page) for page in client.paginate(
            path, method="POST", json=dict(body), paginator=PageBodyPaginator(PAGE_SIZE),
            data_selector="data", hooks=hooks))


def _objects(page: list[Any], what: str) -> list[dict[str, Any]]:
    for item in page:
        if not isinstance(item, dict):
            raise ValueError(f"a {what} is not an object: {item!r:.80}")
    return page


def _until_reset(response: requests.Response) -> float:
    reset = response.headers.get("X-RateLimit-Reset", "").strip()
    try:
        moment = datetime.fromisoformat(reset)
    except ValueError:
        return _MAX_WAIT_SECONDS if response.status_code == 429 else 1.0
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return min(max((moment - datetime.now(UTC)).total_seconds(), 0.0) + 0.05, _MAX_WAIT_SECONDS)


def _server_time(response: requests.Response) -> int:
    date = response.headers.get("Date")
    try:
        return int(parsedate_to_datetime(date).timestamp()) if date else int(
            datetime.now(UTC).timestamp())
    except (TypeError, ValueError):
        return int(datetime.now(UTC).timestamp())


def _json(response: requests.Response, what: str) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        raise ValueError(f"the {what} answer is not JSON") from None
    if not isinstance(body, dict):
        raise ValueError(f"the {what} answer is not a JSON object")
    return body


def _answer(adapter: ProviderAdapter, response: requests.Response, what: str) -> dict[str, Any]:
    if response.status_code >= 400:
        reason = adapter.error_reason(response)
        raise ProviderError(f"Teamleader Focus answered {response.status_code} on {what}: "
                            f"{reason}", status=response.status_code, reason=reason,
                            response=response)
    return _json(response, what)
