"""Errors of the ledger spreadsheet."""

from dixian_shared.errors import InvalidField, Language, NotFound


class SheetProblem(InvalidField):
    def detail_in(self, language: Language) -> str:
        return self.template_zh.format(**self.kwargs) if language == "zh" else self.detail


class UnreadableSheet(SheetProblem):
    slug = "unreadable-sheet"
    title, title_zh = "The file cannot be read", "文件无法读取"
    template_zh = "上传的文件无法读取：请上传 .xlsx 或 CSV（UTF-8 或 GB18030）"

    def __init__(self, reason: str) -> None:
        super().__init__("file", reason, self.template_zh)


class WrongHeadings(SheetProblem):
    slug = "sheet-headings"
    title, title_zh = "Not the ledger template", "不是就业台账模板"
    template_zh = "表头应为：{expected}"

    def __init__(self, expected: str, found: str) -> None:
        super().__init__(
            "file",
            f"the first row must be the template's headings: {expected} (found: {found})",
            self.template_zh.format(expected=expected),
        )
        self.kwargs.update(expected=expected, found=found)


_CLOSED_EN = {
    "提交": ("submitted", "the town corrects it now"),
    "确认": ("confirmed", "upload it again with late_reason"),
}


class ClosedWhileQueued(SheetProblem):
    slug = "ledger-month-closed-while-queued"
    title, title_zh = "The month was closed while the file waited", "排队期间该月台账已提交或确认"
    template_zh = "{month} 台账在文件排队期间已{state}，{then}"

    def __init__(self, month: str, state: str, then: str) -> None:
        state_en, then_en = _CLOSED_EN[state]
        super().__init__(
            "file",
            f"the {month} ledger was {state_en} while the file waited for the worker: {then_en}",
            self.template_zh.format(month=month, state=state, then=then),
        )
        self.kwargs.update(month=month, state=state, then=then)


class UploadNotFound(NotFound):
    pass
