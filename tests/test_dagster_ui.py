"""The Dagster UI on the sandbox's state, through the real webserver: `dagster dev` in a child
process on this module's world, asked over HTTP with the GraphQL queries the UI's pages send. A
CLI run is listed under its job and re-executes from the UI; a failed entity's import partition
and an unhealthy integration's health partition are failed (red), a healthy one materialised
(green); the status board lists every provider x entity with its status and error. No browser
drives the pages: CI has no Chromium and may not skip, and these queries are what the pages ask."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from dagster._core.workspace.context import WorkspaceProcessContext
from dagster._core.workspace.load_target import WorkspaceFileTarget

from monitr_pipeline.assets.import_status_board import IMPORT_STATUS_BOARD
from monitr_pipeline.cli.processes import ProcessGroup
from monitr_pipeline.definitions import defs
from monitr_pipeline.instance import write_instance_config
from monitr_pipeline.job_runs import CODE_LOCATION, REPOSITORY, execute_job_run
from monitr_pipeline.partitions import INTEGRATION_PARTITIONS
from monitr_pipeline.runner import refresh_status_board, run_import
from monitr_pipeline.settings import PROJECT_ROOT
from monitr_pipeline.tags import HEALTH_CHECK_JOB, TRIGGER_TAG, import_job_name

WORLD_PROVIDERS = ("exact_online", "moneybird", "csv_import")  # the sandbox world this module needs

WORKSPACE = PROJECT_ROOT / "workspace.yaml"
# A truncated JSON page in the middle of Exact's GL feed: that entity's import fails, nothing else.
LINES_PATH = "sync/Financial/TransactionLines"
TRUNCATED_PAGE = '{"d": {"results": [{"ID": "trunc'
# Two shared cores: the webserver, the daemon and a code server take a while to come up, and the
# re-executed run starts a process of its own that loads the definitions again.
SERVER_START_SECONDS = 240
RUN_SECONDS = 300
STOP_SECONDS = 20
TERMINAL_RUN_STATUSES = {"SUCCESS", "FAILURE", "CANCELED"}


@dataclass(frozen=True)
class UiState:
    """What the module made happen before the UI was started."""

    cli_run_id: str
    cli_connection: object
    failed_connection: object
    unhealthy_integration: object
    healthy_integration: object
    # Each active connection's latest import when the status board was refreshed.
    statuses_on_the_board: dict


@pytest.fixture(scope="module")
def ui_state(world) -> UiState:
    """A CSV import run by the CLI path (succeeds); one Exact BE division's import failed by a
    truncated page (its integration stays healthy); Exact NL's consent revoked and its health
    checked (red), Moneybird's checked (green); then the status board refreshed."""
    cli_connection = world.connections("csv_import")[0]
    cli_run = run_import(defs, world.instance, world.control, cli_connection, quiet=True)
    assert cli_run.success

    failed_connection = next(c for c in world.connections("exact_online")
                             if c.environment == "be")
    world.sandbox.emulators[("exact_online", "be")].inject_fault(
        LINES_PATH, 200, times=1, body=TRUNCATED_PAGE)
    assert not run_import(defs, world.instance, world.control, failed_connection,
                          quiet=True).success

    integrations = world.control.integrations()
    world.instance.add_dynamic_partitions(INTEGRATION_PARTITIONS.name,
                                          [i.partition_key for i in integrations])
    unhealthy = next(i for i in integrations
                     if (i.provider, i.environment) == ("exact_online", "nl"))
    healthy = next(i for i in integrations if i.provider == "moneybird")
    exact_nl = world.sandbox.emulators[("exact_online", "nl")]
    exact_nl.revoke_all_tokens()
    exact_nl.expire_access_tokens()
    assert not _check_health(world, unhealthy).success
    assert _check_health(world, healthy).success

    assert refresh_status_board(world.instance, trigger="test")
    statuses = {s.partition_key: s for s in world.control.import_statuses()}
    return UiState(cli_run.run_id, cli_connection, failed_connection, unhealthy, healthy,
                   statuses)


def _check_health(world, integration):
    return execute_job_run(world.instance, HEALTH_CHECK_JOB, tags={TRIGGER_TAG: "test"},
                           partition_key=integration.partition_key)


