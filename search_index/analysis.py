"""Analyzers: how testimony text becomes searchable terms, in any script.

`folded` tokenises on Unicode words (keeping combining marks, so Arabic with harakat stays one
word) and folds case and diacritics: `Kuźnica`, `KUZNICA` and `kuznica` are the same term.
`english` adds irregular-verb lemmas and Porter stemming on top, so `beaten`, `beat` and
`beating` meet; it only stems Latin-script tokens and leaves other scripts folded.
"""
from functools import lru_cache

from whoosh.analysis import Filter, RegexTokenizer
from whoosh.lang.porter import stem

from archive.text import WORD, fold

# Past forms Porter cannot reach, common in testimonies of violence and flight.
IRREGULAR = {
    "beaten": "beat", "bit": "bite", "bitten": "bite", "stole": "steal", "stolen": "steal",
    "took": "take", "taken": "take", "threw": "throw", "thrown": "throw", "drove": "drive",
    "driven": "drive", "broke": "break", "broken": "break", "caught": "catch", "fought": "fight",
    "shot": "shoot", "sent": "send", "brought": "bring", "held": "hold", "kept": "keep",
    "froze": "freeze", "frozen": "freeze", "fell": "fall", "fallen": "fall", "hid": "hide",
    "hidden": "hide", "ran": "run", "swam": "swim", "tore": "tear", "torn": "tear", "gave": "give",
    "given": "give", "told": "tell", "saw": "see", "seen": "see", "went": "go", "gone": "go",
    "came": "come", "lost": "lose", "found": "find", "bled": "bleed", "fed": "feed", "knelt": "kneel",
    "slept": "sleep", "spoke": "speak", "spoken": "speak", "wrote": "write", "written": "write",
    "struck": "strike", "stricken": "strike", "forbade": "forbid", "forbidden": "forbid",
    "hurt": "hurt", "children": "child", "men": "man", "women": "woman", "feet": "foot", "teeth": "tooth",
}


_fold_token = lru_cache(maxsize=200_000)(fold)  # statements repeat their words: fold each once


class FoldFilter(Filter):
    """Case and diacritic folding (see archive.text.fold)."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = _fold_token(token.text)
            yield token


class EnglishStemFilter(Filter):
    """Irregular forms to their lemma, then Porter, for ASCII words only."""

    def __init__(self):
        self.cache = {}

    def __call__(self, tokens):
        cache = self.cache
        for token in tokens:
            text = token.text
            if text not in cache:
                cache[text] = stem(IRREGULAR.get(text, text)) if text.isascii() and text.isalpha() else text
                if len(cache) > 50_000:
                    cache.clear()
            token.text = cache[text]
            yield token

    def __getstate__(self):  # the schema is pickled into the index: leave the cache out
        return {}

    def __setstate__(self, state):
        self.cache = {}


def folded():
    return RegexTokenizer(WORD) | FoldFilter()


def english():
    return RegexTokenizer(WORD) | FoldFilter() | EnglishStemFilter()
