"""Odoo emulator: one database, several companies (NL and BE on the PCMN chart), JSON-RPC and JSON-2.

Sources: /work/shared/providers/API_FACTS.md section 11; odoo/documentation
content/developer/reference/external_api.rst (JSON-2: POST /json/2/<model>/<method>, `Authorization:
bearer <key>`, optional X-Odoo-Database, body {ids, context, <params>}, errors as HTTP status with
{name, message, arguments, context, debug}; 401 werkzeug.exceptions.Unauthorized "Invalid apikey")
and external_rpc_api.rst (common.authenticate -> uid or False, object.execute_kw(db, uid, key,
model, method, args, kwargs)); odoo/odoo account modules for field names (account.move.line,
account.account.account_type of Odoo 17+, analytic_distribution, res.company fiscalyear_last_*).

Behaviour worth knowing (choices where the sources are silent):
- One database (`monitr-sandbox`), one bot user (uid 6) whose API key stands in for its password
  on JSON-RPC. A wrong login or key makes common.authenticate answer False (as Odoo does);
  execute_kw with a wrong key raises odoo.exceptions.AccessDenied, which JSON-RPC answers as an
  `error` inside an HTTP 200 ({"code": 200, "message": "Odoo Server Error", "data": {name, ...}}).
- Multi-company: records are those of context.allowed_company_ids (default: the user's first
  company); a company the user lacks raises AccessError "Access to unauthorized or invalid
  companies." (403 on JSON-2). res.company lists the user's companies. remove_administration(id)
  takes a company from the user.
- Odoo 19 shapes: account.account has company_ids (many2many ids); many2one fields read as
  [id, display_name] or false; datetimes are UTC "YYYY-MM-DD HH:MM:SS"; fiscalyear_last_month is a
  selection string '1'..'12'. Analytic plans (Cost Centres, Cost Units, Projects) are shared;
  analytic accounts belong to a company; analytic_distribution is {"<account id>": 100.0} per plan.
- Moves come from the sandbox ledger, one per entry, except the later years' opening entries (Odoo
  rolls balances forward and books none); each company also has one draft and one cancelled move
  that are no part of its balances. Move names are <journal>/<year>/<sequence>.
- amount_residual: on receivable and payable lines, the line that opened an invoice carries what
  is still open (signed as its balance); the payments and credit notes matched to it are reconciled.
  The lines of one item share a matching_number (Odoo 17+): the id of its account.full.reconcile
  (also full_reconcile_id) once it is settled, "P<first partial reconcile id>" while part is open;
  none on an item nothing was matched to. The item was settled on the latest date of its lines.
- write_date moves when anything a record shows changes (a day's correction at 17:00 of the
  sandbox's today, a reconciliation, a test edit at 18:00); unlinked moves and lines are gone
  without a trace: clients find them by comparing id sets.
- Domains: =, !=, >, >=, <, <=, in, not in, (=)like, (=)ilike, '&' '|' '!' prefix operators. Unknown
  fields or bad orders raise builtins.ValueError (HTTP 500 on JSON-2, as Json2Dispatcher answers
  exceptions that are no UserError). The models are read-only.
- No rate limit (Odoo documents none). Injected faults match a regex on path+query; JSON-RPC calls
  are matched as /jsonrpc?service=object&method=execute_kw&model=<model>&call=<method>, and an
  injected status 200 on /jsonrpc without a body answers a JSON-RPC error (UserError) in the 200.
"""

from monitr_sandbox.odoo.app import create_app
from monitr_sandbox.odoo.companies import COMPANIES, DATABASE, LOGIN
from monitr_sandbox.odoo.provider import OdooSandboxProvider, connect_with_api_key
from monitr_sandbox.odoo.sandbox import OdooSandbox

SANDBOX = OdooSandboxProvider()

__all__ = ["COMPANIES", "DATABASE", "LOGIN", "SANDBOX", "OdooSandbox", "OdooSandboxProvider",
           "connect_with_api_key", "create_app"]