def _stop_sensors_and_schedules(instance) -> None:
    """The daemon is up to dequeue the UI's re-execution (runs are queued: the instance has
    concurrency limits); its sensors would add runs of their own (a health check per integration,
    a dbt build after the imports), queued before that one and changing what the pages show.
    Stopped as the UI's toggle stops them: an instigator state per sensor and schedule."""
    with WorkspaceProcessContext(instance, WorkspaceFileTarget(paths=[str(WORKSPACE)])) as context:
        for location in context.create_request_context().code_locations:
            for repository in location.get_repositories().values():
                for sensor in repository.get_sensors():
                    instance.stop_sensor(sensor.get_remote_origin_id(), sensor.selector_id,
                                         sensor)
                for schedule in repository.get_schedules():
                    instance.stop_schedule(schedule.get_remote_origin_id(), schedule.selector_id,
                                           schedule)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class DagsterUi:
    """The webserver's GraphQL endpoint, as the UI's pages call it."""

    def __init__(self, url: str, group: ProcessGroup, log: Path) -> None:
        self.url = url
        self.group = group
        self.log = log

    def query(self, text: str, variables: dict | None = None) -> dict:
        response = requests.post(f"{self.url}/graphql",
                                 json={"query": text, "variables": variables or {}}, timeout=60)
        response.raise_for_status()
        answer = response.json()
        assert not answer.get("errors"), answer["errors"]
        return answer["data"]

    def log_tail(self, chars: int = 4000) -> str:
        return self.log.read_text(errors="replace")[-chars:] if self.log.exists() else ""


LOCATIONS = """
query Locations {
  workspaceOrError {
    __typename
    ... on Workspace {
      locationEntries {
        name
        loadStatus
        locationOrLoadError { __typename ... on PythonError { message } }
      }
    }
  }
}
"""


def _wait_until_loaded(ui: DagsterUi) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if ui.group.process.poll() is not None:
            pytest.fail(f"dagster dev exited ({ui.group.process.returncode}):\n{ui.log_tail()}")
        try:
            workspace = ui.query(LOCATIONS)["workspaceOrError"]
        except requests.RequestException:
            workspace = None
        if workspace is not None:
            [entry] = [e for e in workspace["locationEntries"] if e["name"] == CODE_LOCATION]
            if entry["loadStatus"] == "LOADED":
                assert entry["locationOrLoadError"]["__typename"] == "RepositoryLocation", entry
                return
        time.sleep(1)
    pytest.fail(f"the UI did not load {CODE_LOCATION} in {SERVER_START_SECONDS} s:\n"
                f"{ui.log_tail()}")


INSTIGATORS = """
query Instigators($repository: RepositorySelector!) {
  sensorsOrError(repositorySelector: $repository) {
    __typename
    ... on Sensors { results { name sensorState { status } } }
  }
  schedulesOrError(repositorySelector: $repository) {
    __typename
    ... on Schedules { results { name scheduleState { status } } }
  }
}
"""


def _assert_instigators_stopped(ui: DagsterUi) -> None:
    answer = ui.query(INSTIGATORS, {"repository": {"repositoryName": REPOSITORY,
                                                   "repositoryLocationName": CODE_LOCATION}})
    sensors = answer["sensorsOrError"]["results"]
    schedules = answer["schedulesOrError"]["results"]
    assert sensors and schedules
    running = ([s["name"] for s in sensors if s["sensorState"]["status"] != "STOPPED"]
               + [s["name"] for s in schedules if s["scheduleState"]["status"] != "STOPPED"])
    assert not running, f"still running in the UI's daemon: {running}"


