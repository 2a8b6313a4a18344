"""Every problem a service can raise speaks Chinese: each ProblemError subclass of every importable package has a
Chinese title, and a Chinese detail wherever it has an English one, filled from the same parameters."""

import importlib
import pkgutil
import string
from collections.abc import Iterator

import pytest

from dixian_shared.errors import ProblemError

PACKAGES = ("dixian_shared", "monitoring_api", "funds_api", "employment_api", "dixian_worker")


def _import_all() -> None:
    for name in PACKAGES:
        try:
            package = importlib.import_module(name)
        except ImportError:  # a service not installed in this environment has no problems to check
            continue
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{name}."):
            if ".migrations" in module.name or module.name.endswith(("__main__", ".actors")):
                continue
            importlib.import_module(module.name)


def _subclasses(cls: type[ProblemError]) -> Iterator[type[ProblemError]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _owner(cls: type, attribute: str) -> type:
    """The class in cls's MRO that defines `attribute`."""
    return next(klass for klass in cls.__mro__ if attribute in vars(klass))


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


_import_all()
PROBLEMS = sorted(
    {cls for cls in _subclasses(ProblemError) if not cls.__module__.startswith("tests")},
    key=lambda c: f"{c.__module__}.{c.__qualname__}",
)


def test_the_walk_found_the_services_problems() -> None:
    modules = {cls.__module__.split(".")[0] for cls in PROBLEMS}
    assert {"dixian_shared", "monitoring_api"} <= modules
    assert len(PROBLEMS) > 80


@pytest.mark.parametrize("cls", PROBLEMS, ids=lambda c: f"{c.__module__}.{c.__qualname__}")
def test_every_problem_has_chinese_beside_its_english(cls: type[ProblemError]) -> None:
    # A class that words its own English title or detail words its own Chinese too (or a subclass of where the
    # English comes from does): inheriting a parent's Chinese under a child's English would say something else.
    assert cls.title_zh, "no Chinese title"
    assert issubclass(_owner(cls, "title_zh"), _owner(cls, "title")), "English title newer than the Chinese one"
    if cls.template:
        assert cls.template_zh, "an English detail template but no Chinese one"
        assert issubclass(_owner(cls, "template_zh"), _owner(cls, "template")), "English detail newer than Chinese"
        # The Chinese may use a parameter's Chinese twin (`reason` → `reason_zh`), passed beside it.
        english = _fields(cls.template)
        missing = _fields(cls.template_zh) - english - {f"{name}_zh" for name in english}
        assert not missing, f"the Chinese detail uses parameters the English one does not receive: {missing}"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in cls.template_zh + cls.title_zh)
