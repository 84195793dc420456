"""Horus (Horus Software / Horus Office, BE/LU): OAuth2 on each customer's own installation, REST
folders (administrations) with their chart, book years, book entries and account histories.

Sources (Horus publishes no reference; API_FACTS.md section 9):
- apideck blog "How to Integrate with the Horus Software API" (2026-03-13): OAuth 2 with a client
  id/secret issued on request (developer@horus-software.be); every fiduciary or SMB running Horus
  has its own database and its own API endpoint; the resources folders, companies, book entries,
  invoices, account histories, users; sideloading of related resources.
- docs.unified.to Horus page: organisation = `folder` (id, name, legal_name, organization_code,
  address, created_at), account = `account` (needs the folder id), journal = `bookentry`,
  transaction = `accounthistory`.
- docs.chift.eu Horus connector and help.chift.app: on-premise product reached "via API",
  multi-folder; analytic data optional per connection; login as a Horus (accountant) user.
- caseware.be knowledge "Horus": a connection is a refresh token plus the company's URL.
- Falco's (Horus Software's) internal client (falcio, cited in a public agentio design note): its
  token endpoint `/oauth2/token` takes form fields, answers `expires_in` 3600 and
  `refresh_token_expires_in` 2592000, and rotates the refresh token on every refresh.

Assumptions (not found; modelled on a sensible REST design and kept in the emulator alike):
- Base URL: the installation's address, kept with the integration (`monitr connect horus
  --base-url https://<installation>`); the spec names no environments. The OAuth endpoints live
  on the same host: GET /oauth2/authorize, POST /oauth2/token (client id and secret as form
  fields); no scopes. Access tokens live 3600 s; refresh tokens 30 days and single use (rotated),
  as Falco's are. (If Horus turns out to authorise centrally, e.g. accounts.horus-software.be,
  the spec's OAuth2Spec gets authorize/token base URLs.)
- API under /api/v1: GET folders (a page of them), folders/{id} (the folder object),
  folders/{id}/bookyears (with their periods; period 0 holds
  the opening entries), folders/{id}/accounts, folders/{id}/analyticaccounts (403 when the
  folder keeps no analytical accounts), folders/{id}/bookentries and
  folders/{id}/accounthistories, both filtered by `bookyearId`.
- Sideloading (related resources in the same answer) exists, its syntax was not found: not
  used; book entries and their lines are read as two lists and joined in staging.
- Paging: `page` (from 1) and `pageSize` (at most 500); the answer is {"data": [...],
  "meta": {"page", "pageSize", "totalCount", "pageCount"}, "links": {"next": url or null}}.
- Values: camelCase JSON; ids of folders, book years and accounts are integers, of book entries,
  lines and analytical accounts GUIDs; dates ISO 8601, times with their offset (Europe/Brussels);
  amounts JSON numbers, `debit` and `credit` both positive; a line's analytical accounts are a
  list of {planCode, code}; its third party an object {code, name}.
- Errors: RFC 7807 problem details {"type", "title", "status", "detail"}; a folder the login may
  no longer open answers 404 "Folder not found" (or 403 "No access to folder"); token errors
  are 401 with `WWW-Authenticate: Bearer error="invalid_token"`; the token endpoint answers
  {"error", "error_description"}.
- Rate limit: per installation, 429 with Retry-After; every answer carries X-RateLimit-Limit,
  X-RateLimit-Remaining and X-RateLimit-Reset (seconds until the window resets).
- No change feed and no deletion log: book entries and account histories are read WINDOWED per
  book year. Each import reads every book year not read before and every open one, whole; a
  line gone from a year read again was deleted at Horus and is deleted here. A year that closed
  since it was last read is read once more under its closed name (window `<id>/closed`), so what
  changed before the closing is seen; closed years are not read again.
"""

from monitr_pipeline.providers.horus.adapter import HorusAdapter
from monitr_pipeline.providers.horus.spec import SPEC

ADAPTER = HorusAdapter()

__all__ = ["ADAPTER", "SPEC", "HorusAdapter"]
