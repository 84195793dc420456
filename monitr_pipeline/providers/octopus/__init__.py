"""Octopus (BE, octopus.be / Inaras): OAuth2 plus a dossier token per dossier, REST on
service.inaras.be, dossiers as administrations, bookings a book year at a time.

Sources: /work/shared/providers/API_FACTS.md section 8;
login.octopus.be/manual/octopus-webservice/api/{authentication,dossier_token,requirements,
using_an_oauth_token}.htm (authorize URL https://service.inaras.be/octopus-oauth/authorize with
scope webservice, client_id = the software house identification; token POST with grant_type
authorization_code (client_id, code) or refresh_token (client_id, refresh_token); access token
10 minutes, refresh token 60 days; dossier token 10 minutes, required on every dossier call);
omniboost/go-octopus (base URL https://service.inaras.be/octopus-rest-api/v1, `Token` header on
POST /dossiers, answer field `Dossiertoken`, error body {technicalInfo, errorCode,
errorMessage}, book year, account and journal shapes); deppy-based Python OctopusApi examples
(GET /dossiers and POST /dossiers?dossierId=&localeId= with `Token`, `dossierToken` on dossier
calls, /accounts/modified and /bookyears/{id|-1}/bookings/modified with
modifiedTimeStamp=YYYY-MM-DD HH:MM:SS.mmm and journalTypeId=-1, a 404 meaning nothing changed);
BertMaurau/inaras-php-wrapper (booking header and line fields).

Assumptions (not confirmed; the Swagger at service.inaras.be/octopus-rest-api/swagger is not
public): the token endpoint is /octopus-oauth/token and answers access_token, refresh_token and
expires_in as JSON; the OAuth access token travels as the `Token` header; an expired or unknown
token or dossier token is a 401 in the REST error body; a dossier the login lost is a 403; the
daily call limit answers 429 with Retry-After (seconds to the next day: not waited for, the
import fails and says so); bookings from /bookings/modified are objects with a header and
`bookingLines`, purchase/sales documents carrying the relation's collective account and the
document total (negative for a credit note) on the header and positive lines; journal types 1
purchase, 2 sales, 3 financial, 4 miscellaneous, 5 the year-opening journal; the paths of cost
centres (/costcentres), outstanding items (/outstandingitems) and fixed assets (/fixedassets)
and their shapes are modelled; timestamps are UTC.

Deletions: no tombstones exist. Bookings are read a book year at a time (LoadMode.WINDOWED):
every open book year is read whole at each import (one call a year), so a deleted booking is
deleted and a changed one replaced; closed years are read once. Accounts come from
/accounts/modified (incremental; accounts are not deleted in Octopus, only no longer used).
Cost centres, outstanding items and fixed assets are small lists read whole (snapshots).
"""

from monitr_pipeline.providers.octopus.adapter import OctopusAdapter
from monitr_pipeline.providers.octopus.spec import SPEC

ADAPTER = OctopusAdapter()

__all__ = ["ADAPTER", "SPEC", "OctopusAdapter"]
