"""Problems of the sync's API."""

from dixian_shared.errors import RuleViolation


class ConflictResolved(RuleViolation):
    slug = "conflict-resolved"
    title = "Conflict already resolved"
    template = "conflict {conflict_id} was resolved already (kept: {kept})"
    title_zh = "冲突已处理"
    template_zh = "冲突{conflict_id}已处理（保留：{kept}）"
