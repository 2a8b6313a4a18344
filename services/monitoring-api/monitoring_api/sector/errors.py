"""Errors of department batches and discrepancies."""

from dixian_shared.errors import Conflict, ProblemError, RuleViolation


class UnsupportedUpload(ProblemError):
    status, slug, title = 415, "unsupported-upload", "Unsupported upload format"
    template = "{reason}; send text/csv (charset utf-8 or gb18030) or application/x-ndjson, optionally gzipped"


class BadUpload(ProblemError):
    """The part as a whole cannot be read (encoding, compression, header); nothing of it is kept."""

    status, slug, title = 422, "bad-upload", "The uploaded part cannot be read"
    template = "{reason}"


class BatchIdReused(Conflict):
    slug = "batch-id-reused"
    template = (
        "batch id {department_batch_id} of {department} is batch {batch_id} for {data_type} {period}; "
        "a different batch needs a different id"
    )


class BatchClosed(Conflict):
    slug = "batch-closed"
    template = "batch {batch_id} is closed; parts can no longer be added"


class PartConflict(Conflict):
    slug = "part-conflict"
    template = "part {part_number} of batch {batch_id} was already received with different content"


class EmptyBatch(RuleViolation):
    slug = "empty-batch"
    template = "batch {batch_id} has no accepted rows; an empty batch would flag everyone, so it cannot be closed"


class StatusFlow(RuleViolation):
    slug = "discrepancy-status-flow"
    template = "a discrepancy in status {current} cannot move to {wanted}"


class NoteRequired(RuleViolation):
    slug = "note-required"
    template = "moving a discrepancy to {wanted} needs a note saying why"


class PersonKeyNotAllowed(ProblemError):
    status, slug, title = 403, "department-user", "Use the department's API key"
    template = "department data is pushed and read with the department's API key, which names its data types"
