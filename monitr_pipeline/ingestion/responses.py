"""Responses whose JSON body is parsed once, by orjson.

dlt's REST client parses every page for its records and its paginator parses the same body
again for the next link or cursor; requests parses with simplejson or the standard library each
time. A page of a thousand GL lines is the largest object an import handles, so the parse is one
of its largest costs: parsed once here, with a parser several times faster, and kept on the
response for every later reader.
"""

from __future__ import annotations

from typing import Any

import orjson
import requests
from requests.adapters import HTTPAdapter

_UNPARSED = object()


class ParsedOnceResponse(requests.Response):
    def json(self, **kwargs: Any) -> Any:
        if kwargs:  # a caller with its own decoder options gets exactly what it asked for
            return super().json(**kwargs)
        parsed = self.__dict__.get("_parsed_json", _UNPARSED)
        if parsed is _UNPARSED:
            try:
                parsed = orjson.loads(self.content)
            except orjson.JSONDecodeError:
                # What orjson refuses gets requests' own answer (for a body that is not JSON,
                # its JSONDecodeError, which the engine reports as a malformed page).
                parsed = super().json()
            self._parsed_json = parsed
        return parsed


class ParsedOnceAdapter(HTTPAdapter):
    """The transport adapter a provider session mounts: every response it builds parses once."""

    def build_response(self, req: requests.PreparedRequest, resp: Any) -> requests.Response:
        response = super().build_response(req, resp)
        # requests builds a plain Response; the subclass only adds the cached parse.
        response.__class__ = ParsedOnceResponse
        return response


def mount_parsed_once(session: requests.Session) -> requests.Session:
    for prefix in ("https://", "http://"):
        session.mount(prefix, ParsedOnceAdapter())
    return session
