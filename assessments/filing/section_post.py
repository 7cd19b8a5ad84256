"""What a section's page, or its autosave script, posts: read in one place (the wire format of static/js/autosave.js).

A post holds the section's form fields by their page names (`measures-4-note`), each row's item key (`measures-4-item`:
`SM02`) or, from an older page, its database id (`measures-4-id`), the values the page started from (`base:` + a
field's name: the merge's exact base), the section's revision the page was opened at (`_revision`), and `save_next`
from the button that saves and moves on. The autosave sends only the fields that changed, with the header
`X-Autosave`, and is checked row by row; the page's Save sends the whole section.
"""

from dataclasses import dataclass

from assessments.questionnaire.sections import values_from_post

BASE = "base:"
ROW_MARKERS = ("-item", "-id")
# A revision no section reaches: anything longer is not a revision, and is read as unknown.
REVISION_DIGITS = 9


@dataclass(frozen=True)
class SectionPost:
    mine: dict  # what the user typed, by stable key
    base: dict | None  # what the page started from, by stable key; None when it did not say
    base_revision: int  # the revision the page was opened at; -1 when unknown (only identical values merge)
    autosave: bool
    save_next: bool


def read_section_post(section, post, headers, read_rows):
    """The post of a section's page as a SectionPost. `read_rows()` gives the section's draft rows, read only for a
    post that names a row by its id alone (assessments.questionnaire.sections.values_from_post)."""
    mine = values_from_post(section, post, read_rows)
    sent_base = {name.removeprefix(BASE): value for name, value in post.items() if name.startswith(BASE)}
    sent_base |= {name: value for name, value in post.items() if name.endswith(ROW_MARKERS)}
    return SectionPost(
        mine=mine, base=values_from_post(section, sent_base, read_rows) if sent_base else None,
        base_revision=revision_of(post.get("_revision", "")), autosave=bool(headers.get("X-Autosave")),
        save_next="save_next" in post)


def revision_of(text):
    """The revision a page says it was opened at, or -1 when it says none a section could have."""
    return int(text) if text.isascii() and text.isdigit() and len(text) <= REVISION_DIGITS else -1
