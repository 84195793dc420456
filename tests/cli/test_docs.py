"""`monitr docs`: the dbt docs site of the warehouse, in which every column of every mart as built
is described for analysts (the catalog read from the warehouse against the project's docs)."""

from __future__ import annotations

import json

from monitr_pipeline.cli import main
from monitr_pipeline.definitions import defs
from monitr_pipeline.runner import run_import, run_transforms

WORLD_PROVIDERS = ("exact_online",)  # the sandbox world this module needs


def test_the_docs_site_describes_every_mart_column(world, capsys):
    connection = world.connections("exact_online")[0]
    assert run_import(defs, world.instance, world.control, connection, quiet=True).success
    assert run_transforms(defs, world.instance)
    capsys.readouterr()

    assert main(["docs", "--no-serve"]) == 0
    site = world.settings.home / "dbt_docs"
    assert str(site / "index.html") in capsys.readouterr().out
    assert (site / "index.html").stat().st_size > 0
    catalog = json.loads((site / "catalog.json").read_text())
    manifest = json.loads((site / "manifest.json").read_text())

    # Models only: tests store their failing rows as tables too (audit.<test>), under marts' fqn.
    marts = {unique_id: node for unique_id, node in catalog["nodes"].items()
             if unique_id in manifest["nodes"] and manifest["nodes"][unique_id]["fqn"][1] == "marts"
             and manifest["nodes"][unique_id]["resource_type"] == "model"}
    assert "model.monitr.fct_gl_lines" in marts and "model.monitr.fct_account_balances" in marts
    undescribed = []
    for unique_id, node in sorted(marts.items()):
        model = manifest["nodes"][unique_id]
        assert model["description"].strip(), f"{model['name']} has no description"
        documented = {name.lower(): column["description"].strip()
                      for name, column in model["columns"].items()}
        undescribed += [f"{model['name']}.{column}" for column in node["columns"]
                        if not documented.get(column.lower())]
    assert undescribed == [], "\n".join(undescribed)
