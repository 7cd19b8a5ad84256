"""Text as the portal keeps it, whichever way it arrived (a browser, a workbook, an API).

Browsers send CRLF line endings, spreadsheets LF, people trailing spaces: all are normalised once, here, so that
an unchanged workbook changes nothing and a colleague's identical text is no conflict.
"""


def without_nul(value):
    """Text with its NUL characters left out: no browser field means one, and PostgreSQL cannot store it."""
    return value.replace("\x00", "") if isinstance(value, str) else value


def normalize_text(value):
    if value is None:
        return ""
    lines = str(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()
