"""The funds service's base for business-rule refusals: the rule name is fixed by the class."""

from typing import Any, ClassVar

from dixian_shared.errors import Conflict, FieldError, RuleViolation


class FundsRule(RuleViolation):
    """A RuleViolation whose rule name is fixed by the class; callers pass only the template's values."""

    rule_name: ClassVar[str]

    def __init__(self, detail: str | None = None, *, field: str | None = None, **kwargs: Any) -> None:
        super().__init__(detail, rule=self.rule_name, **kwargs)
        if field is not None:
            # Chinese is what users read by default; the English detail stays on the problem for Accept-Language: en.
            self.errors = [FieldError(field=field, message=self.detail_in("zh"))]


class FundsConflict(Conflict):
    """A 409 that names the rule: the request clashes with the record's current state."""

    rule_name: ClassVar[str]

    def __init__(self, detail: str | None = None, **kwargs: Any) -> None:
        super().__init__(detail, rule=self.rule_name, **kwargs)
