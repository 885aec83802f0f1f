"""Sentences as data: a list of pieces, each plain words, a `Strong` (what the sentence is about: a
code's label) or a `Quoted` (words a person wrote: a passage, a title, a reason).

Built as data so that nothing a person wrote is ever markup: `markup` escapes every piece and adds
only our own tags (<strong>, and <bdi> so that an Arabic passage keeps its direction inside an
English sentence); `plain` is the same sentence as text, with **emphasis** marked, for tests and logs.
"""
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


def joined(parts, last=" and ", between=", "):
    """[a], [b], [c] -> a, b and c: each part a list of pieces."""
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
