"""Errors of department batches and discrepancies."""

from dixian_shared.errors import Conflict, ProblemError, RuleViolation


class UnsupportedUpload(ProblemError):
    status, slug, title = 415, "unsupported-upload", "Unsupported upload format"
    title_zh = "不支持的上传格式"
    template_zh = "{reason}；请以 text/csv（utf-8 或 gb18030 编码）或 application/x-ndjson 上传，可用 gzip 压缩"
    template = "{reason}; send text/csv (charset utf-8 or gb18030) or application/x-ndjson, optionally gzipped"


class BadUpload(ProblemError):
    """The part as a whole cannot be read (encoding, compression, header); nothing of it is kept."""

    status, slug, title = 422, "bad-upload", "The uploaded part cannot be read"
    title_zh = "上传的分片无法读取"
    template_zh = "{reason}"
    template = "{reason}"


class BatchIdReused(Conflict):
    slug = "batch-id-reused"
    title_zh = "批次号已被使用"
    template_zh = (
        "{department} 的批次号 {department_batch_id} 已是批次 {batch_id}（{data_type}，{period}），"
        "不同的批次请用不同的批次号"
    )
    template = (
        "batch id {department_batch_id} of {department} is batch {batch_id} for {data_type} {period}; "
        "a different batch needs a different id"
    )


class BatchClosed(Conflict):
    slug = "batch-closed"
    title_zh = "批次已关闭"
    template_zh = "批次 {batch_id} 已关闭，不能再添加分片"
    template = "batch {batch_id} is closed; parts can no longer be added"


class PartConflict(Conflict):
    slug = "part-conflict"
    title_zh = "分片内容不一致"
    template_zh = "批次 {batch_id} 的第 {part_number} 个分片已按不同内容接收"
    template = "part {part_number} of batch {batch_id} was already received with different content"


class EmptyBatch(RuleViolation):
    slug = "empty-batch"
    title_zh = "批次没有有效数据"
    template_zh = "批次 {batch_id} 没有被接受的数据行；空批次会把所有人标为疑点，因此不能关闭"
    template = "batch {batch_id} has no accepted rows; an empty batch would flag everyone, so it cannot be closed"


class StatusFlow(RuleViolation):
    slug = "discrepancy-status-flow"
    title_zh = "疑点状态不能这样变更"
    template_zh = "{current}的比对疑点不能改为{wanted}"
    template = "a discrepancy in status {current} cannot move to {wanted}"


class NoteRequired(RuleViolation):
    slug = "note-required"
    title_zh = "须说明理由"
    template_zh = "将比对疑点改为{wanted}须在备注中说明理由"
    template = "moving a discrepancy to {wanted} needs a note saying why"


class PersonKeyNotAllowed(ProblemError):
    status, slug, title = 403, "department-user", "Use the department's API key"
    title_zh = "请使用部门的 API 密钥"
    template_zh = "部门数据通过部门的 API 密钥报送和读取，密钥载明其数据类型"
    template = "department data is pushed and read with the department's API key, which names its data types"
