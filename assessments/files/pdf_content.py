"""Active content in a PDF (scripts, launch actions, embedded files), found by reading it in chunks.

What a reader acts on is named in the PDF's dictionaries: /JavaScript and /JS, /Launch, /EmbeddedFile(s). They are
searched for in the file's syntax and, because a PDF 1.5 writer may pack dictionaries into compressed object streams,
in those streams once inflated, a chunk at a time and with a ceiling on the inflated total. Names may be spelt with
#xx escapes (/J#61vaScript is /JavaScript to every reader), so escaped names are decoded before the comparison.

The bytes of other streams (pages, fonts, images) are searched too, because a reader finds objects by their offsets
and an object can be hidden inside another stream's bytes; but there only for the long names: random binary data of
a few megabytes contains the three bytes "/JS" by chance, never "/JavaScript" (which every script action names
anyway, as its /S). An object stream the scan cannot inflate (another filter, or encryption) makes the whole file
uncheckable: it is refused rather than waved through.
"""

import re
import zlib

ACTIVE = {
    b"JavaScript": "JavaScript", b"JS": "JavaScript", b"Launch": "a launch action",
    b"EmbeddedFile": "an embedded file", b"EmbeddedFiles": "an embedded file",
    # Not in the finding, but the same thing by other means: Flash/3D content and XFA forms run scripts too.
    b"RichMedia": "rich media", b"XFA": "an XFA form",
}
LONG = {name: what for name, what in ACTIVE.items() if len(name) >= 6}
MAX_INFLATED = 200 * 1024 * 1024

_REGULAR = rb"[^\x00\t\n\f\r ()<>\[\]{}/%]"  # neither white space nor a delimiter
_LAST_DELIMITER = re.compile(rb".*[\x00\t\n\f\r ()<>\[\]{}/%]", re.S)
_ESCAPED = re.compile(rb"/(" + _REGULAR + rb"*#[0-9A-Fa-f]{2}" + _REGULAR + rb"*)")
_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"(?<![A-Za-z])stream(?:\r\n|\n|\r)")
_END = re.compile(rb"endstream")
_OBJECT = re.compile(rb"\d+\s+\d+\s+obj(?![A-Za-z])")
_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm(?!" + _REGULAR + rb")")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/" + _REGULAR + rb"+)?")
_KEEP = 16  # bytes held back so that a keyword and its end of line are never cut in two
_MAX_TOKEN = 4096


class Uncheckable(Exception):
    """The PDF keeps dictionaries where the scan cannot read them."""


def _plain(names):
    return re.compile(rb"/(" + b"|".join(sorted(names, key=len, reverse=True)) + rb")(?!" + _REGULAR + rb")")


def _decoded(name):
    return _HEX.sub(lambda m: bytes([int(m[1], 16)]), name)


class _Names:
    """Searches PDF syntax arriving in pieces for the names of `table`, never cutting a name in two."""

    def __init__(self, table):
        self.table, self.plain, self.carry = table, _plain(table), b""

    def _search(self, text):
        found = self.plain.search(text)
        if found:
            return self.table[found[1]]
        for escaped in _ESCAPED.finditer(text):
            if what := self.table.get(_decoded(escaped[1])):
                return what
        return None

    def feed(self, data, *, flush=False):
        buf = self.carry + data
        if flush:
            self.carry = b""
            return self._search(buf)
        last = _LAST_DELIMITER.match(buf, max(0, len(buf) - _MAX_TOKEN))
        if last is None:  # no delimiter in the last stretch: whatever it is, it is not one of the names
            self.carry = buf[-_MAX_TOKEN:]
            return None
        cut = last.end() - 1
        self.carry = buf[cut:]
        return self._search(buf[:cut])


class _Scan:
    """One pass over the file. Each mode returns a finding, None for "give me more bytes", or True to go on."""

    def __init__(self):
        self.syntax, self.raw = _Names(ACTIVE), _Names(LONG)
        self.buf, self.before, self.mode, self.inflater, self.inflated = b"", b"", "text", None, 0

    def feed(self, chunk, final=False):
        self.buf += chunk
        while (step := getattr(self, "_" + self.mode)(final)) is True:
            pass
        return step

    def _next_stream(self, final, names):
        """Hand `names` everything up to the next stream keyword; True once in the stream, else as _Names.feed."""
        found = _STREAM.search(self.buf)
        # A keyword at the very end may be "stream\r" of a "stream\r\n": wait for the next byte.
        if found and (final or found.end() < len(self.buf)):
            head, self.buf = self.buf[:found.start()], self.buf[found.end():]
            if what := names.feed(head, flush=True):
                return what
            self.mode, self.inflater = _stream_mode((self.before + head)[-_MAX_TOKEN:])
            self.before = b""
            return True
        keep = 0 if final else min(len(self.buf), _KEEP)
        head, self.buf = self.buf[:len(self.buf) - keep], self.buf[len(self.buf) - keep:]
        self.before = (self.before + head)[-_MAX_TOKEN:]
        return names.feed(head, flush=final)

    def _text(self, final):
        return self._next_stream(final, self.syntax)

    def _raw(self, final):
        end = _END.search(self.buf)
        if end is None:
            # A stream keyword before any "endstream" is a stream hidden inside this one's bytes.
            return self._next_stream(final, self.raw)
        found = _STREAM.search(self.buf, 0, end.start())
        if found:
            return self._next_stream(final, self.raw)
        if what := self.raw.feed(self.buf[:end.start()], flush=True):
            return what
        self.buf, self.mode, self.before = self.buf[end.end():], "text", b""
        return True

    def _inflate(self, final):
        try:
            while not self.inflater.eof:
                out = self.inflater.decompress(self.buf, 64 * 1024)
                self.buf = self.inflater.unconsumed_tail
                if not out and not self.buf:
                    break
                self.inflated += len(out)
                if self.inflated > MAX_INFLATED:
                    raise Uncheckable("object streams inflate beyond the limit")
                if what := self.syntax.feed(out):
                    return what
        except zlib.error:
            raise Uncheckable("an object stream that does not inflate") from None
        if not self.inflater.eof:
            if final:
                raise Uncheckable("an object stream cut short")
            return None
        if what := self.syntax.feed(b"", flush=True):
            return what
        self.buf, self.mode = self.inflater.unused_data + self.buf, "raw"  # on to its "endstream"
        return True


def _stream_mode(before):
    """How to read the stream whose dictionary ends `before`: inflate a Flate object stream, read an uncompressed
    one as syntax, and search any other raw."""
    heads = list(_OBJECT.finditer(before))
    dictionary = _decoded(before[heads[-1].end():] if heads else before)
    if not _OBJECT_STREAM.search(dictionary):
        return "raw", None
    filters = _FILTER.search(dictionary)
    if filters is None:
        return "text", None
    if filters[1] is not None and re.findall(rb"/(" + _REGULAR + rb"+)", filters[1]) == [b"FlateDecode"]:
        return "inflate", zlib.decompressobj()
    raise Uncheckable("an object stream with a filter the scan cannot undo")


def active_content(chunks):
    """What active content the PDF whose bytes `chunks` yields holds ("JavaScript", ...), or None.

    Raises Uncheckable when part of it cannot be read. Memory stays at a few chunks whatever the file.
    """
    scan = _Scan()
    for chunk in chunks:
        if what := scan.feed(chunk):
            return what
    return scan.feed(b"", final=True) or None
