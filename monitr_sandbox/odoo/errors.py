"""Odoo's exceptions as the two protocols answer them: JSON-RPC puts `error` in an HTTP 200,
JSON-2 answers the exception's HTTP status with the serialized exception as the body."""

from __future__ import annotations

import uuid
from typing import Any

ACCESS_DENIED = "odoo.exceptions.AccessDenied"
ACCESS_ERROR = "odoo.exceptions.AccessError"
VALUE_ERROR = "builtins.ValueError"
UNAUTHORIZED = "werkzeug.exceptions.Unauthorized"
NOT_FOUND = "werkzeug.exceptions.NotFound"
UNPROCESSABLE = "werkzeug.exceptions.UnprocessableEntity"


class OdooError(Exception):
    """An exception raised inside Odoo. `status` is what JSON-2 answers (Json2Dispatcher:
    UserError subclasses their http_status, HTTPExceptions their code, anything else 500)."""

    def __init__(self, name: str, message: str, status: int = 500):
        super().__init__(message)
        self.name, self.message, self.status = name, message, status

    def serialized(self, context: dict | None = None) -> dict[str, Any]:
        """odoo.http.serialize_exception: name, message, arguments, context, debug."""
        exception = self.name.rsplit(".", 1)[-1]
        return {"name": self.name, "message": self.message, "arguments": [self.message],
                "context": context or {},
                "debug": "Traceback (most recent call last):\n  File \"/opt/odoo/odoo/http.py\", "
                         f"line 2212, in _transactioning\n{exception}: {self.message}\n"}


def access_denied() -> OdooError:
    return OdooError(ACCESS_DENIED, "Access Denied", 403)


def unauthorized_companies() -> OdooError:
    return OdooError(ACCESS_ERROR, "Access to unauthorized or invalid companies.", 403)


def jsonrpc_error(request_id: Any, error: OdooError, context: dict | None = None) -> dict[str, Any]:
    """odoo.http.JsonRPCDispatcher.handle_error: code 200 'Odoo Server Error' (100 for an expired
    session), the serialized exception as `data`."""
    return {"jsonrpc": "2.0", "id": request_id,
            "error": {"code": 200, "message": "Odoo Server Error",
                      "data": error.serialized(context)}}


def request_id() -> str:
    return uuid.uuid4().hex
