"""CSV import: the tables an upload folder feeds (templates in docs/csv_templates.md).

Each endpoint's `path` is the file-name pattern of its table in an administration folder. Every
table is a SNAPSHOT: the files are the whole truth each time, so a corrected file's rows are
updated and a removed file's (or row's) are deleted; a file that empties (a header-only export)
or mostly empties is refused until the deletions are confirmed. `administration` is the folder
name and `source_file` the file a row came from.
"""

from monitr_pipeline.providers.spec import Endpoint, LoadMode, ProviderSpec

_PAGE = 1000  # rows per page handed to dlt; files are read whole anyway
_ORIGIN = {"administration": "text", "source_file": "text"}

SPEC = ProviderSpec(
    slug="csv_import",
    name="CSV import",
    connection_kind="accounting",
    auth_kind="file_upload",
    # No service: the integration's base_url is its upload folder.
    environments={},
    endpoints=(
        Endpoint(
            table="gl_lines",
            path="gl_lines*.csv",
            mode=LoadMode.SNAPSHOT,
            guard_deletions_by="source_file",
            primary_key="id",
            page_size=_PAGE,
            description="GL lines; amount signed (debit +, credit -) in the reporting currency.",
            columns={
                "id": "text", "entry_id": "text", "line_id": "text", "journal": "text",
                "journal_name": "text", "entry_number": "text", "line_number": "bigint",
                "date": "date", "fiscal_year": "bigint", "fiscal_period": "bigint",
                "account_code": "text", "account_name": "text", "description": "text",
                "amount": "decimal", "currency": "text", "transaction_amount": "decimal",
                "transaction_currency": "text", "vat_code": "text", "vat_amount": "decimal",
                "cost_centre": "text", "cost_unit": "text", "project_code": "text",
                "relation_code": "text", "relation_name": "text", "invoice_number": "text",
                "due_date": "date", "entry_type": "text", **_ORIGIN,
            },
        ),
        Endpoint(
            table="accounts",
            path="accounts*.csv",
            mode=LoadMode.SNAPSHOT,
            guard_deletions_by="source_file",
            primary_key="code",
            page_size=_PAGE,
            description="Chart of accounts; statement balance_sheet/profit_and_loss.",
            columns={
                "code": "text", "name": "text", "statement": "text", "normal_balance": "text",
                "account_type": "text", "rgs_code": "text", "is_blocked": "bool", **_ORIGIN,
            },
        ),
        Endpoint(
            table="projects",
            path="projects*.csv",
            mode=LoadMode.SNAPSHOT,
            guard_deletions_by="source_file",
            primary_key="code",
            page_size=_PAGE,
            columns={
                "code": "text", "name": "text", "start_date": "date", "end_date": "date",
                "is_active": "bool", "status": "text", "project_type": "text",
                "customer_code": "text", "customer_name": "text", "budget_hours": "decimal",
                "budget_amount": "decimal", **_ORIGIN,
            },
        ),
        Endpoint(
            table="project_hours",
            path="project_hours*.csv",
            mode=LoadMode.SNAPSHOT,
            guard_deletions_by="source_file",
            primary_key="id",
            page_size=_PAGE,
            description="Hours booked on projects (no mart yet).",
            columns={
                "id": "text", "project_code": "text", "date": "date", "employee_code": "text",
                "employee_name": "text", "activity": "text", "hours": "decimal",
                "rate": "decimal", "amount": "decimal", "is_billable": "bool",
                "description": "text", **_ORIGIN,
            },
        ),
        Endpoint(
            table="project_costs",
            path="project_costs*.csv",
            mode=LoadMode.SNAPSHOT,
            guard_deletions_by="source_file",
            primary_key="id",
            page_size=_PAGE,
            description="Costs booked on projects other than hours (no mart yet).",
            columns={
                "id": "text", "project_code": "text", "date": "date", "cost_type": "text",
                "description": "text", "quantity": "decimal", "amount": "decimal",
                "currency": "text", "relation_code": "text", "relation_name": "text",
                "document_number": "text", "account_code": "text", **_ORIGIN,
            },
        ),
    ),
)
