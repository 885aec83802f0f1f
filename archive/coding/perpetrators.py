"""Perpetrators a statement names: the side (state) and, where the words say it, the unit, with the
sentence as evidence. Pure (no database); a person accepts or dismisses what is offered.

Two ways of naming one, in every language of the codebook:
- a unit's alias ("Straż Graniczna", "ОМОН", "Lithuanian border guards"), whole words, folded;
- a nationality beside a force ("Belarusian soldiers", "polscy strażnicy", "литовские пограничники",
  "حرس الحدود البولندي"): the side, and the unit the force's kind gives on that side (border guards,
  soldiers, police); words are matched by their folded beginnings, so inflections meet.
- a people of a side acting ("Lietuviai mušė", "zgarnięcie przez Białorusinów", "the Belarusians"): the side.
A force takes the nearest nationality within REACH words ("الحرس البيلاروسي في ليتوانيا" is Belarusian),
and a nationality word after a preposition of place or direction ("į Baltarusiją", "в Польшу", "to
Poland") is a place, not whose force it is. A clause that only reports what others said (hearsay:
"reportedly", "podobno", "говорят") or a naming a negation denies ("did not find us", "nie było") names
no one. "Poland" alone is a place, not a perpetrator, and is never used.
"""
import re
from dataclasses import dataclass
from functools import lru_cache

from archive.coding.markers import governed, hearsay, sentences
from archive.coding.markers import _NOT_ONLY as NOT_ONLY
from archive.text import WORD, fold

# Folded word beginnings of each side's adjective, per language (en, pl, ru, uk, lt, ar).
SIDES = {
    "PL": ("polish", "polsk", "polsc", "польск", "польськ", "lenk", "البولندي", "البولندية", "بولندي", "بولندية"),
    "BY": ("belarus", "bialorus", "белорус", "беларус", "білорус", "baltarus", "البيلاروسي", "البيلاروسية",
           "بيلاروسي", "البلاروسي"),
    "LT": ("lithuan", "litew", "литовск", "литовськ", "lietuv", "الليتواني", "الليتوانية", "ليتواني"),
    "LV": ("latvia", "lotew", "латвийск", "латвійськ", "latv", "اللاتفي"),
}
# Folded beginnings of force nouns, by the kind of unit they mean.
FORCES = {
    "border_guard": ("guard", "border police", "border officer", "strazni", "straz graniczn", "pogranicz",
                     "funkcjonariusz", "погранич", "пограничн", "прикордон", "pasienie", "حرس الحدود", "حرس",
                     "الحرس"),
    "army": ("soldier", "army", "military", "troop", "zolnierz", "wojsk", "солдат", "военн", "військов",
             "kari", "الجنود", "الجيش", "جنود"),
    "police": ("police", "policj", "policjan", "полици", "милици", "поліці", "policij", "الشرطة", "شرطة"),
    # a force of no particular kind: the side only
    "forces": ("officer", "officials", "authorit", "forces", "services", "uniformed", "służb", "sluzb", "władz",
               "wladz", "силовик", "сотрудник", "служб", "власт", "силов", "правоохран", "співробітник",
               "правоохорон", "влада", "владу", "pareigun", "tarnyb", "valdzi", "السلطات", "قوات", "عناصر", "الأمن"),
}
# Folded beginnings of a side's people (a plural noun): they name the side by themselves.
PEOPLE = {
    "PL": ("poles", "polacy", "polakow", "поляки", "поляков", "поляків", "lenkai", "البولنديون", "البولنديين"),
    "BY": ("belarusians", "bialorusini", "bialorusinow", "белорусы", "белорусов", "білоруси", "білорусів",
           "baltarusiai", "البيلاروسيون", "البيلاروسيين"),
    "LT": ("lithuanians", "litwini", "litwinow", "литовцы", "литовцев", "литовці", "литовців", "lietuviai",
           "الليتوانيون", "الليتوانيين"),
    "LV": ("latvians", "lotysze", "латыши", "латиші", "latviai", "اللاتفيون"),
}
# Prepositions of place or direction, lower case as written (Lithuanian 'į' is not Polish 'i', and):
# a nationality word after one is where, not who.
PLACE_PREPOSITIONS = frozenset((
    "to", "into", "in", "from", "towards", "toward", "do", "w", "we", "na", "z", "ze", "в", "во", "на", "из", "с",
    "к", "у", "до", "з", "із", "į", "iš", "إلى", "الى", "في", "من", "نحو",
))
AND = frozenset(("and", "i", "oraz", "и", "і", "та", "ir", "و"))  # 'białoruskich i polskich pograniczników': both
UNITS = {
    ("PL", "border_guard"): "pl_border_guard", ("PL", "army"): "pl_army", ("PL", "police"): "pl_police",
    ("BY", "border_guard"): "by_border_guard", ("BY", "army"): "by_military_special", ("BY", "police"): "by_police",
    ("LT", "border_guard"): "lt_border_guard", ("LT", "army"): "lt_army",
}
REACH = 3  # words between a nationality and its force at most
_fold_word = lru_cache(maxsize=100_000)(fold)  # statements repeat their words: fold each once
DENYING = ("not", "t", "nie", "не", "ne", "لم")  # folded: a negation right after a naming
# Folded beginnings of verbs of giving and letting: 'the Latvian authorities didn't give us clothes', 'nie
# wpuścili', 'не пускали' withhold; the naming stands, for the withholding is what they did.
WITHHOLDING = ("give", "gave", "let", "allow", "provid", "offer", "dal", "dawa", "pozwol", "wpusc", "udziel",
               "дава", "дал", "пуска", "пусти", "разреш", "оказ", "дозвол", "нада", "dave", "duod", "leid", "leis",
               "suteik", "يعط", "يسمح", "يقدم")