@pytest.fixture(scope="module")
def ui(world, ui_state, tmp_path_factory) -> DagsterUi:
    """`dagster dev` (webserver, daemon, code server) on the world's home, as `monitr dev` starts
    it; its whole process group is stopped at the end."""
    _stop_sensors_and_schedules(world.instance)
    port = _free_port()
    log = tmp_path_factory.mktemp("dagster_dev") / "dagster_dev.log"
    env = {**os.environ, "MONITR_HOME": str(world.home),
           "DAGSTER_HOME": str(write_instance_config(world.settings))}
    command = [sys.executable, "-m", "dagster", "dev", "-w", str(WORKSPACE),
               "-h", "127.0.0.1", "-p", str(port)]
    with open(log, "wb") as output:
        group = ProcessGroup(command, env=env, cwd=PROJECT_ROOT, stdout=output,
                             stderr=output, stdin=subprocess.DEVNULL)
    ui = DagsterUi(f"http://127.0.0.1:{port}", group, log)
    try:
        _wait_until_loaded(ui)
        _assert_instigators_stopped(ui)
        yield ui
    finally:
        group.send(signal.SIGTERM)
        if not group.wait_gone(STOP_SECONDS):
            group.send(signal.SIGKILL)
            group.wait_gone(5.0)


JOB_RUNS = """
query JobRuns($filter: RunsFilter!) {
  runsOrError(filter: $filter) {
    __typename
    ... on Runs { results { runId status pipelineName tags { key value } } }
  }
}
"""

REEXECUTE = """
mutation Reexecute($parentRunId: String!) {
  launchPipelineReexecution(reexecutionParams: {parentRunId: $parentRunId, strategy: ALL_STEPS}) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on PythonError { message }
    ... on InvalidSubsetError { message }
  }
}
"""

RUN = """
query Run($runId: ID!) {
  runOrError(runId: $runId) {
    __typename
    ... on Run { runId status parentRunId rootRunId pipelineName tags { key value } }
  }
}
"""

PARTITION_HEALTH = """
query PartitionHealth($assetKey: AssetKeyInput!) {
  assetNodeOrError(assetKey: $assetKey) {
    __typename
    ... on AssetNode {
      assetPartitionStatuses {
        __typename
        ... on DefaultPartitionStatuses {
          materializedPartitions
          failedPartitions
          unmaterializedPartitions
          materializingPartitions
        }
      }
    }
  }
}
"""

LATEST_RUN_FOR_PARTITION = """
query LatestRunForPartition($assetKey: AssetKeyInput!, $partition: String!) {
  assetNodeOrError(assetKey: $assetKey) {
    ... on AssetNode { latestRunForPartition(partition: $partition) { runId status } }
  }
}
"""

LATEST_MATERIALIZATION = """
query LatestMaterialization($assetKey: AssetKeyInput!) {
  assetOrError(assetKey: $assetKey) {
    __typename
    ... on Asset {
      assetMaterializations(limit: 1) {
        runId
        metadataEntries {
          __typename
          label
          ... on TableMetadataEntry { table { records } }
          ... on IntMetadataEntry { intValue }
          ... on MarkdownMetadataEntry { mdStr }
        }
      }
    }
  }
}
"""


def _tags(run: dict) -> dict[str, str]:
    return {t["key"]: t["value"] for t in run["tags"]}


def _asset_key(path: str) -> dict:
    return {"path": path.split("/")}


def _partition_statuses(ui: DagsterUi, asset: str) -> dict[str, list[str]]:
    node = ui.query(PARTITION_HEALTH, {"assetKey": _asset_key(asset)})["assetNodeOrError"]
    assert node["__typename"] == "AssetNode", node
    statuses = node["assetPartitionStatuses"]
    assert statuses["__typename"] == "DefaultPartitionStatuses", statuses
    return statuses


def _latest_run_status(ui: DagsterUi, asset: str, partition: str) -> str:
    node = ui.query(LATEST_RUN_FOR_PARTITION, {"assetKey": _asset_key(asset),
                                               "partition": partition})["assetNodeOrError"]
    return node["latestRunForPartition"]["status"]


def _wait_for_run(ui: DagsterUi, run_id: str) -> dict:
    deadline = time.monotonic() + RUN_SECONDS
    while True:
        run = ui.query(RUN, {"runId": run_id})["runOrError"]
        assert run["__typename"] == "Run", run
        if run["status"] in TERMINAL_RUN_STATUSES or time.monotonic() > deadline:
            return run
        time.sleep(1)


