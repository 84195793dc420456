"""The CSV upload folder in the sandbox: no server; connecting creates a file-upload integration."""

from __future__ import annotations

from pathlib import Path

from monitr_pipeline.control.service import ControlPlane
from monitr_sandbox.csv_import.uploads import CsvUploads
from monitr_sandbox.provider import SandboxProvider

UPLOAD_FOLDER_NAME = "csv_import_uploads"


class CsvImportSandboxProvider(SandboxProvider):
    slug = "csv_import"

    def create_emulator(self, environment: str, state_path: Path, day: int,
                        relaxed_limits: bool) -> CsvUploads:
        return CsvUploads(state_path.parent / UPLOAD_FOLDER_NAME, state_path=state_path, day=day)

    def wsgi_app(self, emulator: CsvUploads) -> None:
        return None  # files, not an API

    def location(self, emulator: CsvUploads) -> str:
        return str(emulator.folder)

    def connect(self, control: ControlPlane, organisation_id: int, environment: str,
                base_url: str, emulator: CsvUploads) -> int:
        # A user connects CSV by choosing the upload folder; there is no secret. The credentials
        # only record how files arrive (an integration without any is 'pending auth').
        return control.create_integration(
            organisation_id, self.slug, "CSV import", "file_upload",
            credentials={"upload_method": "folder"}, environment=environment, base_url=base_url)
