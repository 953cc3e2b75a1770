"""The shape of the project, enforced: which app may import which, and where writes live.

Layering (an app imports only apps on lower floors; apps on one floor do not import each
other):

    0  govuk_forms, audit       the form kit; the access log, history guards, retention registry
    1  partnership              agencies, committees, roles, reporting periods, policies' base
    2  accounts                 users, sign-in, two-factor, sessions, role grants
    3  records                  generic record services driven by per-record declarations
    4  cases                    casework and the chronology registry
    5  maog, actions            MAOG records; the action plan (both point at cases)
    6  casework                 IRDs, their action plans and "My tasks" (over cases and maog)
    7  performance              indicators and reports over cases, maog and actions
    8  api                      the REST API, tokens, export (reads every app below it)
    9  imports                  spreadsheet imports (write through api's idempotent put)
    10 demo                     demo seeding: the only app allowed to import every app

`cse_portal` (settings, URLs, Celery) wires the apps together and may import any of them;
no app imports it except demo. Views, forms and template tags never write to the database
themselves: they call a service (each app's services.py), which audits the write. No module
of the apps, `cse_portal`, `ops` or `bench` is over 500 lines (migrations and tests aside):
past that, it is split into modules of cohesive parts.
Migrations name other apps by string and are not scanned. Scans read source with `ast`, so
imports inside functions count too.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FLOORS: dict[str, int] = {
    "govuk_forms": 0,
    "audit": 0,
    "partnership": 1,
    "accounts": 2,
    "records": 3,
    # Uses only the registries (retention, subject access, processing) and accounts' roles.
    "governance": 3,
    "cases": 4,
    "maog": 5,
    "actions": 5,
    "casework": 6,
    "performance": 7,
    "api": 8,
    "imports": 9,
    "demo": 10,
}
PROJECT = "cse_portal"
# Top-level packages that are not apps of the product.
NOT_LAYERED = frozenset({PROJECT, "tests", "bench"})
# Modules of these packages stay under MAX_MODULE_LINES (the apps are added below).
SIZED_PACKAGES = (PROJECT, "ops", "bench")
MAX_MODULE_LINES = 500
# Calls that write whatever they are called on (a model instance, a form, a queryset).
ALWAYS_WRITES = frozenset(
    {"save", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
)
# Calls that write when called on a manager or queryset (dicts and sets have them too).
QUERYSET_WRITES = frozenset({"create", "update", "add", "remove", "set", "clear"})
QUERYSET_SOURCES = frozenset(
    {"objects", "filter", "exclude", "all", "select_for_update", "get_queryset", "using"}
)


def python_files(app: str) -> Iterator[Path]:
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts and "__pycache__" not in path.parts:
            yield path


def line_count(path: Path) -> int:
    with path.open("rb") as source:
        return sum(1 for _ in source)


def oversized_modules(limit: int = MAX_MODULE_LINES) -> dict[str, int]:
    """Modules over ``limit`` lines in the apps, the project package, ops and bench."""
    found = {}
    for package in (*FLOORS, *SIZED_PACKAGES):
        for path in python_files(package):
            if "tests" in path.relative_to(ROOT).parts:
                continue
            lines = line_count(path)
            if lines > limit:
                found[path.relative_to(ROOT).as_posix()] = lines
    return found


def imported_apps(source: str) -> set[str]:
    """Top-level project packages that `source` imports (anywhere in the module)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & (set(FLOORS) | {PROJECT})
    return found


def layering_violations(app: str, imported: set[str]) -> set[str]:
    """The imported apps `app` may not import."""
    if app == "demo":
        return set()
    allowed = {other for other, floor in FLOORS.items() if floor < FLOORS[app]}
    return imported - allowed - {app}


def _receiver_names(node: ast.expr) -> Iterator[str]:
    """Attribute and called-method names along a receiver chain (a.b.filter().c -> ...)."""
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            yield node.attr
            node = node.value
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            if isinstance(node, ast.Name):
                yield node.id
            return


