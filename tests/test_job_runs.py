"""Runs the CLI and the demo start are runs of their job, with the job's origin: the UI lists
them under the job and re-executes them (through Dagster's GraphQL API, as the UI does)."""

from dagster import DagsterRunStatus, RunsFilter
from dagster._core.workspace.context import WorkspaceProcessContext
from dagster._core.workspace.load_target import WorkspaceFileTarget
from dagster_graphql.test.utils import execute_dagster_graphql

from monitr_pipeline.definitions import defs
from monitr_pipeline.runner import run_import
from monitr_pipeline.settings import PROJECT_ROOT

WORLD_PROVIDERS = ("exact_online", "csv_import")  # the sandbox world this module needs

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


def test_a_cli_run_is_a_run_of_its_job_and_re_executes_from_the_ui(world):
    connection = world.connections("csv_import")[0]
    outcome = run_import(defs, world.instance, world.control, connection, quiet=True)
    assert outcome.success
    run = world.instance.get_run_by_id(outcome.run_id)
    assert run.job_name == "import_csv_import"
    assert run.remote_job_origin.location_name == "monitr_pipeline"
    assert run.tags["dagster/partition"] == connection.partition_key
    assert run.tags["monitr/provider"] == "csv_import"
    listed = world.instance.get_runs(RunsFilter(job_name="import_csv_import"))
    assert outcome.run_id in {r.run_id for r in listed}

    target = WorkspaceFileTarget(paths=[str(PROJECT_ROOT / "workspace.yaml")])
    with WorkspaceProcessContext(world.instance, target) as workspace:
        answer = execute_dagster_graphql(workspace.create_request_context(), REEXECUTE,
                                         {"parentRunId": outcome.run_id})
    launched = answer.data["launchPipelineReexecution"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    child = world.instance.get_run_by_id(launched["run"]["runId"])
    assert child.parent_run_id == outcome.run_id
    assert child.tags["dagster/partition"] == connection.partition_key
    assert child.status is not DagsterRunStatus.FAILURE
