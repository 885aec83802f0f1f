"""Passages a coder marked "identifying - redact", replaced by [redacted] in everything exported.

A redaction is a span of offsets into the statement. The span is replaced in the statement and in
every quoted passage that overlaps it; and because a name marked once is as identifying where it
appears again, every other occurrence of a redacted span's words (of at least MIN_WORDS_LENGTH
characters, so that a stray letter does not wipe the text) is replaced too, in the statement, the
title and the passages.
"""
import re

REDACTED = "[redacted]"
MIN_WORDS_LENGTH = 4


def merged(spans):
    """Overlapping or touching (start, end) spans joined, in order."""
    joined = []
    for start, end in sorted(spans):
        if joined and start <= joined[-1][1]:
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((start, end))
    return joined


class Redactor:
    """The redactions of one statement."""

    def __init__(self, text, spans):
        self.text = text
        self.spans = merged((max(s, 0), min(e, len(text))) for s, e in spans if s < len(text))
        words = {text[s:e].strip() for s, e in self.spans}
        words = sorted((w for w in words if len(w) >= MIN_WORDS_LENGTH), key=len, reverse=True)
        self._words = re.compile("|".join(map(re.escape, words)), re.IGNORECASE) if words else None

    def __len__(self):
        return len(self.spans)

    def statement(self):
        return self._words_out(self._cut(self.text, self.spans))

    def statement_mapped(self):
        """(the redacted statement, moved), where `moved(position, end=False)` is where an offset into
        the statement falls in it: a REFI-QDA export's selections point into the redacted text. An
        offset inside a redacted span moves to the start of its `[redacted]` (to its end for `end`)."""
        cut = self._cut(self.text, self.spans)
        words = [match.span() for match in self._words.finditer(cut)] if self._words else []

        def moved(position, end=False):
            return _moved(_moved(position, self.spans, end), words, end)
        return self._words_out(cut), moved

    def passage(self, start, end, quoted):
        """A quoted passage (offsets into the statement, and the quote as stored)."""
        if start is not None and end is not None and self.text[start:end] == quoted:
            inside = [(max(s, start) - start, min(e, end) - start) for s, e in self.spans if s < end and e > start]
            quoted = self._cut(quoted, inside)
        return self._words_out(quoted)

    def other(self, text):
        """Any other text of the testimony (its title)."""
        return self._words_out(text)

    @staticmethod
    def _cut(text, spans):
        pieces, position = [], 0
        for start, end in spans:
            pieces += [text[position:start], REDACTED]
            position = end
        return "".join(pieces) + text[position:]

    def _words_out(self, text):
        if text is None or self._words is None:
            return text
        return self._words.sub(REDACTED, text)


def _moved(position, replaced, end):
    """`position` after each of the `replaced` spans (in order, not overlapping) became REDACTED."""
    shift = 0
    for start, stop in replaced:
        if position <= start:
            break
        if position < stop:
            return start + shift + (len(REDACTED) if end else 0)
        shift += len(REDACTED) - (stop - start)
    return position + shift
