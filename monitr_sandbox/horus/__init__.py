"""Horus emulator: one customer installation per emulator (its own database and address), with
OAuth2 on that host and a REST API of folders (administrations), book years, the PCMN chart,
analytical accounts, book entries and account histories (GL lines).

Sources: /work/shared/providers/API_FACTS.md section 9; the apideck blog "How to Integrate with
the Horus Software API" (OAuth 2, client id/secret on request, a database and API endpoint per
fiduciary or SMB, the resources folders, companies, book entries, invoices, account histories);
docs.unified.to's Horus page (folder, account needing the folder id, bookentry,
accounthistory); docs.chift.eu and help.chift.app (multi-folder, analytic data optional);
caseware.be (a connection = refresh token + company URL); Falco's client (Horus Software's
token endpoint /oauth2/token: form fields, 3600 s access tokens, 30-day refresh tokens rotated on
every refresh).

Everything else is an assumption, the same as the client's (monitr_pipeline/providers/horus):
- OAuth2 on the installation's host: GET /oauth2/authorize (consents at once), POST /oauth2/token
  (client_secret_post or Basic); codes single use for 5 minutes; refresh tokens single use
  (the one just used is void) and 30 days; errors {"error", "error_description"}.
- API under /api/v1: folders, folders/{id}, folders/{id}/bookyears, /accounts,
  /analyticaccounts (403 problem when the folder keeps none), /bookentries and
  /accounthistories (optional `bookyearId`; a book year of another folder is a 400).
- No sideloading (its syntax was not found): a book entry carries its lineCount, its lines
  are the account histories of its id.
- Paging: page (from 1) and pageSize (1-500, default 100); {"data", "meta": {page, pageSize,
  totalCount, pageCount}, "links": {"self", "next"}}; the next link carries every parameter.
- Errors are RFC 7807 problem details; a folder the login does not (or no longer) open is 404
  "Folder not found"; a missing, invalid or expired token is 401 with WWW-Authenticate.
- Rate limit per installation: 300 calls a minute (fixed window), X-RateLimit-Limit,
  -Remaining and -Reset on every API answer, 429 with Retry-After when spent.
- Data (books.py): folders of Belgian companies on the PCMN chart in EUR, calendar book years
  (all but the last closed), period 0 for opening entries; entries edited and deleted in place
  with no trace but `modifiedAt`; analytical accounts in plans KP (cost centres), KD (cost units)
  and PRJ (projects) on lines of folders that keep them.
- Faults: injected faults match the request's path and decoded query (e.g.
  `/api/v1/folders/101/accounthistories\\?.*bookyearId=1012026`); an injected 429 gets
  Retry-After: 1 unless the test says otherwise.

Installations (sandbox environments): "fiduciary" (Fiduciaire Lambert & Co: folders 101-103,
demo port 8785) and "smb" (Verbeke Group: folders 201-202, demo port 8786).
"""

from monitr_sandbox.horus.app import create_app
from monitr_sandbox.horus.installations import (
    INSTALLATIONS,
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    Folder,
    Installation,
)
from monitr_sandbox.horus.sandbox import HorusSandbox

__all__ = ["INSTALLATIONS", "SANDBOX_CLIENT_ID", "SANDBOX_CLIENT_SECRET", "Folder",
           "HorusSandbox", "Installation", "create_app"]

from monitr_sandbox.horus.provider import HorusSandboxProvider  # noqa: E402

SANDBOX = HorusSandboxProvider()
