"""Rebuilds the models once per import window: after imports that changed rows have landed and
the window is over (nothing Waiting or In Progress), or has been quiet for a while, never once
per landed import (a dbt build takes minutes; imports would queue behind it)."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from dagster import (
    DefaultSensorStatus,
    JobDefinition,
    RunRequest,
    SensorEvaluationContext,
    SkipReason,
    sensor,
)

from monitr_pipeline.resources import MonitrResource
from monitr_pipeline.tags import TRIGGER_TAG

# With imports still pending, build anyway once the latest landed this long ago: a window with
# one stuck entity must not hold everyone's reports back.
DEFAULT_QUIET_SECONDS = 300


def quiet_seconds() -> float:
    return float(os.environ.get("MONITR_TRANSFORM_QUIET_SECONDS") or DEFAULT_QUIET_SECONDS)


def transform_due(landed: datetime | None, pending: int, built_for: str | None,
                  now: datetime) -> str | None:
    """The landing moment to build for, or None: nothing new since the last build, or a window
    still running and not yet quiet."""
    if landed is None:
        return None
    landed = landed if landed.tzinfo else landed.replace(tzinfo=UTC)
    key = landed.isoformat()
    if built_for is not None and key <= built_for:
        return None
    if pending and (now - landed).total_seconds() < quiet_seconds():
        return None
    return key


def build_transforms_sensor(transform_job: JobDefinition):
    @sensor(
        name="transforms_after_imports",
        job=transform_job,
        minimum_interval_seconds=60,
        default_status=DefaultSensorStatus.RUNNING,
        description="Builds the dbt models once imports that changed rows have landed and no "
                    "import is waiting or running (or none has landed for "
                    f"{DEFAULT_QUIET_SECONDS} s): once per import window, not per import.",
    )
    def transforms_after_imports(context: SensorEvaluationContext, monitr: MonitrResource):
        landed, pending = monitr.control_plane().import_window()
        due = transform_due(landed, pending, context.cursor, datetime.now(UTC))
        if due is None:
            return SkipReason(f"{pending} import(s) still pending; the models are built when "
                              "they end" if pending else "no import changed rows since the last "
                              "build")
        context.update_cursor(due)
        return RunRequest(run_key=f"transforms:{due}", tags={TRIGGER_TAG: "after-imports"})

    return transforms_after_imports