CLAUSE_END = re.compile(r"[:;]|\s[–—-]\s")


@dataclass(frozen=True)
class Perpetrator:
    value: str          # a unit id where the words name the unit, else the side's id
    side: str
    start: int          # text[start:end]: the words that name it
    end: int
    passage: str        # the sentence, as evidence
    passage_start: int

    @property
    def unit(self):
        return self.value if self.value != self.side else None


def find(text, codebook):
    """Every perpetrator the text names, one per value (its first naming), in order of appearance."""
    found = {}
    for start, end, sentence in _clauses(text):
        words = [(m.start() + start, m.end() + start, _fold_word(m.group())) for m in WORD.finditer(sentence)]
        named = [*_aliases(words, codebook), *_nationalities(words, text)]
        if not named or hearsay(sentence):  # most clauses name no one: the hearsay test is the dearer one
            continue
        for value, first, last in named:
            if value not in found and not _denied(text, start, words, last):
                found[value] = Perpetrator(value, codebook.side_of(value), words[first][0], words[last][1],
                                           sentence, start)
    # A side named only beside a unit of its own adds nothing.
    units_sides = {p.side for p in found.values() if p.unit}
    return sorted((p for p in found.values() if p.unit or p.side not in units_sides), key=lambda p: p.start)


def _denied(text, sentence_start, words, last):
    """'Belarusian soldiers didn't find us': a negation just after the naming denies what they did
    ('польские силовики не только избили', not only, denies nothing)."""
    if governed(text, sentence_start, words[last][1], words[last][1]):
        return True
    after = [fold(w) for w in WORD.findall(text[words[last][1]:words[min(last + 4, len(words) - 1)][1]])]
    return any(w in DENYING and (n + 1 == len(after) or (after[n + 1] not in NOT_ONLY
                                                        and not after[n + 1].startswith(WITHHOLDING)))
               for n, w in enumerate(after[:2]))


def _aliases(words, codebook):
    folded = [w for _, _, w in words]
    by_first = _alias_phrases(codebook)
    for i, word in enumerate(folded):
        for value, phrase in by_first.get(word, ()):
            if tuple(folded[i:i + len(phrase)]) == phrase:
                yield value, i, i + len(phrase) - 1


def _nationalities(words, text):
    """(value, first, last) for each force with the nearest nationality within REACH (its unit where the
    kind of force gives one), and the one joined to it by 'and'; and for each people of a side no force took."""
    folded = [w for _, _, w in words]
    sides = {i: side for i, word in enumerate(folded)
             if (side := _side(word)) and not _after_preposition(words, i, text)}
    taken = set()
    near_a_side = sorted({j for i in sides for j in range(max(0, i - REACH), min(len(folded), i + REACH + 1))})
    for j in near_a_side:  # a force names someone only beside a nationality: look nowhere else
        near = [i for i in sides if i != j and abs(i - j) <= REACH]
        kind = _force(folded, j) if near else None
        if kind:
            i = min(near, key=lambda i: (abs(i - j), i))
            joined = [i, *(k for k in (i - 2, i + 2) if k in sides and folded[(i + k) // 2] in AND)]
            for i in joined:
                taken.add(i)
                yield UNITS.get((sides[i], kind), sides[i]), min(i, j), max(i, j)
    for i, side in sides.items():
        if i not in taken and folded[i].startswith(PEOPLE[side]):
            yield side, i, i


def _after_preposition(words, i, text):
    return i > 0 and text[words[i - 1][0]:words[i - 1][1]].lower() in PLACE_PREPOSITIONS


@lru_cache(maxsize=100_000)
def _side(word):
    return next((side for side, beginnings in SIDES.items() if word.startswith(beginnings)), None)


def _clauses(text):
    """[(start, end, clause)]: each sentence cut at a colon, semicolon or dash, so that 'if' or 'reportedly'
    in one clause does not silence a naming in another."""
    found = []
    for start, end, sentence in sentences(text):
        at = 0
        for cut in CLAUSE_END.finditer(sentence):
            found.append((start + at, start + cut.end(), sentence[at:cut.end()]))
            at = cut.end()
        found.append((start + at, end, sentence[at:]))
    return [(s, e, piece) for s, e, piece in found if piece.strip()]


def _force(folded, j):
    """The kind of force folded[j] (with the next word, for two-word forces) names, or None."""
    two = " ".join(folded[j:j + 2])
    for kind, one_word, two_words in _FOLDED_FORCES:
        if folded[j].startswith(one_word) or two.startswith(two_words):
            return kind
    return None


_FOLDED_FORCES = [(kind, tuple(fold(b) for b in beginnings if " " not in b) or ("\0",),
                   tuple(fold(b) for b in beginnings if " " in b) or ("\0",)) for kind, beginnings in FORCES.items()]


_PHRASES = {}


def _alias_phrases(codebook):
    """{first folded word: [(unit id, folded words)]} of every alias that names someone in particular:
    several words, or one written with a capital ("SG", "OMON"); "police" or "wojsko" alone names no one."""
    key = id(codebook)
    if key not in _PHRASES:
        phrases = []
        for perpetrator in codebook.perpetrators.values():
            names = [alias for alias in perpetrator.get("aliases", []) if " " in alias.strip() or alias[:1].isupper()]
            phrases += [(perpetrator["id"], tuple(fold(word) for word in WORD.findall(name))) for name in names]
        by_first = {}
        for value, phrase in phrases:
            if phrase:
                by_first.setdefault(phrase[0], []).append((value, phrase))
        _PHRASES[key] = (codebook, by_first)
    return _PHRASES[key][1]
