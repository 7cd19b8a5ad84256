"""Does everything the portal imports install from requirements.txt? Run by tests/test_full_stack.py with the python of
a venv built from requirements.txt alone, where pytest and the other test packages are not.

Every import of the runtime code (manage.py, portal, assessments, reporting), at the top of a module or inside a
function, and Celery's Redis transport, which kombu imports by name only when a redis:// broker is used: a module
missing from requirements.txt would otherwise show only in the process that first reaches it. Prints what fails to
import and exits 1.
"""

import ast
import importlib
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ("portal", "assessments", "reporting")
BY_NAME = ["kombu.transport.redis"]


def imported_names(path):
    """(module, where) for each import of the file; `from a import b` gives a.b too, in case b is a module."""
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import):
            yield from ((alias.name, where) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module, where
            yield from ((f"{node.module}.{alias.name}", where) for alias in node.names if alias.name != "*")


def problems():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    files = [ROOT / "manage.py", *(path for app in APPS for path in sorted((ROOT / app).rglob("*.py")))]
    names = [(name, "broker URL") for name in BY_NAME]
    names += [(".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"), "module")
              for path in files[1:]]
    names += [item for path in files for item in imported_names(path)]
    found = {}
    for name, where in names:
        parent, _, attribute = name.rpartition(".")
        try:
            importlib.import_module(name)
        except ImportError as exc:
            # `from a import b` where b is a name in a, not a module: fine when a has it.
            if parent and attribute and hasattr(sys.modules.get(parent), attribute):
                continue
            found.setdefault(f"{name}: {exc}", where)
    return found


if __name__ == "__main__":
    missing = problems()
    for problem, where in missing.items():
        print(f"{where}: {problem}")
    sys.exit(1 if missing else 0)
