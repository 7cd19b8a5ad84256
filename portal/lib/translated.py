"""Reference data in the reader's language: the catalogue and the member states' names (django-parler).

Each translated model keeps its texts in a translations table (one row per entry and language); English is the
fallback of every language. Two things differ from parler's defaults, on purpose:

- An entry is read in the language active *when its text is read*, not when the row was loaded: a member state
  fetched with the request's user and named in an email to a French lead reporter is named in French. Only an
  explicit choice (the admin's language tabs: `set_current_language`) pins an entry to a language.
- Within `reading()` (every request, every export being made) a table's texts in one language are read once, all
  entries in one query, whatever the number of entries a page shows. Without it parler would ask once per entry
  (and per language it falls back from): an N+1 on every page that names member states or scenarios. The tables
  are small (28 member states, at most a few dozen entries a kind), and read afresh by each request, so an admin's
  edit shows on the next page.

What is kept rendered (portal/lib/fragments.py) names entries too: its keys hold the reference texts' edition
(portal.models.ReferenceTextsEdition), which every change of an entry or of one of its texts raises in the same
transaction.
"""

import contextlib
import contextvars

from django.conf import settings
from django.utils.translation import get_language
from parler.cache import MISSING
from parler.models import TranslatableModel
from parler.utils import normalize_language_code

_tables = contextvars.ContextVar("reference_translations", default=None)


@contextlib.contextmanager
def reading():
    """Read each reference table's texts once per language in this block (nested blocks share the outer one's)."""
    if _tables.get() is not None:
        yield
        return
    token = _tables.set({})
    try:
        yield
    finally:
        _tables.reset(token)


def active_language():
    return normalize_language_code(get_language() or settings.LANGUAGE_CODE)


def _table(translations, language):
    """{entry id: translation} of one translations model in one language, once per `reading()` block."""
    tables = _tables.get()
    if tables is None:
        return None
    key = (translations, language)
    if key not in tables:
        tables[key] = {row.master_id: row for row in translations.objects.filter(language_code=language)}
    return tables[key]


class ReadInActiveLanguage(TranslatableModel):
    """A translatable model whose texts follow the active language (see the module's docstring)."""

    class Meta:
        abstract = True

    def __init__(self, *args, **kwargs):
        chosen = kwargs.get("_current_language")
        super().__init__(*args, **kwargs)
        # parler pins the language active at loading; read in the one active when a text is read instead.
        self.__dict__["_chosen_language"] = chosen

    @property
    def _current_language(self):
        return self.__dict__.get("_chosen_language") or active_language()

    @_current_language.setter
    def _current_language(self, code):
        self.__dict__["_chosen_language"] = code

    def _get_translated_model(self, language_code=None, use_fallback=False, auto_create=False, meta=None):
        language_code = language_code or self._current_language
        meta = meta or self._parler_meta.root
        known = self._translations_cache[meta.model]
        if (language_code not in known and self.pk is not None and not self._state.adding
                and self._get_prefetched_translations(meta=meta) is None):
            table = _table(meta.model, language_code)
            if table is not None:
                # MISSING sends parler on to the fallback language (English), read the same way.
                known[language_code] = table.get(self.pk, MISSING)
        return super()._get_translated_model(language_code, use_fallback, auto_create, meta)


def texts(model, field, key="code"):
    """{key: text in the active language, or English} for every entry of a reference table, in one query of plain
    values (a table of 10,000 entries in a tenth of a second; as models, a second and a half)."""
    tables = _tables.get()
    language = active_language()
    memo = (model, field, key, language)
    if tables is not None and memo in tables:
        return tables[memo]
    found = {}
    fallback = settings.PARLER_DEFAULT_LANGUAGE_CODE
    for entry, in_language, text in model._parler_meta.root_model.objects.filter(
            language_code__in={language, fallback}).values_list(f"master__{key}", "language_code", field):
        if in_language == language or entry not in found:
            found[entry] = text
    if tables is not None:
        tables[memo] = found
    return found


def reference_models(models):
    """The translatable reference models among `models`, and their translations models."""
    for model in models:
        if issubclass(model, ReadInActiveLanguage) and not model._meta.abstract:
            yield model
            yield from (meta.model for meta in model._parler_meta)
