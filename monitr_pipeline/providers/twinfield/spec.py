"""Twinfield: the offices, dimensions, periods, GL lines and open items we import over SOAP
(API_FACTS.md section 5). Finder calls are declared; browse reads in yearperiod windows are the
adapter's reader (browse_windows)."""

from monitr_pipeline.ingestion.values import WireFormat
from monitr_pipeline.providers.spec import Endpoint, LoadMode, OAuth2Spec, ProviderSpec

NAMESPACE = "http://www.twinfield.com/"
FINDER, PROCESS_XML = "/webservices/finder.asmx", "/webservices/processxml.asmx"
COMPANY = {"CompanyCode": "{external_id}"}  # a browse has no office: the header selects it
_FINDER_PAGE = 100


def _finder(kind: str, **options: str) -> dict:
    return {"type": kind, "pattern": "*", "field": 0, "firstRow": 1, "maxRows": "{page_size}",
            "options": options}


def _dimensions(table: str, *dimtypes: str, description: str, optional: bool = True) -> Endpoint:
    return Endpoint(
        table=table, path=FINDER, method="Search", headers=COMPANY, page_size=_FINDER_PAGE,
        params=_finder("DIM", dimtype=dimtypes[0]),
        variants=tuple({"options": {"dimtype": d}} for d in dimtypes) if len(dimtypes) > 1 else (),
        columns={"Code": "text", "Naam": "text", "dimtype": "text"}, primary_key="Code",
        required=("Naam", "dimtype"), optional=optional, description=description)


# Browse columns, by their short name (the last part of fin.trs.head.* / fin.trs.line.*).
_HEAD = {"office": "text", "yearperiod": "text", "year": "bigint", "period": "bigint",
         "code": "text", "number": "bigint", "line": "bigint", "status": "text", "date": "date",
         "curcode": "text", "modified": "timestamp"}
_OPEN_ITEM = {"id": "text", **{k: _HEAD[k] for k in ("office", "yearperiod", "code", "number",
                                                      "line", "date", "curcode", "modified")},
              "dim1": "text", "dim2": "text", "dim2name": "text", "description": "text",
              "invnumber": "text", "datedue": "date", "valuesigned": "decimal",
              "basevaluesigned": "decimal", "openbasevaluesigned": "decimal",
              "openvaluesigned": "decimal", "matchstatus": "text", "matchdate": "date"}


def _open_items(table: str, browse: str, description: str) -> Endpoint:
    return Endpoint(
        table=table, path=PROCESS_XML, method="ProcessXmlString", headers=COMPANY,
        reader="browse_windows", params={"browse": browse}, columns=_OPEN_ITEM, primary_key="id",
        required=("dim2", "valuesigned", "matchstatus"), optional=True,
        # Every customer/supplier line with its match status: what is open now, and (with the
        # match dates) what was open at any earlier date. All paid is a valid answer.
        guard_deletions=False, description=description)


SPEC = ProviderSpec(
    slug="twinfield",
    name="Twinfield",
    connection_kind="accounting",
    auth_kind="oauth2",
    # The login host; every SOAP call goes to the cluster its token validation names.
    environments={"default": "https://login.twinfield.com"},
    default_environment="default",
    # Browse and finder values are text: '' is null, dates YYYYMMDD, times YYYYMMDDHHMMSS on the
    # office's (Amsterdam) wall clock, amounts with a decimal point.
    wire=WireFormat(zone="Europe/Amsterdam", date_format="%Y%m%d",
                    timestamp_format="%Y%m%d%H%M%S"),
    oauth2=OAuth2Spec(
        authorize_path="/auth/authentication/connect/authorize",
        token_path="/auth/authentication/connect/token",
        scopes=("openid", "twf.user", "twf.organisation", "twf.organisationUser",
                "offline_access"),
    ),
    endpoints=(
        Endpoint(
            table="offices", path=FINDER, method="Search", params=_finder("OFF"),
            only={"Code": "{external_id}"}, columns={"Code": "text", "Naam": "text", "Land": "text"},
            primary_key="Code", description="The office (company) itself: its name and country."),
        Endpoint(
            table="gl_transaction_lines", path=PROCESS_XML, method="ProcessXmlString",
            headers=COMPANY, reader="browse_windows", params={"browse": "030_3"},
            mode=LoadMode.INCREMENTAL, cursor="modified", primary_key="id",
            required=("yearperiod", "date", "dim1", "valuesigned"),
            description="Browse 030_3 lines; valuesigned is signed (debit +). Closed years are "
                        "read once; open periods are read again every import (reversals land "
                        "in them), and the cursor on `modified` keeps only what changed.",
            columns={"id": "text", **_HEAD, "relation": "text", "relationname": "text",
                     "inpdate": "timestamp", "dim1": "text", "dim1name": "text", "dim1type": "text",
                     "dim2": "text", "dim2name": "text", "dim2type": "text", "dim3": "text",
                     "dim3name": "text", "dim3type": "text", "valuesigned": "decimal",
                     "basevaluesigned": "decimal", "debitcredit": "text", "vatcode": "text",
                     "vatbasevaluesigned": "decimal", "description": "text",
                     "invnumber": "text", "datedue": "date"}),
        _dimensions("accounts", "BAS", "PNL", optional=False,
                    description="GL accounts: balance sheet (BAS) and profit and loss (PNL)."),
        _dimensions("cost_centres", "KPL", description="Cost centres (dimension type KPL)."),
        _dimensions("projects", "PRJ", description="Projects (dimension type PRJ)."),
        _dimensions("fixed_assets", "AST", description="Fixed assets (dimension type AST)."),
        Endpoint(
            table="periods", path=FINDER, method="Search", headers=COMPANY,
            params=_finder("PRD"), page_size=_FINDER_PAGE, primary_key="Jaar/periode",
            columns={"Jaar/periode": "text", "Naam": "text", "Begindatum": "date",
                     "Einddatum": "date", "Status": "text"},
            description="Periods per year; period 0 holds the opening balance."),
        _open_items("customer_transactions", "100",
                    "Browse 100: customer lines with open amount, match status and date."),
        _open_items("supplier_transactions", "200",
                    "Browse 200: supplier lines with open amount, match status and date."),
    ),
)
