"""Dagster resources: settings and the control plane, resolved when a run or tick needs them."""

from __future__ import annotations

from dagster import ConfigurableResource

from monitr_pipeline.control.service import ControlPlane
from monitr_pipeline.settings import Settings


class MonitrResource(ConfigurableResource):
    """Reads the environment at use, not at import, so tests and deployments can point it anywhere."""

    def settings(self) -> Settings:
        return Settings.from_env()

    def control_plane(self) -> ControlPlane:
        return ControlPlane.from_settings(self.settings())
