"""The shape of the code, enforced: apps depend one way, nothing hides a cycle, every view passes an access gate.

The layer contracts themselves are import-linter's (pyproject.toml, run by `make test`); these tests add what it does
not check.
"""

import ast
import tomllib
from pathlib import Path

import grimp
import pytest
from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parent.parent
APPS = ("portal", "assessments", "reporting")
# The ways in: pages, the API, commands, template tags. Every other package of an app is domain code.
WAYS_IN = {"views", "api", "management", "templatetags", "migrations"}
GATES = {"signed in", "authority staff", "lead reporter", "reviewer", "admin", "access request deciders"}


def project_modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


class LateImports(ast.NodeVisitor):
    """Imports of the project's own modules inside a function or class body: how cycles get hidden."""

    def __init__(self, filename):
        self.filename, self.stack, self.found = filename, [], []

    def _scope(self, node):
        self.stack.append(node.name)
        self.generic_visit(node)
        self.stack.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _scope

    def _import(self, node, names):
        for name in names:
            if self.stack and name.split(".")[0] in APPS:
                self.found.append(f"{self.filename}:{node.lineno} {self.stack[-1]}() imports {name}")

    def visit_Import(self, node):
        self._import(node, [alias.name for alias in node.names])

    def visit_ImportFrom(self, node):
        self._import(node, [node.module or ""])


def late_imports(path):
    visitor = LateImports(path.name)
    visitor.visit(ast.parse(path.read_text(), filename=str(path)))
    return visitor.found


def test_no_function_hides_an_import_of_the_projects_own_modules():
    found = [line for path in project_modules() for line in late_imports(path)
             # Django's documented way of connecting signal receivers once every app is loaded.
             if not (line.startswith("apps.py:") and " ready() imports " in line)]
    assert found == []


def test_the_late_import_check_finds_one(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from reporting import services\n")
    assert late_imports(sample) and "f() imports reporting" in late_imports(sample)[0]


def test_no_two_modules_import_each_other_even_through_others():
    graph = grimp.build_graph(*APPS)
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            # A package's __init__ importing its own submodules is how it re-exports them, not a cycle.
            if imported.startswith(module + ".") or module.startswith(imported + "."):
                continue
            chain = graph.find_shortest_chain(importer=imported, imported=module)
            if chain and not any(a.startswith(b + ".") or b.startswith(a + ".") for a, b in zip(chain, chain[1:])):
                cycles.append(" -> ".join([module, *chain]))
    assert cycles == []


def walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern) in ("admin/", "accounts/"):
                # Django's admin checks staff and permissions itself; django-allauth's sign-in, reset and factor
                # pages are public or signed-in by their own decorators. tests/test_authorization_matrix.py probes
                # both with every role.
                continue
            yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


def test_every_view_is_wrapped_by_a_gate_of_the_access_module():
    unguarded = [(route, callback.__qualname__) for route, callback in walk(get_resolver().url_patterns)
                 if not (getattr(callback, "access", None) in GATES
                         or str(getattr(callback, "access", "")).startswith("public: "))]
    assert unguarded == []


@pytest.mark.parametrize("route", ["healthz", "calendar/<str:token>.ics"])
def test_public_pages_say_why_they_are_public(route):
    callback = dict(walk(get_resolver().url_patterns))[route]
    assert callback.access.startswith("public: ") and len(callback.access) > len("public: ") + 5


def contract(name):
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    return next(found for found in contracts if found["name"].startswith(name))


@pytest.mark.parametrize("name", ["Domain code never reaches for Celery", "Domain code never depends on the pages"])
def test_every_domain_package_is_held_by_the_contract(name):
    """import-linter checks only the modules a contract names: a package added to an app and left out of them would
    be free to reach for Celery or the pages unseen."""
    packages = [f"{app}.{init.parent.name}" for app in APPS for init in sorted((ROOT / app).glob("*/__init__.py"))
                if init.parent.name not in WAYS_IN]
    assert len(packages) > 5
    assert [package for package in packages if package not in contract(name)["source_modules"]] == []
