"""Change data capture answers (`GET cdc?entities=...&changedSince=...`) read as objects and rows.

`{"CDCResponse": [{"QueryResponse": [{"Invoice": [...], "startPosition", "maxResults",
"totalCount"}, ...]}], "time"}`: changed objects come in full, deleted ones as `{"Id", "status":
"Deleted", "MetaData"}`; at most 1000 objects an answer, looking back 30 days at most
(developer.intuit.com change data capture; python-quickbooks cdc.py and tests/unit/test_cdc.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

# Change data capture looks back at most 30 days; a day less leaves room for clock skew.
LOOKBACK = timedelta(days=29)
MAX_OBJECTS = 1000  # an answer holds at most this many objects, with no paging
DELETED = "Deleted"
# On a first import, changes since a little before it began: deletions during the full read count.
FIRST_MARGIN = timedelta(hours=1)


def first_cursor() -> datetime:
    """The feed's cursor when the first import starts."""
    return datetime.now(UTC) - FIRST_MARGIN


def changed_since(cursor: datetime, now: datetime) -> datetime:
    """Where the next call starts: a feed idle for 30 days keeps an old cursor, and nothing older
    is kept by Intuit anyway."""
    return max(cursor, now - LOOKBACK)


def since_param(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def changed_objects(body: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(entity, object) for every object of the answer, changed or deleted."""
    responses = body.get("CDCResponse")
    if not isinstance(responses, list):
        raise ValueError("no CDCResponse list")
    found = []
    for response in responses:
        for group in response.get("QueryResponse") or []:
            for entity, objects in group.items():
                if isinstance(objects, list):  # not startPosition, maxResults, totalCount
                    found.extend((entity, record) for record in objects)
    return found


def change_rows(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One row per object, keyed by entity and Id; a deleted one names its entity in DeletedType."""
    rows = []
    for entity, record in changed_objects(body):
        status = record.get("status")
        rows.append({"Id": f"{entity}/{record.get('Id')}", "EntityType": entity,
                     "ObjectId": record.get("Id"), "status": status,
                     "DeletedType": entity if status == DELETED else None,
                     "MetaData": record.get("MetaData")})
    return rows


def answer_time(body: Mapping[str, Any]) -> datetime | None:
    """When Intuit answered (the body's `time`), to the second below: object times are whole
    seconds, so a change in that same second is still `>=` it."""
    text = body.get("time")
    if not isinstance(text, str):
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0)
