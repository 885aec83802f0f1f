"""Analyzers: how testimony text becomes searchable terms, in each language it is written in.

`folded` tokenises on Unicode words (keeping combining marks, so Arabic with harakat stays one
word) and folds case and diacritics: `Kuźnica`, `KUZNICA` and `kuznica` are the same term. Every
statement goes through it (the `text` field), so a word is always found as written.

`language(code)` adds the language's morphology before folding, so the inflections of a word
meet: `psy`, `psami`, `pies` (Polish); `собака`, `собаки`, `собаками` (Russian); `šuo`, `šuns`
(Lithuanian). Two maintained libraries do it, each with its data inside its package:
- Snowball stemmers (PyStemmer) for the languages Snowball covers: Russian, Arabic, Lithuanian,
  Hungarian, English (Porter2, after our irregular-verb lemmas), German, French and the rest;
- simplemma's dictionary lemmatiser for Polish and Ukrainian, whose inflection (suppletive
  plurals, consonant alternations: pies/psy, Kuźnica/Kuźnicy) a suffix stripper cannot undo; for
  Polish, Snowball's Polish stemmer then stems the lemma (pobić/pobicie, and words the dictionary
  lacks). Measured on the evaluation set against Snowball alone and pystempel (docs/search.md).
A statement is analysed in its own language only (its `text_<code>` field); a query, which
carries no language, is analysed in every language the archive holds (search_index.searcher).
"""
import os
import re
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple

import Stemmer
from whoosh.analysis import Filter, RegexTokenizer

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
    "died": "die", "dying": "die",
}

SNOWBALL = {
    "ar": "arabic", "ca": "catalan", "cs": "czech", "da": "danish", "de": "german", "el": "greek",
    "en": "english", "es": "spanish", "fa": "persian", "fi": "finnish", "fr": "french", "hu": "hungarian",
    "hy": "armenian", "it": "italian", "lt": "lithuanian", "nl": "dutch", "no": "norwegian", "pl": "polish",
    "pt": "portuguese",
    "ro": "romanian", "ru": "russian", "sr": "serbian", "sv": "swedish", "tr": "turkish",
}
LEMMATISED = ("pl", "uk")  # simplemma's dictionaries
# How each language's reduction is made, where it changed since the first: an index built with an older
# one is refused as outdated (search_index.schema.outdated compares the filters).
VERSIONS = {"ar": 2}  # 2: the conjunctions و and ف before the article are taken off before Snowball
ARABIC_CONJUNCTIONS = ("و", "ف")
# Every language with morphology: each has its own field in the index (search_index.schema).
LANGUAGES = tuple(sorted({*SNOWBALL, *LEMMATISED}))
CACHED_WORDS = 200_000

_fold_token = lru_cache(maxsize=CACHED_WORDS)(fold)  # statements repeat their words: fold each once


@lru_cache(maxsize=None)
def _snowball(code):
    return Stemmer.Stemmer(SNOWBALL[code], CACHED_WORDS)  # PyStemmer caches stems itself


def _lemmatise(code):
    lemmatize = _lemmatizer().lemmatize

    @lru_cache(maxsize=CACHED_WORDS)
    def lemma(word):  # as written: the dictionary knows proper names by their capital (Kuźnicy -> Kuźnica)
        return lemmatize(word, lang=code).lower()
    return lemma


@lru_cache(maxsize=None)
def _lemmatizer():
    """simplemma's lemmatizer, its dictionaries kept as MARISA tries in the user's cache: built once a
    machine (12 s of CPU for Polish and Ukrainian), then opened in 10 ms and 21 MB. Its default reads the
    Polish dictionary anew in every process that meets Polish (3 s of CPU, 70 MB): each server start, each
    `archive import`, each test worker paid it."""
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy

    tries = _cached_tries()
    if not _can_keep(tries._cache_dir):  # a trie built anew in every process would cost 4 times the default
        return Lemmatizer(lemmatization_strategy=DefaultStrategy(low_memory=True))
    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=tries))


def _can_keep(folder):
    """Whether the tries are in `folder` already, or can be written there."""
    if all((folder / f"{code}.dic").exists() for code in LEMMATISED):
        return True
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK)


def _cached_tries(directory=None):
    """simplemma's trie factory (cache in `directory`, default the user's cache), writing atomically."""
    from simplemma.strategies.dictionaries.trie_dictionary_factory import TrieDictionaryFactory

    class CachedTries(TrieDictionaryFactory):
        def _write_trie_to_disk(self, lang, trie):
            """Written whole under another name, then moved in: a process that starts meanwhile never
            opens half a dictionary (simplemma's own writes the file in place)."""
            self._cache_dir.mkdir(parents=True, exist_ok=True)
            partial = self._cache_dir / f"{lang}.dic.{os.getpid()}.partial"
            try:
                trie.save(str(partial))
                os.replace(partial, self._cache_dir / f"{lang}.dic")
            finally:
                partial.unlink(missing_ok=True)

    return CachedTries(disk_cache_dir=directory)


