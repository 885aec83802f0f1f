"""The words of the statements a results page shows, split once and kept for the next pages.

Splitting a statement into words (analysis.split) was most of a passage's time: a page of twenty
statements of 5,000 characters spent about 10 ms of CPU in the regular expression. The same
statements come back as a person refines a search (another filter, the next page and back, the API
polled), so the splits are kept, least recently shown dropped first, within a bound on the text they
hold (CHARS_HELD). They are kept compactly: each word interned (a statement repeats its words, and
statements share them), the offsets as 4-byte integers: 4.6-4.9 bytes a character of text, the text
itself included, measured with tracemalloc on the bench's statements in ar, en, pl and ru (the split
alone was 26.6 bytes a character as plain lists), so the bound is about 50 MB.

The key is the text itself: a statement that changes (an edit, a redaction) is another key, and its
old split is never used again; it is dropped in its turn. Only a caller that already holds the text
can reach its split, so nothing here can show a statement to anyone.
"""
import array
import sys
import threading
from collections import OrderedDict
from itertools import accumulate

from search_index.analysis import WORDS_AND_GAPS

CHARS_HELD = 10_000_000


class ShownWords:
    """split(text) -> (words as written, offsets), as analysis.split, kept within `chars_held`."""

    def __init__(self, chars_held=CHARS_HELD):
        self.chars_held = chars_held
        self._splits = OrderedDict()  # text -> (words, offsets), least recently used first
        self._chars = 0
        self._lock = threading.Lock()  # waitress serves requests on several threads

    def split(self, text):
        with self._lock:
            kept = self._splits.get(text)
            if kept is not None:
                self._splits.move_to_end(text)
                return kept
        kept = compact_split(text)  # outside the lock: two threads may split the same text, harmlessly
        if len(text) <= self.chars_held:
            with self._lock:
                if text not in self._splits:
                    self._splits[text] = kept
                    self._chars += len(text)
                while self._chars > self.chars_held:
                    dropped, _ = self._splits.popitem(last=False)
                    self._chars -= len(dropped)
        return kept

    def clear(self):
        with self._lock:
            self._splits.clear()
            self._chars = 0

    def __len__(self):
        return len(self._splits)

    @property
    def chars(self):
        return self._chars


def compact_split(text):
    """analysis.split's words and offsets, the words interned and the offsets an array of 4-byte integers
    (statements are far shorter than 4 GB: MAX_UPLOAD_MB bounds them)."""
    pieces = WORDS_AND_GAPS.split(text)  # gap, word, gap, word, ..., gap
    return list(map(sys.intern, pieces[1::2])), array.array("I", accumulate(map(len, pieces), initial=0))


shown_words = ShownWords()  # one per process, as the searcher
