"""Lint: no QuerySet.update() or bulk write on an audited model outside history-aware helpers.

`Model.objects.filter(...).update(...)`, `bulk_create` and `bulk_update` skip save() and
its signals, so django-simple-history records nothing: the change would be invisible in the
record's history. The check reads the source (AST) and flags calls whose receiver chain
starts at an audited model's name (a model with `history`, or AccessEvent). It cannot follow
a queryset through a variable; it is a guard against the common form, kept simple.
"""

import ast
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
WRITE_METHODS = {"update", "bulk_create", "bulk_update"}
SKIP_DIRS = {".venv", "node_modules", "tests", "migrations", "bench", "var", "static", ".git"}
# path (relative to the repository) -> why bulk writes there are acceptable.
ALLOWED_FILES = {
    "demo/management/commands/seed_demo.py": "demo data, no real history to keep",
    "accounts/demo.py": "demo data, no real history to keep",
    "maog/demo.py": "demo data: rows go in with bulk_create_with_history; only the "
    "m2m rows of seeded allegations are bulk-inserted, synthetic, no real history to keep",
    "records/services.py": "the batch create of imports: records go in with "
    "bulk_create_with_history (one history row each, the importing user as author); the "
    "AccessEvent rows of the batch in one insert (the log has no history)",
    "api/services.py": "AccessEvent rows only, for the records an API page returned, in one "
    "insert (the log has no history or signals; one save() per row would make a page's "
    "queries grow with its rows)",
}


def _audited_model_names() -> set[str]:
    names = {"AccessEvent"}
    for model in apps.get_models():
        if hasattr(model, "history") and not model.__name__.startswith("Historical"):
            names.add(model.__name__)
    return names


def _root_name(node: ast.AST) -> str | None:
    """The name a call chain starts from: YoungPerson in YoungPerson.objects.filter().update."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Name):
            return node.id
        else:
            return None


def find_bulk_writes(source: str, audited: set[str]) -> list[tuple[int, str]]:
    findings = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in WRITE_METHODS
        ):
            root = _root_name(node.func.value)
            if root in audited:
                findings.append((node.lineno, f"{root}...{node.func.attr}()"))
    return findings


def _python_files() -> list[Path]:
    files = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if set(relative.parts[:-1]) & SKIP_DIRS:
            continue
        files.append(path)
    return files


def test_the_lint_finds_what_it_should() -> None:
    audited = {"YoungPerson", "AccessEvent"}
    source = (
        "YoungPerson.objects.filter(pk=1).update(legal_hold=True)\n"
        "AccessEvent.objects.bulk_create([])\n"
        "YoungPerson.objects.all()[:5].update(x=1)\n"
        "context.update({'a': 1})\n"
        "Agency.objects.filter().update(x=1)\n"
    )
    assert [line for line, _ in find_bulk_writes(source, audited)] == [1, 2, 3]


def test_no_bulk_writes_on_audited_models_outside_the_allow_list() -> None:
    audited = _audited_model_names()
    assert {"YoungPerson", "Intelligence", "Agency", "AccessEvent"} <= audited
    offenders = []
    for path in _python_files():
        relative = path.relative_to(ROOT).as_posix()
        if relative in ALLOWED_FILES:
            continue
        for line, call in find_bulk_writes(path.read_text(encoding="utf-8"), audited):
            offenders.append(f"{relative}:{line}: {call}")
    assert offenders == [], (
        "Bulk writes skip django-simple-history; save() each row in a service, or add the "
        "file to ALLOWED_FILES with the reason its history is kept another way:\n"
        + "\n".join(offenders)
    )
