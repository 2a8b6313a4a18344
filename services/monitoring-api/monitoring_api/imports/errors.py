"""Errors of the household import."""

from typing import Any

from dixian_shared.errors import FieldError, Language, Problem, ProblemError, RuleViolation
from monitoring_api.imports.schemas import ImportReport


class UnreadableFile(ProblemError):
    status, slug, title = 422, "import-unreadable-file", "The file cannot be read"
    template = "{reason}"

    def __init__(self, reason: str) -> None:
        super().__init__(reason=reason, errors=[FieldError(field="file", message=reason)])


class BadHeader(ProblemError):
    status, slug, title = 422, "import-bad-header", "The file's header row is not the national export's"
    template = "{problems}"


class EmptyImport(ProblemError):
    status, slug, title = 422, "import-empty", "Nothing to import"
    template = "the file has a header but no member rows"

    def __init__(self) -> None:
        super().__init__(errors=[FieldError(field="file", message=self.template)])


class ImportProblem(Problem):
    report: ImportReport


class ImportRejected(RuleViolation):
    """Strict mode: one bad row refuses the whole file; the report says which rows and why."""

    slug = "import-rejected"
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
