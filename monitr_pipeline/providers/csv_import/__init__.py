"""CSV import (file upload): GL lines, accounts, projects, hours and project costs from Dutch and
Belgian exports dropped in an upload folder, one sub-folder per administration."""

from monitr_pipeline.providers.csv_import.adapter import CsvImportAdapter
from monitr_pipeline.providers.csv_import.spec import SPEC

ADAPTER = CsvImportAdapter()

__all__ = ["ADAPTER", "SPEC", "CsvImportAdapter"]
