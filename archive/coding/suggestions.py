"""Candidate codes found in a statement: abuse types from the codebook's terms, places from the
gazetteer's spellings, dates written in the text. Pure (no database), and it codes nothing: a
person accepts or dismisses each suggestion (archive/coding/suggestion_review.py).

Matching is on words, read by the index's own analyzers (search_index.analysis), so that a term
suggests a code wherever a search for it finds the statement: the text is split into WORD tokens
once, and each token is read as written (folded) and in the statement's language (Snowball's stem,
or simplemma's lemma for Polish and Ukrainian): `psami` meets the term `pies`, `избили` `избиение`'s
forms, `Kuźnicy` and `Кузнице` the place Kuźnica, `Medininkų` and `Vilniaus` their places. A match is a
run of whole tokens and its offsets are those tokens' offsets in the original text, whatever
folding does to lengths ('ß' -> 'ss', 'ﬁ' -> 'fi').
- A term is read in its own language only in a statement of that language (a statement without a
  language: in every language of the codebook's terms); in another language's statement, as written.
- A gazetteer spelling is read as written and in the statement's language (in every one, without a
  language), and must be capitalised where its script has case ('Bug' the river, not 'a bug').
- A text word of fewer than MIN_REDUCED letters that its analyzer leaves as it is matches only as
  written: short words are mostly pronouns and prepositions, which a stem can make look like a term
  (Lithuanian `mus`, us, is the stem of `mušė`, beat). One the analyzer changes (`psy` -> `pies`,
  `bit` -> `bite`) meets its lemma's forms.
- A place spelling met through a stem or lemma must keep all but its last PLACE_ENDING letters
  (`Kuźnic-y`, `Medinink-ų`, `Vilni-aus`): Polish reads a man's name `Michał` and the variant
  `Michalowo` as one stem, and a person is not a place.
- A term the codebook marks `names_only` (a river, a truck, a gate, asylum itself) suggests nothing:
  it names a thing or a circumstance, not the abuse.
- A term of several words may have up to MAX_GAP other words between two of its words, within a
  sentence ('forced by guards to cross' meets 'forced to cross'); a place name may not.
- An English term in an inflected form ('fired') stands only for itself, as the codebook writes a
  base form ('beat') where every form is meant: the noun 'fire' is not a shot.
"""
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from archive.coding import markers, perpetrators
from archive.coding.written_dates import find_dates
from archive.search.results import date_label
from archive.text import fold
from search_index import analysis
from search_index.analysis import FOLDED

ABUSE_TYPE, PLACE, DATE = "abuse_type", "place", "date"
KINDS = (ABUSE_TYPE, PLACE, DATE)
MIN_REDUCED = 4  # a text word shorter than this matches only as written
PLACE_ENDING = 2  # letters of a place's spelling an inflection may change
MAX_GAP = 2  # other words a term of several words may have between two of its own
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
    words: tuple        # one frozenset a word: the keys (analyzer name, word as it reads it) it matches
    folded: tuple       # the words as written, folded
    capitalised: bool   # the first matched word must start with a capital letter


def suggest(text, codebook, language=None, today=None):
    """Every candidate code in `text` (NFC, as stored), one per value, ordered by kind and position.
    `language` (ISO 639-1, the testimony's) chooses the analyzer its words are read with; None reads
    them in every language of the codebook's terms."""
    index = _patterns(codebook, language)
    tokens, keys = _read(text, index["names"])
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
        fitting = {}
        for key in keys[i]:
            for pattern in index.get(key, ()):
                if pattern not in fitting:
                    last = _fits(pattern, tokens, keys, i, text)
                    if last is not None:
                        fitting[pattern] = last
        if not fitting:
            i += 1
            continue
        longest = max(len(pattern.words) for pattern in fitting)
        last = min(end for pattern, end in fitting.items() if len(pattern.words) == longest)
        best = [pattern for pattern, end in fitting.items() if len(pattern.words) == longest and end == last]
        written = [pattern for pattern in best if _as_written(pattern, tokens, i)]
        start, end = tokens[i][0], tokens[last][1]
        by_value = {}
        for pattern in written or best:
            by_value.setdefault(pattern.value, []).append(pattern)
        for value, patterns in sorted(by_value.items()):
            label = codebook.label(patterns[0].kind, value)
            # Name the spelling as the text has it, else the canonical name, else any.
            trigger = min(patterns, key=lambda p: (p.trigger != text[start:end], p.trigger != label, p.trigger))
            found.append(_suggestion(text, trigger.kind, value, label, start, end, trigger.trigger, longest))
        i = last + 1
    return found


def _asserted(text, suggestion):
    """False when the sentence only reports or supposes it (hearsay, a condition), or the words around
    the trigger deny it, compare with it or make it a name (archive/coding/markers.py)."""
    return not (markers.hearsay(suggestion.passage)
                or markers.governed(text, suggestion.passage_start, suggestion.start, suggestion.end))