def _module_aliases(tree: ast.AST) -> set[str]:
    """Names bound to modules (`from cases import extensions`): calls on them are functions."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {(alias.asname or alias.name).split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name[:1].islower():  # a module or a function, not a class
                    names.add(alias.asname or alias.name)
    return names


def database_writes(source: str) -> list[tuple[int, str]]:
    """(line, call) for each call in `source` that writes to the database directly."""
    tree = ast.parse(source)
    modules = _module_aliases(tree)
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method, receiver = node.func.attr, node.func.value
        if isinstance(receiver, ast.Name) and receiver.id in modules:
            continue  # a function of another module (a service), not a write here
        chain = set(_receiver_names(receiver))
        if method in ALWAYS_WRITES or method == "execute" and "cursor" in ast.unparse(receiver):
            found.append((node.lineno, ast.unparse(node.func)))
        elif method in QUERYSET_WRITES and (chain & QUERYSET_SOURCES or _related_manager(chain)):
            found.append((node.lineno, ast.unparse(node.func)))
    return found


def _related_manager(chain: set[str]) -> bool:
    return any(name.endswith("_set") for name in chain)


def interface_modules() -> Iterator[Path]:
    """Every views, forms and template-tag module of every app (packages included)."""
    for app in FLOORS:
        for path in python_files(app):
            parts = set(path.relative_to(ROOT).parts)
            stem = path.stem
            if (
                stem in {"views", "forms"}
                or stem.endswith(("_views", "_forms"))
                or parts & {"views", "forms", "templatetags"}
            ):
                yield path


# --- The rules hold for the project --------------------------------------------------


@pytest.mark.parametrize("app", sorted(FLOORS))
def test_each_app_imports_only_apps_below_it(app: str) -> None:
    assert (ROOT / app).is_dir(), f"{app} is in the layering but not in the tree"
    offending = {}
    for path in python_files(app):
        bad = layering_violations(app, imported_apps(path.read_text()))
        if bad:
            offending[str(path.relative_to(ROOT))] = sorted(bad)
    assert not offending, f"{app} (floor {FLOORS.get(app)}) imports apps above it: {offending}"


def test_every_project_package_has_a_floor() -> None:
    from django.conf import settings

    installed = {name.split(".")[0] for name in settings.INSTALLED_APPS if (ROOT / name).is_dir()}
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")} - NOT_LAYERED
    unplaced = (installed | packages) - set(FLOORS)
    assert not unplaced, f"place these packages in FLOORS: {sorted(unplaced)}"


def test_views_forms_and_template_tags_write_only_through_services() -> None:
    modules = list(interface_modules())
    assert len(modules) >= 8  # the scan finds the modules it is meant to read
    writes = {
        str(path.relative_to(ROOT)): database_writes(path.read_text())
        for path in modules
        if database_writes(path.read_text())
    }
    assert not writes, f"database writes outside a service: {writes}"


def test_no_module_is_over_500_lines() -> None:
    oversized = oversized_modules()
    assert not oversized, f"split these modules (over {MAX_MODULE_LINES} lines): {oversized}"


# --- The checks catch what they are meant to catch (they can fail) --------------------


def test_the_size_check_sees_every_sized_package() -> None:
    # A limit of zero lists every module read: the apps, cse_portal, ops and bench, but no
    # migration.
    read = oversized_modules(limit=0)
    assert {path.split("/")[0] for path in read} >= {*FLOORS, *SIZED_PACKAGES} - {"ops"}
    assert "ops/architecture_diagram.py" in read
    assert not any("/migrations/" in path for path in read)
    assert "maog/selectors/network.py" in read


def test_the_import_check_sees_every_kind_of_import() -> None:
    source = (
        "import maog.models\n"
        "from actions import services\n"
        "def f():\n"
        "    from performance.indicators import compute\n"
        "from .local import thing\n"
        "import django.db\n"
    )
    assert imported_apps(source) == {"maog", "actions", "performance"}
    assert layering_violations("cases", imported_apps(source)) == {
        "maog",
        "actions",
        "performance",
    }
    assert layering_violations("partnership", {"accounts", "audit"}) == {"accounts"}
    assert layering_violations("partnership", {"cse_portal"}) == {"cse_portal"}
    assert layering_violations("accounts", {"partnership", "audit", "govuk_forms"}) == set()
    assert layering_violations("maog", {"actions"}) == {"actions"}  # same floor
    assert layering_violations("demo", set(FLOORS) | {PROJECT}) == set()


def test_the_write_check_finds_writes_and_ignores_lookalikes() -> None:
    source = (
        "from cases import services\n"
        "from cases.models import Referral\n"
        "def view(request, form, referral, context):\n"
        "    form.save()\n"
        "    referral.delete()\n"
        "    Referral.objects.create(x=1)\n"
        "    Referral.objects.filter(pk=1).update(x=2)\n"
        "    referral.shares.all().delete()\n"
        "    referral.note_set.add(1)\n"
        "    Referral.objects.get_or_create(x=3)\n"
        "    connection.cursor().execute('DELETE FROM t')\n"
        "    context.update({'a': 1})\n"
        "    form.fields['x'].widget.attrs.update({'class': 'y'})\n"
        "    seen = set(); seen.add(1)\n"
        "    services.referral_create(actor=request.user)\n"
        "    services.save(form)\n"
    )
    lines = [line for line, _ in database_writes(source)]
    assert lines == [4, 5, 6, 7, 8, 9, 10, 11]
