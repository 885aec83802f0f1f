"""Positions in REFI-QDA files: Unicode code points, counted from 0, `end` one past the last.

A source as another program wrote it may start with a byte-order mark (never counted) and end its
lines with CRLF; the archive stores the NFC text with LF line endings (archive/text.py `normalise`).
A selection is mapped from the file's text to the stored one by normalising the text before each of
its ends; a position inside a CRLF pair or inside a character that NFC composes has no place in the
stored text, and the selection is refused. Programs differ on whether CRLF counts as one or two:
a selection that quotes its text (its `name`) is checked against the text at its positions counted
both ways, and refused when neither is its text.
"""
from dataclasses import dataclass

from archive.i18n import say
from archive.text import normalise

BOM = "\ufeff"


def decode_source(data):
    """The text of a source file's bytes (UTF-8, with or without a BOM); None when not UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text[1:] if text.startswith(BOM) else text


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str  # the stored text at [start:end]


class Mapping:
    """Positions in the source's text as written -> positions in the stored text."""

    def __init__(self, written):
        self.written = written[1:] if written.startswith(BOM) else written
        self.stored = normalise(self.written)
        self.lf = self.written.replace("\r\n", "\n")  # the same text, CRLF counted as one

    def span(self, start, end, quoted=None):
        """The stored Span of a selection (start, end in the written text), or a reason it has none.
        Returns (Span, None) or (None, reason)."""
        candidates = [self.written] if self.lf == self.written else [self.written, self.lf]
        reason = None
        for text in candidates:
            if not 0 <= start < end <= len(text):
                reason = say("positions %(start)s-%(end)s are outside the source's text (%(length)s characters)",
                             start=start, end=end, length=len(text))
                continue
            if quoted is not None and normalise(text[start:end]).strip() != normalise(quoted).strip():
                reason = say("the text at positions %(start)s-%(end)s is not the selection's text "
                             "(positions are Unicode code points from 0)", start=start, end=end)
                continue
            mapped = self._mapped(text, start, end)
            if mapped is None:
                reason = say("positions %(start)s-%(end)s fall inside a character (a CRLF pair or a combined "
                             "character)", start=start, end=end)
                continue
            return mapped, None
        return None, reason

    def _mapped(self, text, start, end):
        before, inside, after = text[:start], text[start:end], text[end:]
        if before.endswith("\r") and inside.startswith("\n") or inside.endswith("\r") and after.startswith("\n"):
            return None
        new_start = len(normalise(before))
        new_end = new_start + len(normalise(inside))
        if normalise(before) + normalise(inside) + normalise(after) != self.stored:
            return None
        return Span(new_start, new_end, self.stored[new_start:new_end])
