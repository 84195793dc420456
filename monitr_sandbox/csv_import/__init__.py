"""CSV import sandbox: an upload folder of Dutch and Belgian exports written from sandbox ledgers.

No API to emulate (API_FACTS.md section 17: 'No provider API'): the 'emulator' is a folder.
Formats follow what NL/BE packages and Excel write (docs/csv_templates.md): `;` with decimal
commas, grouped thousands and dd-mm-yyyy in UTF-8 with a BOM (Excel's 'CSV UTF-8'), and `,` with
decimal points and ISO dates in Windows-1252 (Excel's plain 'CSV' on a Windows machine), with Dutch
and French column headers. Test controls replace HTTP faults: write_file, remove_file and
replace_in_file change the folder as a user's upload would; request_log lists those writes.
"""

from monitr_sandbox.csv_import.provider import CsvImportSandboxProvider
from monitr_sandbox.csv_import.uploads import UPLOAD_PROFILES, CsvUploads, UploadProfile

SANDBOX = CsvImportSandboxProvider()

__all__ = ["SANDBOX", "UPLOAD_PROFILES", "CsvImportSandboxProvider", "CsvUploads", "UploadProfile"]
