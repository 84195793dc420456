"""Nmbrs: the lists we import per company and the fields we keep (API_FACTS.md section 15;
sources and assumptions in __init__.py). No personal details are declared, so none are loaded:
an employee is its id and type only. Salaries are `sensitive`: never printed."""

from __future__ import annotations

from dlt.sources.helpers.rest_client.paginators import PageNumberPaginator

from monitr_pipeline.providers.nmbrs import wire
from monitr_pipeline.providers.spec import Endpoint, OAuth2Spec, ProviderSpec

IDENTITY = "https://identityservice.nmbrs.com"
COMPANY = "companies/{external_id}"
PAGE_SIZE = 100  # the largest pageSize assumed accepted


def numbered_pages(endpoint: Endpoint) -> PageNumberPaginator:
    """pageNumber (1-based) and pageSize; {"data", "pagination": {"totalPages", ...}}."""
    return PageNumberPaginator(base_page=1, page_param="pageNumber",
                               total_path="pagination.totalPages")


def _history(table: str, resource: str, key: str, columns: dict[str, str],
             required: tuple[str, ...], description: str, **extra) -> Endpoint:
    """A company-wide history list, read whole every import (no change feed): rows gone from
    it were deleted at Nmbrs and are deleted here."""
    return Endpoint(
        table=table, path=f"{COMPANY}/employees/{resource}", primary_key=key,
        records=extra.pop("records", wire.history(resource)),
        columns={key: "text", "employeeId": "text", **columns},
        required=("employeeId", *required), page_size=PAGE_SIZE, description=description,
        **extra)


SPEC = ProviderSpec(
    slug="nmbrs",
    name="Nmbrs",
    connection_kind="payroll",
    auth_kind="oauth2",
    environments={"default": "https://api.nmbrsapp.com"},
    default_environment="default",
    oauth2=OAuth2Spec(
        authorize_path="/connect/authorize", token_path="/connect/token",
        authorize_base_url=IDENTITY, token_base_url=IDENTITY,
        scopes=("offline_access", "openid", "company.info.read", "employee.info.read",
                "employee.employment.read", "employee.payment.read"),
        app_headers={"X-Subscription-Key": "subscription_key"}),
    paginator=numbered_pages,
    data_selector="data",
    params={"pageNumber": 1, "pageSize": "{page_size}"},
    endpoints=(
        Endpoint(
            table="employees", path=f"{COMPANY}/employees", primary_key="employeeId",
            page_size=PAGE_SIZE, columns={"employeeId": "text",
                                          "employeeBasicInfo.employeeType": "text"},
            description="The company's employees: id and type only (names, initials, birth "
                        "dates, addresses and employee numbers are not loaded)."),
        _history("employments", "employments", "employmentId",
                 {"startDate": "date", "endDate": "date", "seniorityDate": "date",
                  "changedDate": "timestamp"}, ("startDate",),
                 "Employments over time (a re-hire is a second employment); endDate empty "
                 "while in service."),
        _history("contracts", "contracts", "contractId",
                 {"startDate": "date", "endDate": "date", "indefinite": "bool",
                  "hoursPerWeek": "decimal", "createdAt": "timestamp"}, ("startDate",),
                 "Contracts over time with their hours a week."),
        _history("schedules", "schedules", "scheduleId",
                 {"startDate": "date", "parttimePercentage": "decimal",
                  "hoursPerWeek": "decimal", "daysPerWeek": "decimal",
                  "createdAt": "timestamp"}, ("startDate", "parttimePercentage"),
                 "Working schedules over time: part-time percentage (FTE x 100) and hours a "
                 "week, each from its startDate."),
        _history("salaries", "salaries", "salaryId",
                 {"startDate": "date", "type": "text", "value": "decimal",
                  "createdAt": "timestamp"}, ("startDate", "type", "value"),
                 "Salaries over time, each from its startDate: type monthly (gross a month) "
                 "or hourly (gross an hour). Sensitive: values are never logged.",
                 sensitive=("value",)),
        _history("departments", "departments", "departmentRecordKey",
                 {"departmentId": "text", "code": "text", "description": "text",
                  "createdAt": "timestamp", "period.year": "bigint",
                  "period.period": "bigint"}, ("code", "period.year", "period.period"),
                 "Departments over time: each applies from its payroll period {year, period} "
                 "(monthly periods) on. Keyed by employee and period.",
                 records=wire.department_rows),
        Endpoint(
            table="companies", path="companies", primary_key="companyId",
            only={"companyId": "{external_id}"}, page_size=PAGE_SIZE,
            columns={"companyId": "text", "number": "bigint", "name": "text",
                     "debtorId": "text"},
            required=("name",),
            # Read last: a company the login no longer sees answers 403 on its own lists first
            # (the administration is gone), rather than vanishing from this list (a refused
            # snapshot deletion).
            description="The company (administration) itself, from the login's company list."),
    ),
)
