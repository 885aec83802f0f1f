"""Re-flow: the lines of a page layout joined into the paragraphs they were wrapped from.

A line is a `Line` (archive/intake/pdf_text.py makes them from a PDF). Paragraphs break where the layout
shows it (`_Layout.breaks_paragraph`); wrapped lines are joined with a space, and a word broken
with a hyphen at a line's end is joined by the rule in `_Layout._hyphen`. No word is dropped or
moved: joining changes only the spaces and line-end hyphens between lines.
"""
import math
import re
from dataclasses import dataclass

GAP = 1.3              # a space between baselines this many times the line pitch separates paragraphs
INDENT = 0.8           # a line starting this many ems further right than the one above opens one
SHORT = 0.8            # a line shorter than this share of the full lines may end its paragraph
EARLY = 0.9            # a page whose text stops this many line pitches above the others' ended early
HYPHENS = "-\u2010\u00ad"  # hyphen-minus, HYPHEN (WeasyPrint's hyphenation mark), SOFT HYPHEN
SENTENCE_END = re.compile(r"[.!?…؟۔][\"'”’»)\]]*$")
OPENING = "\"'“„«‘([—–-¿¡"
WORD = re.compile(r"[^\W\d_]+(?:[-\u2010][^\W\d_]+)*")


@dataclass
class Line:
    page: int
    x: float      # left end, points from the page's left edge
    y: float      # baseline, points from the page's top
    size: float   # font size as drawn, in points
    text: str
    rtl: bool = False


def paragraphs(lines):
    """The lines joined into paragraphs: wraps undone, hyphenation undone where it is the layout's."""
    if not lines:
        return []
    layout = _Layout(lines)
    found, current = [], [lines[0].text]
    for above, line in zip(lines, lines[1:]):
        if layout.breaks_paragraph(above, line):
            found.append("".join(current))
            current = [line.text]
        else:  # joined as a list: a paragraph may be thousands of lines long
            current[-1], seam = layout.seam(current[-1], line.text)
            current += [seam, line.text]
    return found + ["".join(current)]


class _Layout:
    """What the document's own layout says: its line pitch, full line length, how it marks paragraphs."""

    def __init__(self, lines):
        self.pitch, self.full = pitch(lines), full_length(lines)
        self.words = {}
        for line in lines:
            for word in WORD.findall(line.text):
                self.words[_word_key(word)] = self.words.get(_word_key(word), 0) + 1
        pairs = list(zip(lines, lines[1:]))
        # Where the text of a full page ends: a page whose text stops a line or more above it
        # ended early, most often because the next paragraph did not fit.
        self.foot = max((a.y for a, b in pairs if a.page != b.page), default=0)
        self.gaps = any(self._gap(a, b) for a, b in pairs)
        self.indents = any(self._indent(a, b) for a, b in pairs)
        # A producer that marks its own hyphenation (U+2010 or a soft hyphen) leaves "-" to the author.
        self.marked_hyphenation = any(a.text[-1:] in HYPHENS[1:] for a in lines)

    def breaks_paragraph(self, above, line):
        """Whether a new paragraph starts at `line`: after a gap wider than the line pitch, or at an
        indent. Where the document marks its paragraphs neither way, and across a page or a column
        (where neither can be seen), after a line that ends a sentence and ends early (well short
        of a full line, or a line or more above the foot of the other pages), when `line` starts a
        new sentence. A full last line at the foot of a page looks like any other: that paragraph
        runs on into the next page's first one."""
        continuous = line.page == above.page and line.y > above.y
        if continuous and (self._gap(above, line) or self._indent(above, line)):
            return True
        if continuous and (self.gaps or self.indents):
            return False
        ends_early = len(above.text) < SHORT * self.full or (
            line.page != above.page and self.foot - above.y > EARLY * self.pitch)
        return ends_early and bool(SENTENCE_END.search(above.text)) and _starts_sentence(line.text)

    def seam(self, end, start):
        """(the line `end` as it stays, what comes between it and the next line `start`)."""
        if end[-1:] in HYPHENS and end[-2:-1].isalnum():
            return self._hyphen(end, start)
        return end, " "

    def _hyphen(self, end, start):
        """A word broken at a line's end as "push-" / "back".

        The rule: a soft hyphen (U+00AD) only ever marks a break, so it goes. Before anything but a
        lowercase letter ("Polish-" / "Belarusian", "COVID-" / "19") the hyphen stays. Otherwise the
        document decides where it can: the hyphen stays when the hyphenated word is written so
        elsewhere in it ("push-back"), and goes when the word is written whole elsewhere
        ("pushback"), whichever is written more often. Failing that, U+2010 goes (typesetters such as WeasyPrint mark their
        hyphenation with it; authors type "-"), and "-" goes too unless the document marks its
        hyphenation with U+2010 or soft hyphens, in which case a "-" at a line's end is the author's.
        The letters are always kept: at worst a hyphen is wrongly kept or dropped.
        """
        hyphen, head = end[-1], end[:-1]
        tail = WORD.match(start)
        if hyphen == "\u00ad":
            return head, ""
        if not (tail and start[0].islower() and head[-1:].isalpha()):
            return end, ""
        word = re.search(r"[^\W\d_]+$", head)[0]
        hyphenated = self.words.get(_word_key(f"{word}-{tail[0]}"), 0)
        whole = self.words.get(_word_key(word + tail[0]), 0)
        if hyphenated != whole:
            return (end if hyphenated > whole else head), ""
        return (end if hyphen == "-" and self.marked_hyphenation else head), ""

    def _gap(self, above, line):
        return line.page == above.page and line.y - above.y > GAP * self.pitch

    def _indent(self, above, line):
        return (line.page == above.page and not (line.rtl or above.rtl) and 0 < line.y - above.y
                and line.x - above.x > INDENT * line.size)


def pitch(lines):
    """The distance between baselines inside a paragraph: the lower quartile of the steps, as
    most steps are inside paragraphs and the others are wider."""
    steps = sorted(b.y - a.y for a, b in zip(lines, lines[1:]) if a.page == b.page and 0 < b.y - a.y < 3 * a.size)
    return steps[len(steps) // 4] if steps else max(line.size for line in lines) * 1.2


def full_length(lines):
    """The length of a full line, in characters (pypdf gives no widths): the 90th percentile."""
    lengths = sorted(len(line.text) for line in lines)
    return lengths[math.ceil(0.9 * len(lengths)) - 1]


def _starts_sentence(text):
    first = text.lstrip(OPENING + " ")[:1]
    return first.isdigit() or (first.isalpha() and not first.islower())


def _word_key(word):
    return word.casefold().replace("\u2010", "-")
