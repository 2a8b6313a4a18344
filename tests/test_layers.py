"""The house rules of CONTRIBUTING.md that a machine can check: who may import whom, and where SQL is written."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVICE_PACKAGES = {
    "monitoring_api": ROOT / "services" / "monitoring-api" / "monitoring_api",
    "funds_api": ROOT / "services" / "funds-api" / "funds_api",
    "employment_api": ROOT / "services" / "employment-api" / "employment_api",
}
SHARED = ROOT / "shared" / "dixian_shared"
# Names that build SQL: only query modules (repository.py and the domain's named query modules) import them.
SQL_BUILDERS = {"select", "insert", "update", "delete", "text", "func", "and_", "or_", "exists", "union_all", "case"}


def _imports(path: Path) -> list[tuple[str, list[str]]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, []) for alias in node.names)
    return found


def _sources(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*.py") if "migrations" not in p.parts]


def test_services_never_import_each_other() -> None:
    offences = []
    for package, folder in SERVICE_PACKAGES.items():
        others = set(SERVICE_PACKAGES) - {package}
        for path in _sources(folder):
            for module, _ in _imports(path):
                if module.split(".")[0] in others:
                    offences.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offences == []


def test_the_shared_package_imports_no_service_and_no_worker() -> None:
    forbidden = {*SERVICE_PACKAGES, "dixian_worker"}
    offences = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in _sources(SHARED)
        for module, _ in _imports(path)
        if module.split(".")[0] in forbidden
    ]
    assert offences == []


def test_endpoints_and_services_write_no_sql() -> None:
    offences = []
    for folder in SERVICE_PACKAGES.values():
        for path in [*folder.rglob("endpoints.py"), *folder.rglob("service.py")]:
            for module, names in _imports(path):
                sql_module = module == "sqlalchemy" or module.startswith(("sqlalchemy.sql", "sqlalchemy.dialects"))
                if sql_module and (built := SQL_BUILDERS.intersection(names)):
                    offences.append(f"{path.relative_to(ROOT)} imports {sorted(built)} from {module}")
    assert offences == []


def test_the_sector_intake_never_imports_the_cross_check() -> None:
    intake = SERVICE_PACKAGES["monitoring_api"] / "sector" / "intake"
    offences = [
        f"{path.relative_to(ROOT)} imports {module}"
        for path in _sources(intake)
        for module, _ in _imports(path)
        if module.startswith("monitoring_api.sector.crosscheck")
    ]
    assert offences == []
