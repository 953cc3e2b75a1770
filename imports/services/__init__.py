"""Spreadsheet imports: upload, check every row (preview), commit the valid rows through the
case services, roll a batch back. For agency managers, on their own agency's batches.

Every record is written by the same services as the forms (``records.services``, in bulk a
chunk at a time), with a reference per row (the file's own reference column, or a digest of
the row), so a re-import finds what the first import made instead of making it twice.
"""

from imports.services.commit import batch_commit, batch_download_record, batch_rollback
from imports.services.common import (
    CHUNK,
    ERROR_CONFLICT,
    ERROR_DOB_FUTURE,
    ERROR_LIKELY_MATCH,
    ERROR_NOT_COMMITTED,
    ERROR_ROLLBACK_LATE,
    ERROR_SEX_FOR_NEW,
    MODELS,
    RECORD_TYPES,
    ROLLBACK_WINDOW,
    SOURCE,
    can_import,
    cell_text,
    row_reference,
)
from imports.services.preview import batch_check, batch_upload, mapping_save, row_decide

__all__ = [
    "CHUNK",
    "ERROR_CONFLICT",
    "ERROR_DOB_FUTURE",
    "ERROR_LIKELY_MATCH",
    "ERROR_NOT_COMMITTED",
    "ERROR_ROLLBACK_LATE",
    "ERROR_SEX_FOR_NEW",
    "MODELS",
    "RECORD_TYPES",
    "ROLLBACK_WINDOW",
    "SOURCE",
    "batch_check",
    "batch_commit",
    "batch_download_record",
    "batch_rollback",
    "batch_upload",
    "can_import",
    "cell_text",
    "mapping_save",
    "row_decide",
    "row_reference",
]
