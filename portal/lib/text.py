"""Text as the portal keeps it, whichever way it arrived (a browser, a workbook, an API).

Browsers send CRLF line endings, spreadsheets LF, people trailing spaces: all are normalised once, here, so that
an unchanged workbook changes nothing and a colleague's identical text is no conflict.
"""


def normalize_text(value):
    if value is None:
        return ""
    lines = str(value).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()
