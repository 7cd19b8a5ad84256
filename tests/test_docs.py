"""The documentation stays readable and whole: a README a newcomer reads in ten minutes, and no link leads nowhere.

Cheap and offline: it reads README.md, docs/*.md and bench/RESULTS.md, follows their relative links to files of the
checkout and, for a link with a #fragment, to a heading of the file it names (spelled as GitHub spells anchors).
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README_MAX_WORDS = 2500
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.DOTALL | re.MULTILINE)
HEADING = re.compile(r"^#{1,6} +(.+?) *#*$", re.MULTILINE)


def documents():
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "bench" / "RESULTS.md"]


def prose(path):
    """The file's text without its fenced code (a `#` comment there is no heading, a `[0](x)` no link)."""
    return FENCE.sub("", path.read_text())


def anchors(path):
    """GitHub's anchors: lower case, punctuation dropped, spaces as hyphens, a repeated heading numbered."""
    seen, found = {}, set()
    for heading in HEADING.findall(prose(path)):
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def broken_links(path):
    broken = []
    for target in LINK.findall(prose(path)):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # https:, mailto:: not ours to check offline
            continue
        file_part, _, fragment = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            broken.append(f"{path.relative_to(ROOT)}: {target} (no such file)")
        elif fragment and linked.suffix == ".md" and fragment not in anchors(linked):
            broken.append(f"{path.relative_to(ROOT)}: {target} (no such heading)")
    return broken


def test_the_readme_is_read_in_ten_minutes():
    words = len((ROOT / "README.md").read_text().split())  # as `wc -w` counts
    assert words <= README_MAX_WORDS, f"README.md has {words} words: move detail to docs/ (at most {README_MAX_WORDS})"


def test_every_relative_link_of_the_documentation_leads_somewhere():
    assert len(documents()) > 5 and all(path.exists() for path in documents())
    broken = [problem for path in documents() for problem in broken_links(path)]
    assert broken == [], "\n".join(broken)


def test_the_readme_points_to_every_topic_of_docs():
    readme = (ROOT / "README.md").read_text()
    missing = [path.name for path in (ROOT / "docs").glob("*.md") if f"(docs/{path.name})" not in readme]
    assert missing == [], f"the README's index does not name {missing}"


# What a Django newcomer finds without being told: the framework's own places.
DJANGO_PLACES = {"__init__.py", "apps.py", "admin.py", "urls.py", "forms.py", "models.py", "views.py", "services.py",
                 "tasks.py", "settings.py", "wsgi.py", "migrations", "management", "templatetags"}
APPS = ("portal", "assessments", "reporting")
# A path that a page tells a reader to create (adding a language), not one that exists.
TO_CREATE = {"portal/formats/it/formats.py"}


def map_row(path, app):
    """The row of a `| path | what |` table that describes one app."""
    return next(line for line in path.read_text().splitlines() if line.startswith(f"| `{app}/` |"))


def only_a_docstring(init):
    body = ast.parse(init.read_text()).body
    return len(body) == 1 and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)


def test_any_module_is_two_hops_from_the_readme():
    """The README's map names each app's packages, and docs/development.md's table each app's own modules; a package
    that holds only a docstring names its modules there. A module moved or added without a word fails here."""
    unnamed = []
    for app in APPS:
        readme_row, modules_row = map_row(ROOT / "README.md", app), map_row(ROOT / "docs" / "development.md", app)
        for path in sorted((ROOT / app).iterdir()):
            if path.name in DJANGO_PLACES or path.name.startswith((".", "_")):
                continue
            if path.suffix == ".py" and f"`{path.name}`" not in modules_row:
                unnamed.append(f"docs/development.md does not name {app}/{path.name}")
            elif path.is_dir() and (path / "__init__.py").exists():
                if f"`{path.name}/`" not in readme_row:
                    unnamed.append(f"the README's map does not name {app}/{path.name}/")
                if only_a_docstring(path / "__init__.py"):
                    docstring = ast.get_docstring(ast.parse((path / "__init__.py").read_text()))
                    unnamed += [f"{app}/{path.name}/__init__.py does not name {module.name}"
                                for module in sorted(path.glob("*.py"))
                                if module.name != "__init__.py" and module.name not in docstring]
    assert unnamed == [], "\n".join(unnamed)


def test_the_module_table_names_no_module_that_is_gone():
    """docs/development.md names modules by their path inside their app (`lib/digests.py`) or, for one at the top of
    the app or of a package the row just named, by its file name: each must still be there."""
    gone = []
    for app in APPS:
        names = {path.relative_to(ROOT / app).as_posix() for path in (ROOT / app).rglob("*.py")}
        for named in re.findall(r"`([\w/]+\.py)`", map_row(ROOT / "docs" / "development.md", app)):
            if named not in names and not any(name.endswith("/" + named) for name in names):
                gone.append(f"{app}: {named}")
    assert gone == []


def test_every_module_the_code_and_docs_name_exists():
    """After a module moves, no docstring, comment or page still sends a reader to where it was."""
    mentioned = re.compile(r"(?<![\w/.])((?:portal|assessments|reporting)/[\w/]+\.py)\b")
    # Migrations are history: they may name a module where it was when they were written.
    sources = [*documents(), *(path for app in APPS for path in (ROOT / app).rglob("*.py")
                               if "migrations" not in path.parts), *(ROOT / "tests").rglob("*.py")]
    stale = sorted({f"{source.relative_to(ROOT)}: {name}" for source in sources
                    for name in mentioned.findall(source.read_text())
                    if name not in TO_CREATE and not (ROOT / name).exists()})
    assert stale == [], "\n".join(stale)
