"""HubSpot's nested answers made flat rows: a CRM object's properties beside its id, a
pipeline's stages one row each."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def crm_objects(results: Iterable[Any]) -> list[dict[str, Any]]:
    """CRM v3 objects ({id, properties{...}, createdAt, updatedAt, archived, archivedAt}) as
    rows: the properties beside the object's own fields."""
    rows = []
    for item in results:
        if not isinstance(item, Mapping):
            raise ValueError(f"a result is not an object: {item!r:.80}")
        properties = item.get("properties")
        if not isinstance(properties, Mapping):
            raise ValueError(f"object {item.get('id')!r} has no properties object")
        rows.append({**properties, **{k: v for k, v in item.items() if k != "properties"}})
    return rows


def archived_deals(results: Iterable[Any]) -> list[dict[str, Any]]:
    """Archived deals as deletions of deals: the archival is the deal's last change, so its
    cursor (hs_lastmodifieddate) is archivedAt when that is later."""
    rows = crm_objects(results)
    for row in rows:
        row["objectType"] = "deals"
        archived_at, modified = row.get("archivedAt"), row.get("hs_lastmodifieddate")
        if archived_at and (not modified or str(archived_at) > str(modified)):
            row["hs_lastmodifieddate"] = archived_at
    return rows


def pipelines(results: Iterable[Any]) -> list[dict[str, Any]]:
    return [{k: v for k, v in _pipeline(p).items() if k != "stages"} for p in results]


def stages(results: Iterable[Any]) -> list[dict[str, Any]]:
    rows = []
    for pipeline in results:
        pipeline = _pipeline(pipeline)
        for stage in pipeline.get("stages") or []:
            if not isinstance(stage, Mapping):
                raise ValueError(f"pipeline {pipeline.get('id')!r}: a stage is not an object")
            rows.append({**stage, "pipelineId": pipeline.get("id"),
                         "pipelineLabel": pipeline.get("label")})
    return rows


def _pipeline(item: Any) -> Mapping[str, Any]:
    if not isinstance(item, Mapping):
        raise ValueError(f"a pipeline is not an object: {item!r:.80}")
    return item