def test_a_cli_run_is_listed_under_its_job_and_re_executes_from_the_ui(ui, ui_state):
    job = import_job_name(ui_state.cli_connection.provider)
    # The job page's run list: its job's runs of this code location's repository.
    runs = ui.query(JOB_RUNS, {"filter": {"pipelineName": job, "tags": [
        {"key": ".dagster/repository", "value": f"{REPOSITORY}@{CODE_LOCATION}"}]}})
    listed = {r["runId"]: r for r in runs["runsOrError"]["results"]}
    assert listed[ui_state.cli_run_id]["status"] == "SUCCESS"

    launched = ui.query(REEXECUTE, {"parentRunId": ui_state.cli_run_id})
    launched = launched["launchPipelineReexecution"]
    assert launched["__typename"] == "LaunchRunSuccess", launched

    child = _wait_for_run(ui, launched["run"]["runId"])
    assert child["status"] == "SUCCESS", f"{child}\n{ui.log_tail()}"
    assert (child["parentRunId"], child["rootRunId"]) == (ui_state.cli_run_id,) * 2
    assert child["pipelineName"] == job
    assert _tags(child)["dagster/partition"] == ui_state.cli_connection.partition_key


def test_the_failed_entitys_import_partition_is_red_and_others_are_not(ui, ui_state, world):
    failed = ui_state.failed_connection
    asset = "raw/exact_online/gl_transaction_lines"
    statuses = _partition_statuses(ui, asset)
    assert statuses["failedPartitions"] == [failed.partition_key]
    others = {c.partition_key for c in world.connections("exact_online")} - {failed.partition_key}
    assert others and others <= set(statuses["unmaterializedPartitions"])
    assert _latest_run_status(ui, asset, failed.partition_key) == "FAILURE"

    # The CLI's CSV import is green on its own asset.
    csv = _partition_statuses(ui, "raw/csv_import/gl_lines")
    assert ui_state.cli_connection.partition_key in csv["materializedPartitions"]
    assert csv["failedPartitions"] == []


def test_an_unhealthy_integration_is_red_and_a_healthy_one_green(ui, ui_state, world):
    statuses = _partition_statuses(ui, "integrations/health")
    unhealthy, healthy = ui_state.unhealthy_integration, ui_state.healthy_integration
    assert statuses["failedPartitions"] == [unhealthy.partition_key]
    assert statuses["materializedPartitions"] == [healthy.partition_key]
    # Every integration is a partition; those not checked yet are neither colour. (Dagster lists
    # a failed partition never materialised as unmaterialized too; the UI shows failed first.)
    assert set(statuses["unmaterializedPartitions"]) - set(statuses["failedPartitions"]) == (
        {i.partition_key for i in world.control.integrations()}
        - {unhealthy.partition_key, healthy.partition_key})
    assert _latest_run_status(ui, "integrations/health", unhealthy.partition_key) == "FAILURE"
    assert _latest_run_status(ui, "integrations/health", healthy.partition_key) == "SUCCESS"


def test_the_status_board_lists_every_provider_and_entity_with_its_status(ui, ui_state, world):
    asset = ui.query(LATEST_MATERIALIZATION,
                     {"assetKey": {"path": IMPORT_STATUS_BOARD.path}})["assetOrError"]
    assert asset["__typename"] == "Asset", asset
    [materialization] = asset["assetMaterializations"]
    entries = {e["label"]: e for e in materialization["metadataEntries"]}
    records = [json.loads(r) for r in entries["entities"]["table"]["records"]]
    shown = {r["partition_key"]: r for r in records}

    expected = ui_state.statuses_on_the_board
    assert set(expected) == {c.partition_key for c in world.control.connections()}
    assert len(records) == len(shown) == len(expected)
    for key, status in expected.items():
        assert (shown[key]["provider"], shown[key]["entity"], shown[key]["status"]) == (
            status.provider, status.entity_name, status.status), key

    failed = shown[ui_state.failed_connection.partition_key]
    assert failed["status"] == "Failed"
    assert "malformed" in failed["error"] and LINES_PATH in failed["error"]
    assert shown[ui_state.cli_connection.partition_key]["status"] == "Succeeded"
    assert entries["failed"]["intValue"] == 1
    assert ui_state.failed_connection.entity_name in entries["failed_imports"]["mdStr"]
