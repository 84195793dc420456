"""dbt_monitr as Dagster assets: staging, intermediate and marts, with dbt tests as asset checks."""

import os
import sys
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from dagster import (
    AssetCheckSpec,
    AssetExecutionContext,
    AssetKey,
    AssetSpec,
    AutomationCondition,
)
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from monitr_pipeline.assets.check_failures import with_failing_rows
from monitr_pipeline.assets.owners import DATA_OWNER
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
    sources = [p for pattern in ("models/**/*", "macros/**/*", "tests/**/*", "seeds/**/*", "*.yml")
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

    def get_owners(self, dbt_resource_props: Mapping[str, Any]) -> Sequence[str] | None:
        return dbt_resource_props.get("meta", {}).get("owners") or [DATA_OWNER]

    def get_asset_check_spec(self, asset_spec: AssetSpec, manifest: Mapping[str, Any],
                             unique_id: str, project: DbtProject | None) -> AssetCheckSpec | None:
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or spec.description:
            return spec
        return spec._replace(description=dbt_test_description(manifest["nodes"][unique_id]))

    def get_automation_condition(self, dbt_resource_props: Mapping[str, Any]
                                 ) -> AutomationCondition | None:
        # Not per landed import: the transforms_after_imports sensor builds once per window.
        return None


def dbt_test_description(test: Mapping[str, Any]) -> str:
    """What a dbt test checks, in the words the UI shows on its asset check: the test's own
    description; else a generic test's name, column and arguments; else a singular test's
    leading comment."""
    if test.get("description"):
        return test["description"]
    severity = test.get("config", {}).get("severity", "ERROR").upper()
    outcome = ("a failure fails the build and blocks the models downstream"
               if severity == "ERROR" else "a failure warns and blocks nothing")
    metadata = test.get("test_metadata")
    if metadata:
        arguments = {k: v for k, v in metadata.get("kwargs", {}).items()
                     if k not in ("model", "column_name")}
        target = test["attached_node"].split(".")[-1] if test.get("attached_node") else ""
        column = f".{test['column_name']}" if test.get("column_name") else ""
        name = ".".join(filter(None, (metadata.get("namespace"), metadata["name"])))
        shown = f" ({', '.join(f'{k}: {v}' for k, v in arguments.items())})" if arguments else ""
        return f"dbt test {name} on {target}{column}{shown}; {outcome}."
    comment = [line.strip()[2:].strip() for line in test.get("raw_code", "").splitlines()
               if line.strip().startswith("--")]
    return f"{' '.join(comment) or 'dbt test ' + test['name']} ({outcome})."


def build_dbt_assets():
    @dbt_assets(manifest=ensure_manifest(), project=DBT_PROJECT,
                dagster_dbt_translator=MonitrDbtTranslator(), name="dbt_monitr", pool="warehouse_dbt")
    def dbt_monitr_assets(context: AssetExecutionContext, dbt: DbtCliResource,
                          monitr: MonitrResource) -> Iterator[Any]:
        from monitr_pipeline.account_mapping_table import export_account_mapping_overrides

        settings = monitr.settings()
        # profiles.yml reads the warehouse location from these variables.
        os.environ.update(settings.dbt_env())
        # A subset (a selection in the UI, `monitr transform --select`) runs the tests whose every
        # parent it builds: the report checks read several marts (open items against account
        # balances, rates against GL lines), and dbt's default would run them on marts this run
        # did not build. A whole build selects every parent, so nothing changes for it.
        os.environ["DBT_INDIRECT_SELECTION"] = "cautious"
        waiter = f"dbt build, Dagster run {context.run.run_id}"
        with warehouse_lock(settings, waiter):
            # dim_account_mappings reads the overrides as the control plane has them now; the
            # lock is held already (and not re-entrant).
            export_account_mapping_overrides(settings, monitr.control_plane(), waiter,
                                             lock_held=True)
            build = dbt.cli(["build"], context=context)
            # A failed test's check shows its failing rows (entity, period, difference).
            yield from with_failing_rows(build.stream(), build.manifest, settings)

    return dbt_monitr_assets
