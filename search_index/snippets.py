"""Passages of a statement around the words a query matched: plain text plus match offsets.

A snippet is never markup. It is `{"text": ..., "matches": [[start, end], ...]}` with offsets into
that text; the page escapes each piece and wraps matches in <mark> itself, and an API client does
the same. So nothing in a witness's words can ever become HTML (see `segments`).
"""
from search_index.analysis import FOLDED, LANGUAGES, word_reading
from search_index.shown_words import shown_words

WIDTH = 300      # characters in a snippet, about two lines
LEAD = 60        # context kept before the first match in the window
ENOUGH = 12      # matches after which a snippet looks for no more
ELLIPSIS = "…"


def match_spans(text, marks, language=None, enough=None):
    """[(start, end)] character spans of `text` where one of the word sequences of `marks` ({analyzer
    name: sequences}, from Searcher.search or marked_words) occurs: the folded sequences as written,
    and those of the statement's `language` as its analyzer reads the text (the first `enough` of
    each, if given). Overlapping spans are merged into the longest."""
    spans = []
    for name in (FOLDED, language) if language in LANGUAGES else (FOLDED,):
        spans += _spans(text, marks.get(name, ()), name, enough)
    merged = merged_spans(spans)
    return merged[:enough] if enough is not None else merged


def merged_spans(spans):
    """The spans in order, those that overlap merged into the longest."""
    merged = []
    for start, end in sorted(set(spans), key=lambda span: (span[0], -span[1])):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _spans(text, sequences, name, enough):
    if not sequences:
        return []
    by_first = {}
    for sequence in sorted(sequences, key=len, reverse=True):  # longest first: "pepper spray" over "spray"
        by_first.setdefault(sequence[0], []).append(sequence)
    words, offsets = shown_words.split(text)  # split once for this page and the next (shown_words)
    reading = word_reading(name)
    # Only where a sequence may begin is the text read: a statement's distinct words are read once, and
    # twenty statements a page, each twice, are most of a results page's time otherwise.
    beginnings = {word for word in set(words) if reading(word) in by_first}
    spans, after = [], 0
    for i in sorted(_positions(words, beginnings)):
        if i < after:
            continue  # inside the sequence just marked
        for sequence in by_first[reading(words[i])]:
            end = i + len(sequence)
            if end <= len(words) and all(reading(words[j]) == part for j, part in zip(range(i + 1, end), sequence[1:])):
                spans.append((offsets[2 * i + 1], offsets[2 * end]))
                after = end
                break
        if enough is not None and len(spans) >= enough:
            break
    return spans


def _positions(words, wanted):
    """Where each of the `wanted` words is in `words` (list.index scans in C: a few words among a
    thousand are found faster so than by looking at each word in Python)."""
    for word in wanted:
        at = -1
        try:
            while True:
                at = words.index(word, at + 1)
                yield at
        except ValueError:
            continue


def passage(text, marks, language=None, width=WIDTH):
    """The `width`-character window of `text` holding the most matches (the start if none)."""
    spans = match_spans(text, marks, language, enough=ENOUGH)
    start = _best_window(spans, width)
    end = min(len(text), start + width)
    if start > 0:  # begin and end on word boundaries
        space = text.find(" ", start, start + 20)
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", end - 20, end)
        end = space if space > start else end
    prefix = ELLIPSIS + " " if start > 0 else ""
    suffix = " " + ELLIPSIS if end < len(text) else ""
    shift = len(prefix) - start
    matches = [[s + shift, e + shift] for s, e in spans if s >= start and e <= end]
    return {"text": prefix + text[start:end].strip("\n") + suffix, "matches": matches}


def _best_window(spans, width):
    if not spans:
        return 0
    best, best_count = 0, -1
    for anchor, _ in spans:
        start = max(0, anchor - LEAD)
        count = sum(1 for s, e in spans if s >= start and e <= start + width)
        if count > best_count:
            best, best_count = start, count
    # Start at the beginning when that window holds the same matches: no needless "…".
    if sum(1 for s, e in spans if e <= width) >= best_count:
        return 0
    return best


def segments(snippet):
    """[(piece of text, is_match)] in order, for a template to escape and mark."""
    pieces, position = [], 0
    for start, end in snippet["matches"]:
        if start > position:
            pieces.append((snippet["text"][position:start], False))
        pieces.append((snippet["text"][start:end], True))
        position = end
    if position < len(snippet["text"]):
        pieces.append((snippet["text"][position:], False))
    return pieces
