"""The documentation stays readable and whole: a README a newcomer reads in ten minutes, and no link leads nowhere.

Cheap and offline: it reads README.md, docs/*.md and bench/RESULTS.md, follows their relative links to files of the
checkout and, for a link with a #fragment, to a heading of the file it names (spelled as GitHub spells anchors).
"""

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
