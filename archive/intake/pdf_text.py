"""A statement's text from a PDF's text layer, read as paragraphs rather than as page layout.

pypdf gives each text run with its position (`extract_text(visitor_text=...)`); from those runs
this module rebuilds the lines of each page and then the statement:

- **Running headers and footers** are dropped: a line on the two top or the two bottom rows of
  a page whose text, with every number replaced by "#" ("Page 2 of 7" and "Page 3 of 7" are
  the same), recurs in that place on most pages (at least 60% of them, and at least 2).
- **The heading** (the first line(s) of the first page, in a larger font, or a single short line
  without a full stop followed by a wider gap than any paragraph's) is returned as the title
  and kept out of the text.
- **Line wraps are joined** into paragraphs, separated by a blank line (archive/intake/reflow.py: where
  paragraphs break, and the rule for a hyphen at a line's end).

Nothing else is dropped or moved: every other line is kept, in the order the PDF draws it.
Right-to-left lines are put back into logical order (archive/intake/visual_order.py).
"""
import math
import re
import statistics
import unicodedata
from dataclasses import dataclass

from archive.intake.reflow import GAP, SENTENCE_END, Line, full_length, paragraphs, pitch
from archive.intake.visual_order import logical_line, was_reversed

BAND = 2               # rows at the top and at the bottom of a page that may hold a running header/footer
MOST_PAGES = 0.6       # ...when the same text is there on at least this share of the pages
LARGER = 1.15          # a heading's font is at least this much larger than the statement's
NUMBER = re.compile(r"\d+")
# Presentation forms (Latin ligatures such as "ﬁ", Arabic letter shapes) are glyphs, not letters a
# witness types: some producers map glyphs to them, and NFKC gives the letters. Only these are
# folded: NFKC of the whole text would change what the witness wrote too ("½" to "1⁄2", "²" to "2").
PRESENTATION_FORMS = re.compile("[\ufb00-\ufb06\ufb50-\ufdff\ufe70-\ufefe]+")


@dataclass
class Statement:
    text: str
    title: str = None


def read_statement(reader):
    """The Statement in an open pypdf.PdfReader: paragraphs, and the heading if it has one."""
    pages = [page_lines(page, number) for number, page in enumerate(reader.pages)]
    body = [line for page in drop_running_lines(pages) for line in page]
    title, body = split_heading(body)
    return Statement("\n\n".join(paragraphs(body)), title)


def page_lines(page, number):
    """The page's lines, in drawing order: runs on one baseline make one line."""
    runs, reversed_state = [], [False]
    top = float(page.mediabox.top)

    def visit(text, cm, tm, font, font_size):
        reversed_state[0] = was_reversed(text, reversed_state[0])
        if not text.strip("\n"):  # a line break pypdf adds between text objects, not where it is
            return
        # pypdf ends a line's last run with "\n": at the run's logical end, so drop it from a
        # reversed one before it is turned back into visual order.
        text = text.rstrip("\n") if reversed_state[0] else text.replace("\n", " ")
        m = _multiply(tm, cm)
        runs.append([m[4], top - m[5], font_size * math.hypot(m[2], m[3]), text, reversed_state[0]])

    page.extract_text(visitor_text=visit)
    lines = []
    for x, y, size, text, reversed_run in runs:
        if lines and abs(lines[-1][0].y - y) < 0.5 * max(size, 1):
            lines[-1][1].append((x, text, reversed_run))
            lines[-1][0].size = max(lines[-1][0].size, size)
        else:
            lines.append((Line(number, x, y, size, ""), [(x, text, reversed_run)]))
    return [_finish(line, parts) for line, parts in lines if "".join(t for _, t, _ in parts).strip()]


def _finish(line, parts):
    line.x = min(x for x, _, _ in parts)
    if any(reversed_run for _, _, reversed_run in parts):
        line.text, line.rtl = logical_line(parts), True
    else:
        line.text = "".join(text for _, text, _ in parts)
    line.text = letters(line.text)
    return line


def letters(text):
    """A line's text with presentation forms as letters and its spacing as single spaces."""
    return " ".join(PRESENTATION_FORMS.sub(lambda found: unicodedata.normalize("NFKC", found[0]), text).split())


def _multiply(m, n):
    return [m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3], m[2] * n[0] + m[3] * n[2],
            m[2] * n[1] + m[3] * n[3], m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5]]


# --- running headers and footers ---------------------------------------------------------------

def drop_running_lines(pages):
    """The pages without their running headers and footers (see the module's docstring)."""
    def banded(page):  # lines on the page's first and last rows (a header's boxes may share one)
        rows = sorted({round(line.y) for line in page})
        top, bottom = set(rows[:BAND]), set(rows[-BAND:])
        return ([("top", line) for line in page if round(line.y) in top]
                + [("bottom", line) for line in page if round(line.y) in bottom])

    seen = {}
    for page in pages:
        for edge, line in banded(page):
            seen.setdefault((edge, _shape(line.text)), {}).setdefault(line.page, line)
    needed = max(2, math.ceil(MOST_PAGES * len(pages)))
    dropped = set()
    for places in seen.values():
        # A running line stays where it is; the same words elsewhere on the page are the statement's.
        middle = statistics.median(line.y for line in places.values())
        running = [line for line in places.values() if abs(line.y - middle) <= max(2, line.size / 2)]
        if len(running) >= needed:
            dropped.update(id(line) for line in running)
    return [[line for line in page if id(line) not in dropped] for page in pages]


def _shape(text):
    return NUMBER.sub("#", " ".join(text.casefold().split()))


# --- the heading --------------------------------------------------------------------------------

def split_heading(lines):
    """(the heading, the lines after it), or (None, lines) when the statement has no heading."""
    if len(lines) < 2 or lines[0].page != 0:
        return None, lines
    size = _body_size(lines)
    count = 0
    while count < min(3, len(lines) - 1) and lines[count].page == 0 and lines[count].size >= LARGER * size:
        count += 1
    if not count and _stands_alone(lines):
        count = 1
    title = " ".join(line.text for line in lines[:count])
    if not count or len(title) > 300:
        return None, lines
    return title, lines[count:]


def _stands_alone(lines):
    """A short first line without a full stop, followed by a wider gap than any paragraph's."""
    first, second = lines[0], lines[1]
    if second.page != 0 or len(first.text) >= 0.6 * full_length(lines[1:]) or SENTENCE_END.search(first.text):
        return False
    step = pitch(lines[1:])
    gaps = [b.y - a.y for a, b in zip(lines[1:], lines[2:]) if a.page == b.page and b.y - a.y > GAP * step]
    return second.y - first.y > max([GAP * step, *gaps])


def _body_size(lines):
    sizes = {}
    for line in lines:
        sizes[round(line.size, 1)] = sizes.get(round(line.size, 1), 0) + len(line.text)
    return max(sizes, key=sizes.get)
