"""Wildcard, prefix, fuzzy and range terms of a query, expanded within bounds before the search.

Whoosh expands `**`, `*a*` or `a?c` over a field's whole lexicon and ORs every word that matches
(seconds on a small archive, while the searcher's lock is held). Here each such term
is expanded first, and stands for at most MAX_WORDS words of a field, found by looking at no more
than MAX_SCANNED words of its lexicon. A pattern with no letter or digit at all (`*`, `**`, `???`)
would stand for every word, so it is left out. Each cut or omission becomes a notice that the
answer carries, so that nobody takes a cut list of results for all there is.
"""
import re

from whoosh import query as wq

from archive.i18n import say

MAX_WORDS = 200        # words one pattern may stand for, in each field
MAX_SCANNED = 20_000   # words of a field's lexicon looked at to find them
LITERAL = re.compile(r"\w")


class Expanded(wq.MultiTerm):
    """A pattern's words, found once: matched and scored as Whoosh matches the pattern itself."""

    def __init__(self, fieldname, words, boost=1.0, constantscore=True):
        self.fieldname, self.words, self.boost, self.constantscore = fieldname, tuple(words), boost, constantscore

    def _btexts(self, ixreader):
        return self.words

    def __eq__(self, other):
        return type(other) is type(self) and (self.fieldname, self.words, self.boost) == (
            other.fieldname, other.words, other.boost)

    def __hash__(self):
        return hash((self.fieldname, self.words, self.boost))

    def __repr__(self):
        return f"Expanded({self.fieldname!r}, {len(self.words)} words)"


def bound(query, reader):
    """(the query with every expanding term replaced by its bounded expansion, [notices])."""
    notices = {}

    def replace(leaf):
        if isinstance(leaf, wq.Every) and leaf.fieldname:
            return _left_out(notices, "*")
        if not isinstance(leaf, wq.MultiTerm) or isinstance(leaf, Expanded):
            return leaf
        pattern = _pattern_text(leaf)
        if isinstance(leaf, wq.PatternQuery) and not LITERAL.search(_literal_part(leaf)):
            return _left_out(notices, pattern)
        words, complete, scanned_all = _expand(leaf, reader)
        if not complete:
            notices.setdefault(pattern, say("'%(pattern)s' matches more than %(most)s words: only the first "
                                            "%(most)s (alphabetically) were searched. Add letters to narrow it.",
                                            pattern=pattern, most=MAX_WORDS))
        elif not scanned_all:
            notices.setdefault(pattern, say("'%(pattern)s' was looked for among %(most)s words of the index only: "
                                            "put more letters before its first * or ? to search them all.",
                                            pattern=pattern, most=format(MAX_SCANNED, ",")))
        if not words:
            return wq.NullQuery
        return Expanded(leaf.fieldname, words, leaf.boost, getattr(leaf, "constantscore", True))

    return query.accept(replace).normalize(), list(notices.values())


def _expand(leaf, reader):
    """(words, all of them?, the whole candidate lexicon looked at?) within MAX_WORDS and MAX_SCANNED."""
    if isinstance(leaf, wq.Wildcard) or type(leaf) is wq.Regex:
        prefix = leaf._find_prefix(leaf.text)
        candidates = reader.expand_prefix(leaf.fieldname, prefix) if prefix else reader.lexicon(leaf.fieldname)
        matches = re.compile(leaf._get_pattern()).match
        from_bytes = reader.schema[leaf.fieldname].from_bytes
    else:  # Prefix, FuzzyTerm, TermRange…: every word their own walk yields is a match
        candidates, matches, from_bytes = leaf._btexts(reader), None, None
    words, scanned = [], 0
    for word in candidates:
        scanned += 1
        if matches is None or matches(from_bytes(word)):
            if len(words) == MAX_WORDS:
                return words, False, True
            words.append(word)
        if scanned >= MAX_SCANNED:
            return words, True, False
    return words, True, True


def _left_out(notices, pattern):
    notices.setdefault(pattern, say("'%(pattern)s' was left out: a wildcard needs at least one letter or digit, or it "
                                    "stands for every word. To list every testimony, leave the search empty.",
                                    pattern=pattern))
    return wq.NullQuery


def _literal_part(leaf):
    return leaf.text.replace("*", "").replace("?", "")


def _pattern_text(leaf):
    """The term as typed, for the notice: `a?c`, `beat*`, `dogs~2`, `[a TO c]`."""
    if isinstance(leaf, wq.Prefix):
        return leaf.text + "*"
    if isinstance(leaf, wq.FuzzyTerm):
        return f"{leaf.text}~{leaf.maxdist if leaf.maxdist != 1 else ''}"
    if hasattr(leaf, "text"):
        return leaf.text
    return str(leaf).split(":", 1)[-1]
