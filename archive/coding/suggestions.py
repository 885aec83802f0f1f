"""Candidate codes found in a statement: abuse types from the codebook's terms, places from the
gazetteer's spellings, dates written in the text. Pure (no database), and it codes nothing: a
person accepts or dismisses each suggestion (archive/coding/suggestion_review.py).

Matching is on words. The stored (NFC) text is split into WORD tokens and each token is folded on
its own, so a match is a run of whole tokens and its offsets are those tokens' offsets in the
original text, whatever folding does to lengths ('ß' -> 'ss', 'ﬁ' -> 'fi'). Each term word is
compared under its language's rule, a heuristic for inflection:
- en: irregular forms and Porter stems (search_index.analysis), so 'beaten' and 'beating' meet 'beat';
- pl, ru: a word of 5+ letters matches any word that starts with its stem (the word less its final
  vowels) and adds at most 4 letters: 'собака' finds 'собаку', 'Szudziałowo' finds 'Szudziałowa';
- ar: a leading clitic (و ف ب ل ك, ال and their combinations) may precede the word, and the
  alef that carries an accusative tanwin may follow it ('مفقوداً' finds 'مفقود');
- anything else, and every rule in a statement of another language: the folded word exactly.
Places must also be capitalised where their script has case ('Bug' the river, not 'a bug').
"""
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from whoosh.lang.porter import stem as porter_stem

from archive.coding import markers, perpetrators
from archive.coding.written_dates import find_dates
from archive.search.results import date_label
from archive.text import WORD, fold
from search_index.analysis import IRREGULAR

ABUSE_TYPE, PLACE, DATE = "abuse_type", "place", "date"
KINDS = (ABUSE_TYPE, PLACE, DATE)
STEMMED_LANGUAGES = ("pl", "ru")
MIN_STEMMED_WORD, MIN_STEM, MAX_ENDING = 5, 4, 4
SLAVIC_VOWELS = "aeiouyаеёиоуыэюяйь"
ARABIC_CLITICS = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ف", "ب", "ل", "ك")
SENTENCE_END = re.compile(r"[.!?؟…]+(?=\s|$)|\n")
PASSAGE_REACH = 200  # characters either side of the trigger at most


@dataclass(frozen=True)
class Suggestion:
    kind: str           # ABUSE_TYPE, PLACE or DATE
    value: str          # abuse type id, place id, or an EDTF date ('2021-11-08', '2021-11', '2021')
    label: str
    start: int          # text[start:end] is the triggering passage (code points of the NFC text)
    end: int
    trigger: str        # the term, spelling or date form that matched
    passage: str        # the sentence around it, for display
    passage_start: int  # where `passage` begins in the text
    count: int = 1      # occurrences of this value in the text

    def segments(self):
        """(before, trigger, after) within the passage, for a template to escape and mark."""
        at, until = self.start - self.passage_start, self.end - self.passage_start
        return self.passage[:at], self.passage[at:until], self.passage[until:]


@dataclass(frozen=True)
class _Pattern:
    kind: str
    value: str
    trigger: str
    words: tuple        # ((rule, key), ...) one per word
    folded: tuple       # the words as written, folded
    capitalised: bool   # the first matched word must start with a capital letter


def suggest(text, codebook, language=None, today=None):
    """Every candidate code in `text` (NFC, as stored), one per value, ordered by kind and position.
    `language` (ISO 639-1, the testimony's) chooses the inflection rules; None tries them all."""
    tokens = [(found.start(), found.end(), found.group()) for found in WORD.finditer(text)]
    keys = [_token_keys(fold(word)) for _, _, word in tokens]
    index = _patterns(codebook, language)
    found = []
    for kind in (ABUSE_TYPE, PLACE):
        found += _matches(text, tokens, keys, index[kind], codebook)
    found = [(strength, s) for strength, s in found if s.kind != ABUSE_TYPE or _asserted(text, s)]
    found += [_suggestion(text, DATE, date.text, date_label(date.text, date.precision), start, end, trigger)
              for start, end, trigger, date in find_dates(text, today)]
    return _deduplicate(found)


def _matches(text, tokens, keys, index, codebook):
    """The longest patterns at each token, left to right; a matched run is not matched again.
    Where a term matches as written, patterns that match only through inflection are dropped."""
    found, i = [], 0
    while i < len(tokens):
        fitting = {pattern for key in keys[i] for pattern in index.get(key, ())
                   if _fits(pattern, tokens, keys, i, text)}
        if not fitting:
            i += 1
            continue
        longest = max(len(pattern.words) for pattern in fitting)
        best = [pattern for pattern in fitting if len(pattern.words) == longest]
        written = [pattern for pattern in best if _as_written(pattern, tokens, i)]
        start, end = tokens[i][0], tokens[i + longest - 1][1]
        by_value = {}
        for pattern in written or best:
            by_value.setdefault(pattern.value, []).append(pattern)
        for value, patterns in sorted(by_value.items()):
            label = codebook.label(patterns[0].kind, value)
            # Name the spelling as the text has it, else the canonical name, else any.
            trigger = min(patterns, key=lambda p: (p.trigger != text[start:end], p.trigger != label, p.trigger))
            found.append(_suggestion(text, trigger.kind, value, label, start, end, trigger.trigger, longest))
        i += longest
    return found


def _asserted(text, suggestion):
    """False when the sentence only reports or supposes it (hearsay, a condition), or the words around
    the trigger deny it, compare with it or make it a name (archive/coding/markers.py)."""
    return not (markers.hearsay(suggestion.passage)
                or markers.governed(text, suggestion.passage_start, suggestion.start, suggestion.end))