@lru_cache(maxsize=None)
def reducer(code):
    """The function that takes a word of language `code`, as written, to the lower-cased form its
    inflections share."""
    if code in LEMMATISED:
        lemma = _lemmatise(code)
        if code not in SNOWBALL:
            return lemma
        stem = _snowball(code).stemWord  # the lemma's stem: pobić and pobicie meet, and words the dictionary lacks
        return lambda word: stem(lemma(word))
    stem = _snowball(code).stemWord
    if code == "en":
        return lambda word: stem(IRREGULAR.get(word.lower(), word.lower()))
    if code == "ar":
        return lambda word: stem(_without_conjunction(word))
    return lambda word: stem(word.lower())


def _without_conjunction(word):
    """'والغاز' -> 'الغاز': Snowball's Arabic stemmer takes off بال, كال, لل and و before a verb, but not
    'and' or 'so' glued to the article (والكلاب stays itself), so the word would meet only itself."""
    if word[:1] in ARABIC_CONJUNCTIONS and word[1:3] in ("ال", "لل") and len(word) >= 5:
        return word[1:]
    return word


class FoldFilter(Filter):
    """Case and diacritic folding (see archive.text.fold)."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = _fold_token(token.text)
            yield token


class MorphologyFilter(Filter):
    """A word to its language's stem or lemma, lower-cased, then folded: `Kuźnicy` -> `kuznic`.
    Folding comes after, because stemmers read diacritics (Russian `й`, Polish `ł`)."""

    def __init__(self, code):
        self.code = code
        self.version = VERSIONS.get(code, 1)

    def __call__(self, tokens):
        reduce = reducer(self.code)
        for token in tokens:
            token.text = _fold_token(reduce(token.text))
            yield token

    def __eq__(self, other):
        return type(other) is type(self) and (other.code, other.version) == (self.code, self.version)

    def __getstate__(self):  # the schema is pickled into the index: only the language and its version are kept
        return {"code": self.code, "version": self.version}

    def __setstate__(self, state):
        self.code, self.version = state["code"], state.get("version", 1)


class EnglishStemFilter(Filter):
    """Kept only so that an index built before per-language analysis still opens (its pickled schema
    names this class) and is reported as outdated: `archive reindex` rebuilds it."""

    def __call__(self, tokens):
        return MorphologyFilter("en")(tokens)

    def __setstate__(self, state):
        pass


PAIR_SEPARATOR = " "  # never inside a word (archive.text.WORD)
FOLDED = "folded"  # the analyzer name of the words as written; the others are named by their language


def pairs_text(words):
    """The word pairs of `words` (each word with the next: 'military truck'), one a line: the value of a
    word-pair field (search_index.schema.pairs_of), whose analyzer (`pair_lines`) only splits lines."""
    return "\n".join(first + PAIR_SEPARATOR + second for first, second in zip(words, words[1:]))


def pair_lines():
    return RegexTokenizer(r"[^\n]+")


def folded():
    return RegexTokenizer(WORD) | FoldFilter()


def language(code):
    """The analyzer of statements written in `code` (one of LANGUAGES)."""
    return RegexTokenizer(WORD) | MorphologyFilter(code)


@lru_cache(maxsize=None)
def by_name(name):
    """The analyzer FOLDED, or that of language `name`."""
    return folded() if name == FOLDED else language(name)


class Reading(NamedTuple):
    """A text's words as an analyzer reads them, and where they are: word i is `text[start(i):end(i)]`."""
    words: list
    offsets: list  # where each piece of the text's split into gaps and words begins

    def start(self, i):
        return self.offsets[2 * i + 1]

    def end(self, i):
        return self.offsets[2 * i + 2]


def read(name, text):
    """`text` as analyzer `name` (see by_name) reads it: the same words as the analyzer
    (tests/unit/test_morphology.py checks it), without its token objects and filters. The text is split
    once for every analyzer that reads it, and the words and offsets are made in C: a results page reads
    twenty whole statements twice (as written and in their language) for their passages."""
    words, offsets = _split(text)
    return Reading(list(map(word_reading(name), words)), offsets)


def split(text):
    """(words as written, offsets): the text's words, and where the gaps and words begin (as Reading)."""
    return _split(text)


def word_reading(name):
    """One word as analyzer `name` reads it: what `read` does to each word of a text."""
    return _fold_token if name == FOLDED else _reading(name)


@lru_cache(maxsize=4)  # the statement being indexed or shown: its concepts, pairs and passage split it once
def _split(text):
    pieces = WORDS_AND_GAPS.split(text)  # gap, word, gap, word, ..., gap
    return pieces[1::2], list(accumulate(map(len, pieces), initial=0))


WORDS_AND_GAPS = re.compile(f"({WORD.pattern})")


@lru_cache(maxsize=None)
def _reading(code):
    reduce = reducer(code)
    return lru_cache(maxsize=CACHED_WORDS)(lambda word: _fold_token(reduce(word)))



def for_language(code):
    """The analyzer for a statement's language, or None when it has no morphology here (folded only)."""
    return language(code) if code in LANGUAGES else None


def field_of(code):
    """The index field holding statements written in `code`, or None."""
    return f"text_{code}" if code in LANGUAGES else None


def tokens(analyzer, text):
    """The analysed words of `text`, as a tuple."""
    return tuple(token.text for token in analyzer(text))
