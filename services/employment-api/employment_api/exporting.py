"""employment-api's lists as XLSX: `dixian_shared.exports.exportable` headed with its own Chinese labels."""

from dixian_shared.exports import XLSX_RESPONSES, exportable_with
from employment_api.labels import EXPORT_LABELS

__all__ = ["XLSX_RESPONSES", "exportable"]

exportable = exportable_with(EXPORT_LABELS)
