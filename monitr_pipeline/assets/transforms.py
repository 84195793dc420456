"""dbt_monitr as Dagster assets: staging, intermediate and marts, with dbt tests as asset checks."""

import os
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from dagster import AssetExecutionContext, AssetKey, AutomationCondition
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from monitr_pipeline.locking import file_lock
from monitr_pipeline.resources import MonitrResource
from monitr_pipeline.warehouse import warehouse_lock
from monitr_pipeline.settings import DBT_PROJECT_DIR

DBT_PROJECT = DbtProject(project_dir=DBT_PROJECT_DIR, profiles_dir=DBT_PROJECT_DIR)


def dbt_resource() -> DbtCliResource:
    # The dbt installed beside this interpreter, so an un-activated venv still finds it.
    return DbtCliResource(project_dir=DBT_PROJECT, dbt_executable=str(Path(sys.executable).parent / "dbt"))


def ensure_manifest(project: DbtProject = DBT_PROJECT) -> Path:
    """Parse the dbt project when its manifest is missing or older than its sources."""
    manifest = Path(project.manifest_path)
    sources = [p for pattern in ("models/**/*", "macros/**/*", "tests/**/*", "*.yml")
               for p in Path(project.project_dir).glob(pattern) if p.is_file()]
    newest = max((p.stat().st_mtime for p in sources), default=0)
    if manifest.exists() and manifest.stat().st_mtime >= newest:
        return manifest
    # Processes loading the definitions at once (a code server and a run, parallel test workers)
    # parse one after another; the later ones find the manifest fresh.
    with file_lock(manifest.parent / ".parse.lock", "the dbt project's parse", f"pid {os.getpid()}"):
        if not manifest.exists() or manifest.stat().st_mtime < newest:
            # profiles.yml has defaults for every warehouse variable: parsing needs no environment.
            dbt_resource().cli(["parse", "--quiet"], target_path=manifest.parent).wait()
    return manifest


class MonitrDbtTranslator(DagsterDbtTranslator):
    """Models keyed `<layer>/<model>`; sources keep `meta.dagster.asset_key` (raw/<provider>/<table>)."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(dbt_resource_props)
        fqn = dbt_resource_props["fqn"]
        layer = fqn[1] if len(fqn) > 2 else "models"
        return AssetKey([layer, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        # By layer, and staging by provider: 60-odd models in one group say nothing.
        fqn = dbt_resource_props["fqn"]
        if len(fqn) > 3 and fqn[1] == "staging":
            return f"staging_{fqn[2]}"
        return fqn[1] if len(fqn) > 2 else "transforms"

    def get_automation_condition(self, dbt_resource_props: Mapping[str, Any]
                                 ) -> AutomationCondition | None:
        # Not per landed import: the transforms_after_imports sensor builds once per window.
        return None


def build_dbt_assets():
    @dbt_assets(manifest=ensure_manifest(), project=DBT_PROJECT,
                dagster_dbt_translator=MonitrDbtTranslator(), name="dbt_monitr", pool="warehouse_dbt")
    def dbt_monitr_assets(context: AssetExecutionContext, dbt: DbtCliResource,
                          monitr: MonitrResource) -> Iterator[Any]:
        settings = monitr.settings()
        # profiles.yml reads the warehouse location from these variables.
        os.environ.update(settings.dbt_env())
        with warehouse_lock(settings, f"dbt build, Dagster run {context.run.run_id}"):
            yield from dbt.cli(["build"], context=context).stream()

    return dbt_monitr_assets
