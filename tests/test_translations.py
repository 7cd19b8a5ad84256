"""The complete languages stay complete: every English string of the code and templates has its French and German
translation, with the same placeholders, none left fuzzy, and the compiled catalogues are the ones in locale/."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
COMPLETE = ["fr", "de"]
# %(name)s, %(n).1f, %s, %d, %%, and {name} (str.format): what Python fills in, which a translation must keep.
PLACEHOLDER = re.compile(r"%\(\w+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdif]|%%|\{\w*\}")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The catalogues as `manage.py translations --extract` leaves them on a copy of the project: every string of
    today's code and templates, with the translations that exist (a new string comes empty). A copy, because
    makemessages writes beside the sources it reads."""
    copy = tmp_path_factory.mktemp("project")
    for name in ("portal", "assessments", "reporting", "templates", "locale"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "static", copy / "static", ignore=shutil.ignore_patterns("vendor"))
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": "sqlite:///:memory:"}
    subprocess.run([sys.executable, "manage.py", "translations", "--extract", "--verbosity", "0"], cwd=copy,
                   env=env, check=True, timeout=300)
    return {code: polib.pofile(str(copy / "locale" / code / "LC_MESSAGES" / "django.po")) for code in COMPLETE}


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("code", COMPLETE)
def test_every_string_is_translated_with_its_placeholders(extracted, code):
    catalogue = extracted[code]
    assert len(catalogue) > 500
    untranslated = [entry.msgid for entry in catalogue if not entry.translated() and "fuzzy" not in entry.flags]
    fuzzy = [entry.msgid for entry in catalogue if "fuzzy" in entry.flags]
    assert untranslated == [], f"{len(untranslated)} strings without a {code} translation, e.g. {untranslated[:5]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy {code} entries, e.g. {fuzzy[:5]}"
    wrong = []
    for entry in catalogue:
        if entry.msgid_plural:
            forms = [entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural)]
            # A singular form may say "one" instead of %(n)s; the plural form keeps every placeholder.
            if placeholders(forms[-1]) != placeholders(entry.msgid_plural):
                wrong.append((entry.msgid_plural, forms[-1]))
            if not set(placeholders(forms[0])) <= set(placeholders(entry.msgid_plural)):
                wrong.append((entry.msgid, forms[0]))
        elif placeholders(entry.msgstr) != placeholders(entry.msgid):
            wrong.append((entry.msgid, entry.msgstr))
    assert wrong == [], f"placeholders differ in {len(wrong)} {code} entries, e.g. {wrong[:3]}"


@pytest.mark.parametrize("code", COMPLETE)
def test_the_compiled_catalogue_is_the_translated_one(code):
    """locale/<code>/LC_MESSAGES/django.mo, which the portal reads, holds exactly what django.po says."""
    folder = Path(settings.LOCALE_PATHS[0]) / code / "LC_MESSAGES"
    source = {(e.msgid, e.msgid_plural): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
              for e in polib.pofile(str(folder / "django.po")) if e.translated()}
    compiled = {(e.msgid, e.msgid_plural): (e.msgstr, tuple(sorted(e.msgstr_plural.items())))
                for e in polib.mofile(str(folder / "django.mo")) if e.msgid}
    assert compiled == source


def test_the_complete_languages_are_offered_and_named_in_themselves():
    assert dict(settings.LANGUAGES) == {"en": "English", "fr": "français", "de": "Deutsch"} | {
        code: name for code, name in settings.LANGUAGES if code not in ("en", "fr", "de")}
    assert {"en", "fr", "de"} <= set(dict(settings.LANGUAGES))
