"""Sentences as data: a list of pieces, each plain words, a `Strong` (what the sentence is about: a
code's label) or a `Quoted` (words a person wrote: a passage, a title, a reason).

Built as data so that nothing a person wrote is ever markup: `markup` escapes every piece and adds
only our own tags (<strong>, and <bdi> so that an Arabic passage keeps its direction inside an
English sentence); `plain` is the same sentence as text, with **emphasis** marked, for tests and logs.
"""
import re
from dataclasses import dataclass

from markupsafe import Markup, escape

QUOTE_LENGTH = 120  # a passage longer than this is cut at a word: the statement holds it whole


@dataclass(frozen=True)
class Strong:
    text: str


@dataclass(frozen=True)
class Quoted:
    text: str


def quoted(text, length=QUOTE_LENGTH):
    """A person's words, cut at a word (with …) when longer than `length`."""
    text = " ".join(str(text).split())
    if len(text) > length:
        text = text[:length].rsplit(" ", 1)[0] + "…"
    return Quoted(text)


PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def sentence(message, **parts):
    """`message` in the reader's language (archive/i18n.py) as pieces, each %(name)s replaced by
    `parts[name]` (a piece or a list of pieces): a translation orders the parts as its language does."""
    from archive.i18n import say

    return _filled(say(message), parts)


def sentence_plural(singular, plural, num, **parts):
    """`sentence` for a count: the language's form for `num`, which fills %(num)s."""
    from archive.i18n import plural_form

    return _filled(plural_form(singular, plural, num), {"num": str(num), **parts})


def _filled(text, parts):
    pieces = []
    for number, chunk in enumerate(PLACEHOLDER.split(text)):
        if number % 2:
            part = parts[chunk]
            pieces.extend(part if isinstance(part, list) else [part])
        elif chunk:
            pieces.append(chunk)
    return pieces


def joined(parts, last=None, between=", "):
    """[a], [b], [c] -> a, b and c: each part a list of pieces ('and' in the reader's language)."""
    if last is None:
        from archive.i18n import say

        last = say(" and ")
    parts = [part for part in parts if part]
    pieces = []
    for number, part in enumerate(parts):
        if number:
            pieces.append(last if number == len(parts) - 1 else between)
        pieces.extend(part)
    return pieces


def plain(pieces):
    return "".join(f"**{p.text}**" if isinstance(p, Strong) else f"“{p.text}”" if isinstance(p, Quoted)
                   else str(p) for p in pieces)


def markup(pieces):
    said = []
    for piece in pieces:
        if isinstance(piece, Strong):
            said.append(Markup("<strong>{}</strong>").format(piece.text))
        elif isinstance(piece, Quoted):
            said.append(Markup("“<bdi>{}</bdi>”").format(piece.text))
        else:
            said.append(escape(piece))
    return Markup("").join(said)


def init_app(app):
    app.add_template_filter(markup, "said")