def _fits(pattern, tokens, keys, i, text):
    if i + len(pattern.words) > len(tokens):
        return False
    if pattern.capitalised and not text[tokens[i][0]].isupper():
        return False
    return all(word in keys[i + j] for j, word in enumerate(pattern.words))


def _as_written(pattern, tokens, i):
    return all(fold(tokens[i + j][2]) == word for j, word in enumerate(pattern.folded))


def _suggestion(text, kind, value, label, start, end, trigger, strength=0):
    passage_start, passage_end = _sentence(text, start, end)
    return strength, Suggestion(kind, value, label, start, end, trigger, text[passage_start:passage_end],
                                passage_start)


def _deduplicate(found):
    """One suggestion per value: its strongest passage (most words matched), else its first."""
    best, counts = {}, {}
    for strength, suggestion in found:
        key = (suggestion.kind, suggestion.value)
        counts[key] = counts.get(key, 0) + 1
        if key not in best or strength > best[key][0]:
            best[key] = (strength, suggestion)
    chosen = [replace(s, count=counts[(s.kind, s.value)]) for _, s in best.values()]
    return sorted(chosen, key=lambda s: (KINDS.index(s.kind), s.start))


def _sentence(text, start, end):
    """The bounds of the sentence holding text[start:end], at most PASSAGE_REACH either side
    (cut at a space when the sentence is longer)."""
    low, high = max(0, start - PASSAGE_REACH), min(len(text), end + PASSAGE_REACH)
    ends_before = [found.end() for found in SENTENCE_END.finditer(text, low, start)]
    if ends_before:
        first = ends_before[-1]
    else:
        first = low if low == 0 else text.find(" ", low, start) + 1 or low
    end_after = SENTENCE_END.search(text, end, high)
    if end_after:
        last = end_after.end()
    else:
        last = high if high == len(text) else max(text.rfind(" ", end, high), end)
    while first < start and text[first].isspace():
        first += 1
    while last > end and text[last - 1].isspace():
        last -= 1
    return first, last


def perpetrators_in(text, codebook):
    """The perpetrators a passage names (archive/coding/perpetrators.py): units by an alias ("Straż
    Graniczna", "ОМОН") or by a nationality beside a force ("Belarusian soldiers", "литовские
    пограничники"), else the side; sorted ids. A one-word alias in lower case ("police", "wojsko")
    names no one in particular, and a country's name alone ("in Poland") is a place: neither is used."""
    return sorted({found.value for found in perpetrators.find(text, codebook)})


# --- the rules ---------------------------------------------------------------------------------

def _english(folded):
    return porter_stem(IRREGULAR.get(folded, folded)) if folded.isascii() and folded.isalpha() else folded


def _stem(folded):
    """'sobaka' -> 'sobak'; None for a word too short to stem safely (it must match exactly)."""
    if len(folded) < MIN_STEMMED_WORD:
        return None
    stem = folded.rstrip(SLAVIC_VOWELS)
    return stem if len(stem) >= MIN_STEM else folded[:MIN_STEM]


@lru_cache(maxsize=100_000)
def _token_keys(folded):
    """Every (rule, key) under which a text token can match a pattern word."""
    keys = {("fold", folded), ("en", _english(folded))}
    keys.update(("stem", folded[:n]) for n in range(max(MIN_STEM, len(folded) - MAX_ENDING), len(folded) + 1))
    if _arabic(folded):
        bare = folded[:-1] if folded.endswith("ا") and len(folded) > 3 else folded  # tanwin on alef
        for word in {folded, bare}:
            keys.add(("ar", word))
            keys.update(("ar", word[len(clitic):]) for clitic in ARABIC_CLITICS
                        if word.startswith(clitic) and len(word) - len(clitic) >= 2)
    return frozenset(keys)


def _arabic(word):
    return any("\u0600" <= c <= "\u06ff" for c in word)


def _word_key(folded, rule):
    if _arabic(folded):  # Arabic script is matched with its clitics in any statement
        return ("ar", folded)
    if rule == "en":  # a base form stands for its inflections; an inflected term only for itself
        return ("en", folded) if _english(folded) == folded else ("fold", folded)
    if rule == "stem":
        stem = _stem(folded)
        return ("stem", stem) if stem else ("fold", folded)
    return ("fold", folded)


def _rule(term_language, language):
    """The rule a term of `term_language` is matched by in a statement in `language`."""
    if language is not None and language != term_language:
        return "fold"
    return {"en": "en", "pl": "stem", "ru": "stem"}.get(term_language, "fold")


_CACHE = {}


def _patterns(codebook, language):
    """{kind: {first word's key: [patterns]}} for a codebook and statement language, built once."""
    key = (id(codebook), language)
    if key not in _CACHE:
        _CACHE[key] = (codebook, _build(codebook, language))  # the codebook kept alive with its id
    return _CACHE[key][1]


def _build(codebook, language):
    index = {ABUSE_TYPE: {}, PLACE: {}}
    for abuse in codebook.abuse_types.values():
        for term_language, terms in abuse["terms"].items():
            for term in terms:
                _add(index[ABUSE_TYPE], ABUSE_TYPE, abuse["id"], term, _rule(term_language, language), False)
    place_rule = "stem" if language is None or language in STEMMED_LANGUAGES else "fold"
    for place in codebook.places.values():
        for spelling in dict.fromkeys([place["name"], *place["variants"]]):
            _add(index[PLACE], PLACE, place["id"], spelling, place_rule, spelling[:1].isupper())
    return index


def _add(index, kind, value, phrase, rule, capitalised):
    folded = tuple(fold(word) for word in WORD.findall(phrase))
    if folded:
        words = tuple(_word_key(word, rule) for word in folded)
        index.setdefault(words[0], []).append(_Pattern(kind, value, phrase, words, folded, capitalised))
