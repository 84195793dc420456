"""Runs started by the CLI and the demo are runs of the job on the Dagster instance, the same as
a schedule's or the UI's: created with the job's origin (the code location the UI serves, the
repository, the job) so the UI lists them under their job and can re-execute them, then executed
here, in this process, and waited for; no daemon needs to be up."""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence

from dagster import AssetKey, DagsterInstance
from dagster._core.definitions.reconstruct import ReconstructableJob, ReconstructableRepository
from dagster._core.execution.api import execute_run
from dagster._core.execution.job_execution_result import JobExecutionResult
from dagster._core.remote_origin import (
    ManagedGrpcPythonEnvCodeLocationOrigin,
    RemoteJobOrigin,
    RemoteRepositoryOrigin,
)
from dagster._core.storage.dagster_run import DagsterRun
from dagster._core.types.loadable_target_origin import LoadableTargetOrigin

from monitr_pipeline.settings import PROJECT_ROOT

DEFINITIONS_MODULE = "monitr_pipeline.definitions"
# workspace.yaml and pyproject's [tool.dagster] name the code location so.
CODE_LOCATION = "monitr_pipeline"
# The repository a Definitions object becomes.
REPOSITORY = "__repository__"


def _repository() -> ReconstructableRepository:
    return ReconstructableRepository.for_module(DEFINITIONS_MODULE, "defs",
                                                working_directory=str(PROJECT_ROOT))


def job_origin(job_name: str) -> RemoteJobOrigin:
    location = ManagedGrpcPythonEnvCodeLocationOrigin(
        LoadableTargetOrigin(executable_path=sys.executable, module_name=DEFINITIONS_MODULE,
                             working_directory=str(PROJECT_ROOT)),
        location_name=CODE_LOCATION)
    return RemoteJobOrigin(RemoteRepositoryOrigin(location, REPOSITORY), job_name)


def create_job_run(instance: DagsterInstance, job_name: str, *, tags: Mapping[str, str],
                   partition_key: str | None = None, run_config: Mapping | None = None,
                   asset_selection: Sequence[AssetKey] | None = None
                   ) -> tuple[DagsterRun, ReconstructableJob]:
    """A run of the job as the UI or a schedule would create it (with the job's origin), not yet
    started; and the job to execute it with."""
    from monitr_pipeline.definitions import defs

    recon_job = _repository().get_reconstructable_job(job_name)
    job_def = defs.resolve_job_def(job_name)
    if asset_selection:
        recon_job = recon_job.get_subset(asset_selection=frozenset(asset_selection))
        job_def = job_def.get_subset(asset_selection=frozenset(asset_selection))
    run_tags = dict(tags)
    if partition_key is not None:
        run_tags["dagster/partition"] = partition_key
    run = instance.create_run_for_job(
        job_def, run_config=run_config, tags=run_tags,
        asset_selection=frozenset(asset_selection) if asset_selection else None,
        remote_job_origin=job_origin(job_name), job_code_origin=recon_job.get_python_origin())
    return run, recon_job


def execute_job_run(instance: DagsterInstance, job_name: str, *, tags: Mapping[str, str],
                    partition_key: str | None = None, run_config: Mapping | None = None,
                    asset_selection: Sequence[AssetKey] | None = None) -> JobExecutionResult:
    run, recon_job = create_job_run(instance, job_name, tags=tags, partition_key=partition_key,
                                    run_config=run_config, asset_selection=asset_selection)
    return execute_run(recon_job, run, instance)
