"""Octopus emulator (BE, octopus.be / Inaras): the OAuth server and the REST web service with
three Belgian dossiers (BE PCMN chart, EUR), their book years and the year-opening journal.

Sources: /work/shared/providers/API_FACTS.md section 8 and section 19;
login.octopus.be/manual/octopus-webservice/api/{authentication,dossier_token,requirements,
using_an_oauth_token}.htm (authorize URL and parameters, code valid 5 minutes, access token 10
minutes, refresh token 60 days, the token and refresh POST parameters, dossier token valid 10
minutes and required on every dossier call); omniboost/go-octopus (base URL
https://service.inaras.be/octopus-rest-api/v1, header `softwareHouseUuid`, `Token` on
POST /dossiers, the `Dossiertoken` answer field, the error body {technicalInfo, errorCode,
errorMessage}, BookYear/Account/Journal shapes); the deppy-based Python OctopusApi examples
(GET /dossiers and POST /dossiers?dossierId=&localeId= with header `Token`, header
`dossierToken` on dossier calls, /accounts?bookyearId=, /accounts/modified and
/bookyears/-1/bookings/modified?modifiedTimeStamp=&journalTypeId=-1 with timestamps
`YYYY-MM-DD HH:MM:SS.mmm`, 404 meaning nothing modified); BertMaurau/inaras-php-wrapper
(buy/sell booking and line fields: amount, bookingLines, baseAmount, vatAmount, vatCodeKey,
costCentreKey, documentSequenceNr, bookyearPeriodeNr).

Modelled, not confirmed (the Swagger at service.inaras.be is not public):
- The token endpoint path (/octopus-oauth/token), its JSON answer (access_token, refresh_token,
  expires_in) and its error body ({"error", "error_description"}); the refresh token is not
  rotated. The OAuth access token is sent as the `Token` header, as the credentials token is.
- Status codes: 401 for an expired or unknown (dossier) token, 403 for a dossier the login no
  longer sees, 429 with Retry-After for the daily call budget (the limits are "very low" and not
  published: 1,000 calls a login a UTC day here), 400 for a bad parameter.
- The shape of bookings from /bookings/modified: one object per booking with its header
  (bookyearKey, journalKey, journalTypeId, documentSequenceNr, bookyearPeriodeNr, documentDate,
  expiryDate, comment, reference, relationKey, currencyCode, modifiedTimeStamp) and bookingLines.
  Purchase (journalTypeId 1) and sales (2) documents carry the relation's collective account and
  the document total on the header (negative for a credit note) and lines positive as the
  document shows them (baseAmount, vatAmount); financial (3), miscellaneous (4) and the
  year-opening journal (5, key "OB") carry signed line amounts (debit positive). The journal type
  numbers are the sandbox's own.
- Year-opening journal: every book year (the first one's starting balance, then each year's
  closing balance-sheet positions, the result carried into equity) is opened with bookings in the
  opening-balance journal, as a dossier looks after year-end closing. Every year but the last is
  closed.
- /costcentres, /outstandingitems and /fixedassets (paths and shapes modelled on SOAP's
  getCostCentres and on what Chift's Octopus connector offers; not found documented).
- Deletions leave no trace (no tombstones were found): a deleted booking is only missing from
  its book year's list.
- Injected faults match a regex against the decoded path+query of any request, OAuth included.
"""

from monitr_sandbox.octopus.app import create_app
from monitr_sandbox.octopus.dossiers import (
    SANDBOX_CLIENT_ID,
    SANDBOX_CLIENT_SECRET,
    SANDBOX_DOSSIERS,
    Dossier,
)
from monitr_sandbox.octopus.sandbox import OctopusSandbox

__all__ = ["SANDBOX_CLIENT_ID", "SANDBOX_CLIENT_SECRET", "SANDBOX_DOSSIERS", "Dossier",
           "OctopusSandbox", "create_app"]

from monitr_sandbox.octopus.provider import OctopusSandboxProvider  # noqa: E402

SANDBOX = OctopusSandboxProvider()
