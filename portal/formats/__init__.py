"""How each language writes dates and times (settings.FORMAT_MODULE_PATH): `<code>/formats.py` per language offered.

Templates, emails and code name a format by its purpose, never by its letters: `{{ day|date:"WEEKDAY_DATE_FORMAT" }}`,
`{% deadline d "SHORT_DATE_FORMAT" %}`, `formats.date_format(day)`. Django looks a name up in the reader's module
first, then in its own for that language. Django knows the first names below; the others are ours, and a language
whose module lacks one would print the name itself, so each offered language defines every one of them
(tests/portal/test_formats.py checks it, and that no template writes a format's letters).
"""

NAMED = (
    "DATE_FORMAT",                    # a day: 5 February 2027
    "WEEKDAY_DATE_FORMAT",            # a deadline's day, with its weekday: Friday 5 February 2027
    "SHORT_DATE_FORMAT",              # a day in a table: 5 Feb 2027
    "MONTH_DAY_FORMAT",               # a day of this year: 5 February
    "DATETIME_FORMAT",                # a moment: 5 February 2027, 14:30
    "DATETIME_SECONDS_FORMAT",        # a moment to the second (a revision, a submission): 5 February 2027, 14:30:05
    "SHORT_DATETIME_FORMAT",          # a moment in a table: 5 Feb 2027, 14:30
    "SHORT_DATETIME_SECONDS_FORMAT",  # a moment in a log: 5 Feb 2027, 14:30:05
    "MONTH_DAY_TIME_FORMAT",          # a moment of this year: 5 February, 14:30
    "SHORT_MONTH_DAY_TIME_FORMAT",    # a message's moment in a thread: 5 Feb, 14:30
    "TIME_FORMAT",                    # 14:30
    "TIME_SECONDS_FORMAT",            # a save's time: 14:30:05
)
