"""Horus: the folder resources we import and the fields we keep (API_FACTS.md section 9; the
paths, paging and shapes are assumptions listed in the package docstring)."""

from dlt.sources.helpers.rest_client.paginators import JSONLinkPaginator, SinglePagePaginator

from monitr_pipeline.ingestion.values import WireFormat
from monitr_pipeline.providers.horus import wire
from monitr_pipeline.providers.spec import Endpoint, LoadMode, OAuth2Spec, ProviderSpec

API = "api/v1"
FOLDER = f"{API}/folders/{{external_id}}"
PAGE_SIZE = 100
LINES_PER_PAGE = 500  # the largest pageSize Horus is assumed to accept

_THIRD_PARTY = {"thirdPartyCode": "text", "thirdPartyName": "text"}
_ANALYTICS = {f"analytic{slot}{part}": "text"
              for slot in range(1, wire.ANALYTIC_SLOTS + 1) for part in ("Plan", "Code")}


def next_link(endpoint: Endpoint) -> JSONLinkPaginator:
    return JSONLinkPaginator(next_url_path="links.next")


def single_page(endpoint: Endpoint) -> SinglePagePaginator:
    return SinglePagePaginator()


def _by_bookyear(table: str, resource: str, records, columns: dict[str, str],
                 required: tuple[str, ...], description: str) -> Endpoint:
    return Endpoint(
        table=table, path=f"{FOLDER}/{resource}", mode=LoadMode.WINDOWED,
        windows="bookyear_windows", reader="bookyear_pages", records=records,
        page_size=LINES_PER_PAGE, primary_key="id", columns=columns, required=required,
        description=description)


SPEC = ProviderSpec(
    slug="horus",
    name="Horus",
    connection_kind="accounting",
    auth_kind="oauth2",
    # No single host: every customer's installation has its own address, kept with the
    # integration (monitr connect horus --base-url ...).
    environments={},
    wire=WireFormat(zone="Europe/Brussels"),
    oauth2=OAuth2Spec(authorize_path="/oauth2/authorize", token_path="/oauth2/token"),
    paginator=next_link,
    data_selector="data",
    params={"page": 1, "pageSize": "{page_size}"},
    endpoints=(
        Endpoint(
            # The one folder (an object, not a page): a fiduciary's list of hundreds is not
            # read for each of them.
            table="folders", path=FOLDER, data_selector="$", paginator=single_page,
            params={"page": None, "pageSize": None}, primary_key="id", required=("name",),
            description="The folder (administration) itself: its name, company number, country "
                        "and currency.",
            columns={"id": "bigint", "code": "text", "name": "text", "legalName": "text",
                     "companyNumber": "text", "vatNumber": "text", "country": "text",
                     "currency": "text", "analytics": "bool", "createdAt": "timestamp",
                     "modifiedAt": "timestamp"}),
        Endpoint(
            table="periods", path=f"{FOLDER}/bookyears", records=wire.periods, primary_key="id",
            page_size=PAGE_SIZE, required=("bookyearId", "number", "startDate", "endDate"),
            description="The periods of every book year (0 holds the opening entries), with "
                        "their year's dates and whether it is closed.",
            columns={"id": "text", "bookyearId": "bigint", "bookyearName": "text",
                     "bookyearStartDate": "date", "bookyearEndDate": "date", "closed": "bool",
                     "number": "bigint", "startDate": "date", "endDate": "date"}),
        Endpoint(
            table="accounts", path=f"{FOLDER}/accounts", primary_key="id", page_size=PAGE_SIZE,
            required=("number", "type"),
            description="The general accounts (BE PCMN): type balanceSheet or profitAndLoss, "
                        "nature debit or credit.",
            columns={"id": "bigint", "number": "text", "name": "text", "type": "text",
                     "nature": "text", "class": "bigint", "isActive": "bool",
                     "modifiedAt": "timestamp"}),
        Endpoint(
            table="analytic_accounts", path=f"{FOLDER}/analyticaccounts", primary_key="id",
            page_size=PAGE_SIZE, required=("planCode", "planType", "code"),
            # A folder that keeps no analytical accounts answers 403: skipped, the rest loads.
            optional=True,
            description="Analytical accounts by plan (planType costCentre, costUnit, project), "
                        "which GL lines refer to by plan and code.",
            columns={"id": "text", "planCode": "text", "planName": "text", "planType": "text",
                     "code": "text", "name": "text", "isActive": "bool",
                     "modifiedAt": "timestamp"}),
        _by_bookyear(
            "book_entries", "bookentries", wire.book_entries,
            columns={"id": "text", "bookyearId": "bigint", "period": "bigint",
                     "journalCode": "text", "journalName": "text", "journalType": "text",
                     "number": "bigint", "date": "date", "description": "text",
                     **_THIRD_PARTY, "documentReference": "text", "dueDate": "date",
                     "currency": "text", "modifiedAt": "timestamp"},
            required=("bookyearId", "period", "journalCode", "journalType", "date"),
            description="Book entries (journal entries) by book year; journalType opening marks "
                        "the year's opening entries."),
        _by_bookyear(
            "account_histories", "accounthistories", wire.account_histories,
            columns={"id": "text", "bookEntryId": "text", "lineNumber": "bigint",
                     "bookyearId": "bigint", "period": "bigint", "date": "date",
                     "journalCode": "text", "entryNumber": "bigint", "accountId": "bigint",
                     "accountNumber": "text", "description": "text", "debit": "decimal",
                     "credit": "decimal", "currency": "text", "amountCurrency": "decimal",
                     "vatCode": "text", "vatAmount": "decimal", **_THIRD_PARTY, **_ANALYTICS,
                     "dueDate": "date", "modifiedAt": "timestamp"},
            required=("bookEntryId", "bookyearId", "period", "date", "accountNumber", "debit",
                      "credit"),
            description="GL lines (account histories) by book year: debit and credit both "
                        "positive, base currency; analytical accounts in slots by plan."),
    ),
)
