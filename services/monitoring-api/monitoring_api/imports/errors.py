"""Errors of the household import."""

from typing import Any

from dixian_shared.errors import FieldError, Language, Problem, ProblemError, RuleViolation
from monitoring_api.imports.schemas import ImportReport


class UnreadableFile(ProblemError):
    status, slug, title = 422, "import-unreadable-file", "The file cannot be read"
    title_zh = "文件无法读取"
    template_zh = "文件无法读取：{reason}"
    template = "{reason}"

    def __init__(self, reason: str, reason_zh: str | None = None) -> None:
        super().__init__(
            detail_zh=reason_zh, reason=reason, errors=[FieldError(field="file", message=reason_zh or reason)]
        )


class BadHeader(ProblemError):
    status, slug, title = 422, "import-bad-header", "The file's header row is not the national export's"
    title_zh = "表头与国家系统导出格式不一致"
    template_zh = "表头有误：缺少列［{missing}］，重复列［{repeated}］"
    template = "the header row is wrong: missing columns [{missing}], repeated columns [{repeated}]"


class EmptyImport(ProblemError):
    status, slug, title = 422, "import-empty", "Nothing to import"
    title_zh = "没有可导入的内容"
    template_zh = "文件只有表头，没有成员行"
    template = "the file has a header but no member rows"

    def __init__(self) -> None:
        super().__init__(errors=[FieldError(field="file", message=self.template_zh)])


class ImportProblem(Problem):
    report: ImportReport


class ImportRejected(RuleViolation):
    """Strict mode: one bad row refuses the whole file; the report says which rows and why."""

    slug = "import-rejected"
    title_zh = "导入被拒绝"
    template_zh = "{rows} 行中有 {rejected} 行有误；严格模式下整个文件未导入"
    template = "{rejected} of {rows} rows are bad; in strict mode nothing was imported"

    def __init__(self, report: ImportReport, **kwargs: Any) -> None:
        errors = [FieldError(field=f"file.{e.row}.{e.field}", message=e.reason) for e in report.errors]
        super().__init__(
            errors=errors, rule="import-all-or-nothing", rejected=report.rejected_rows, rows=report.rows, **kwargs
        )
        self.report = report

    def to_problem(self, instance: str | None = None, language: Language = "zh") -> Problem:
        base = super().to_problem(instance, language)
        return ImportProblem(**base.model_dump(), report=self.report)
