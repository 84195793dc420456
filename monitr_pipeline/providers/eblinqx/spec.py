"""eBlinqx Fiscaal (FinteQX Accounting Package API): the lists we import per company and their
fields (API_FACTS.md section 16; sources and assumptions in __init__.py).

No change feed is documented: both lists are SNAPSHOTs, read whole every import; a year's annual
accounts removed in eBlinqx are deleted here, and re-imports replace rows by their ids."""

from __future__ import annotations

from monitr_pipeline.providers.spec import Endpoint, ProviderSpec

COMPANY = "companies/{external_id}"
# Every call carries it (the article's example request); error messages come in Dutch.
LANGUAGE = "nl-NL"

ANNUAL_ACCOUNT_COLUMNS = {
    "id": "text", "companyId": "text", "fiscalYear": "bigint",
    "periodStart": "date", "periodEnd": "date",
    # concept -> definitief (adopted) -> gedeponeerd (filed at the KvK)
    "status": "text",
    "balanceSheetTotal": "decimal", "equity": "decimal", "revenue": "decimal",
    "resultBeforeTax": "decimal", "resultAfterTax": "decimal",
    "preparedDate": "date", "adoptionDate": "date", "filingDate": "date",
    "modifiedAt": "timestamp",
}

SPEC = ProviderSpec(
    slug="eblinqx",
    name="eBlinqx Fiscaal",
    connection_kind="annual_accounts",
    auth_kind="api_key",
    environments={"default": "https://api.finteqx.nl"},
    default_environment="default",
    # Plain JSON arrays, unpaged (as the company list is documented).
    data_selector="$",
    headers={"Accept-Language": LANGUAGE},
    endpoints=(
        Endpoint(
            table="annual_accounts", path=f"{COMPANY}/annual-accounts", primary_key="id",
            columns=ANNUAL_ACCOUNT_COLUMNS,
            required=("fiscalYear", "periodStart", "periodEnd", "status"),
            description="The company's annual accounts, one per fiscal year: balance-sheet total, "
                        "equity, revenue and result, status (concept, definitief, gedeponeerd) "
                        "and the dates each was reached."),
        Endpoint(
            table="companies", path="companies", primary_key="id",
            only={"id": "{external_id}"},
            columns={"id": "text", "name": "text", "chamberOfCommerceNumber": "text",
                     "legalFormApplyForAnnualAccount": "bool", "monitrClientId": "text"},
            required=("name",),
            # Read last: a company no longer linked to the account answers 404 on its own
            # annual accounts first (the administration is gone) rather than vanishing from
            # this list (a refused snapshot deletion).
            description="The company (administration) itself, from the account's company list: "
                        "KvK number, whether its legal form must file annual accounts, and the "
                        "Monitr entity it is linked to (monitrClientId)."),
    ),
)
