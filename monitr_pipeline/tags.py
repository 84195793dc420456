"""Run tags that tie a Dagster run to the control plane's import request or integration check."""

PROVIDER_TAG = "monitr/provider"
REQUEST_KEY_TAG = "monitr/request_key"
TRIGGER_TAG = "monitr/trigger"
# "true" on a run lets its import delete most of a snapshot (the rows really are gone at the
# source).
CONFIRM_DELETIONS_TAG = "monitr/confirm_deletions"
# host:pid of the process executing a run, so a run whose process died can be found and ended.
WORKER_TAG = "monitr/worker"


def import_job_name(provider: str) -> str:
    return f"import_{provider}"


def import_tags(provider: str, request_key: str, trigger: str) -> dict[str, str]:
    return {PROVIDER_TAG: provider, REQUEST_KEY_TAG: request_key, TRIGGER_TAG: trigger}


# The job whose runs check one integration's connection (integrations/health, a partition each).
HEALTH_CHECK_JOB = "check_integration_health"
# The trigger of the health checks the integration_health sensor requests, on their interval.
HEALTH_INTERVAL_TRIGGER = "health-interval"


def health_check_tags(provider: str, trigger: str) -> dict[str, str]:
    return {PROVIDER_TAG: provider, TRIGGER_TAG: trigger}