def _fits(pattern, tokens, keys, i, text):
    """The index of the last token of a match of `pattern` from token i, or None. An abuse type's term
    of several words may have up to MAX_GAP other words between two of its words, within a sentence
    ('forced by guards to cross', 'took our phones'); a place's name may not."""
    if i + len(pattern.words) > len(tokens):
        return None
    if pattern.capitalised and not text[tokens[i][0]].isupper():
        return None
    if not pattern.words[0] & keys[i]:
        return None
    gap = MAX_GAP if pattern.kind == ABUSE_TYPE else 0
    at = i
    for word in pattern.words[1:]:
        for step in range(1, gap + 2):
            j = at + step
            if j >= len(tokens) or SENTENCE_END.search(text, tokens[j - 1][1], tokens[j][0]):
                return None
            if word & keys[j]:
                at = j
                break
        else:
            return None
    if pattern.kind == PLACE and not all(_keeps_stem(fold(tokens[i + j][2]), written)
                                         for j, written in enumerate(pattern.folded)):
        return None
    return at


def _keeps_stem(word, spelling):
    """The text's word keeps the spelling but for its last PLACE_ENDING letters (or is it); in Arabic
    after a clitic of one or two letters, too ('وكيبارتاي', 'بمينسك')."""
    stem = spelling[:max(1, len(spelling) - PLACE_ENDING)]
    return word == spelling or word.startswith(stem) or (_arabic(stem) and 0 < word.find(stem) <= 2)


def _arabic(word):
    return any("\u0600" <= c <= "\u06ff" for c in word)


def _as_written(pattern, tokens, i):
    return all(i + j < len(tokens) and fold(tokens[i + j][2]) == word for j, word in enumerate(pattern.folded))


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


# --- reading words the index's way ------------------------------------------------------------

def _read(text, names):
    """(tokens [(start, end, word as written)], keys [{(analyzer name, word as it reads it)}]) of
    `text` read by every analyzer in `names` (FOLDED first): each splits it into the same words."""
    written = analysis.read(FOLDED, text)
    readings = [(name, analysis.read(name, text).words) for name in names if name != FOLDED]
    tokens, keys = [], []
    for i, folded in enumerate(written.words):
        start, end = written.start(i), written.end(i)
        tokens.append((start, end, text[start:end]))
        key = {(FOLDED, folded)}
        key.update((name, words[i]) for name, words in readings if len(folded) >= MIN_REDUCED or words[i] != folded)
        keys.append(frozenset(key))
    return tokens, keys


def _term_names(term_language, language):
    """The analyzers a term of `term_language` is read with in a statement in `language`."""
    if term_language in analysis.LANGUAGES and language in (None, term_language):
        return (FOLDED, term_language)
    return (FOLDED,)


def _statement_names(codebook, language):
    """The analyzers a statement in `language` is read with: as written, and in its language (without
    one, in every language of the codebook's terms that has morphology)."""
    if language is None:
        languages = {code for abuse in codebook.abuse_types.values() for code in abuse.get("terms", {})}
        return (FOLDED, *sorted(code for code in languages if code in analysis.LANGUAGES))
    return (FOLDED, language) if language in analysis.LANGUAGES else (FOLDED,)


_CACHE = {}


def _patterns(codebook, language):
    """{kind: {first word's key: [patterns]}, 'names': analyzers} for a codebook and statement
    language, built once."""
    key = (id(codebook), language)
    if key not in _CACHE:
        _CACHE[key] = (codebook, _build(codebook, language))  # the codebook kept alive with its id
    return _CACHE[key][1]


def _build(codebook, language):
    names = _statement_names(codebook, language)
    index = {ABUSE_TYPE: {}, PLACE: {}, "names": names}
    for abuse in codebook.abuse_types.values():
        names_only = abuse.get("names_only", {})
        for term_language, terms in abuse.get("terms", {}).items():
            for term in terms:
                if term in names_only.get(term_language, ()):
                    continue  # 'river', 'truck', 'asylum': a search finds them, they suggest nothing
                for name in _term_names(term_language, language):
                    if name == "en" and _inflected_english(term):
                        continue
                    _add(index[ABUSE_TYPE], ABUSE_TYPE, abuse["id"], term, name, False)
    for place in codebook.places.values():
        for spelling in dict.fromkeys([place["name"], *place["variants"]]):
            for name in names:
                _add(index[PLACE], PLACE, place["id"], spelling, name, spelling[:1].isupper())
    return index


def _inflected_english(term):
    """True when an English term is written in a form that is not its own stem ('fired', not 'fire')."""
    return any(reduced != written for reduced, written
               in zip(analysis.read("en", term).words, analysis.read(FOLDED, term).words))


def _add(index, kind, value, phrase, name, capitalised):
    """Index `phrase` read by analyzer `name`: each of its words matches a text word read the same way,
    or written the same way."""
    folded = tuple(analysis.read(FOLDED, phrase).words)
    if not folded:
        return
    read = analysis.read(name, phrase).words
    words = tuple(frozenset({(FOLDED, w), (name, r)}) for w, r in zip(folded, read))
    pattern = _Pattern(kind, value, phrase, words, folded, capitalised)
    for key in words[0]:
        bucket = index.setdefault(key, [])
        if pattern not in bucket:
            bucket.append(pattern)
