"""Perpetrators a statement names: the side (state) and, where the words say it, the unit, with the
sentence as evidence. Pure (no database); a person accepts or dismisses what is offered.

Two ways of naming one, in every language of the codebook:
- a unit's alias ("Straż Graniczna", "ОМОН", "Lithuanian border guards"), whole words, folded;
- a nationality beside a force ("Belarusian soldiers", "polscy strażnicy", "литовские пограничники",
  "حرس الحدود البولندي"): the side, and the unit the force's kind gives on that side (border guards,
  soldiers, police); words are matched by their folded beginnings, so inflections meet.
A sentence that only reports what others said (hearsay: "reportedly", "podobno", "говорят") or denies
it ("did not find us", "nie było") names no one, and is skipped. "Poland" alone is a place, not a
perpetrator, and is never used.
"""
from dataclasses import dataclass

from archive.coding.markers import governed, hearsay, sentences
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
               "wladz", "силовик", "сотрудник", "служб", "власт", "силов", "співробітник", "pareigun", "tarnyb",
               "السلطات", "قوات", "عناصر", "الأمن"),
}
UNITS = {
    ("PL", "border_guard"): "pl_border_guard", ("PL", "army"): "pl_army", ("PL", "police"): "pl_police",
    ("BY", "border_guard"): "by_border_guard", ("BY", "army"): "by_military_special", ("BY", "police"): "by_police",
    ("LT", "border_guard"): "lt_border_guard", ("LT", "army"): "lt_army",
}
REACH = 3  # words between a nationality and its force at most


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
    for start, end, sentence in sentences(text):
        if hearsay(sentence):
            continue
        words = [(m.start() + start, m.end() + start, fold(m.group())) for m in WORD.finditer(sentence)]
        for value, first, last in [*_aliases(words, codebook), *_nationalities(words)]:
            if value not in found and not _denied(text, start, words, last):
                found[value] = Perpetrator(value, codebook.side_of(value), words[first][0], words[last][1],
                                           sentence, start)
    # A side named only beside a unit of its own adds nothing.
    units_sides = {p.side for p in found.values() if p.unit}
    return sorted((p for p in found.values() if p.unit or p.side not in units_sides), key=lambda p: p.start)


def _denied(text, sentence_start, words, last):
    """'Belarusian soldiers didn't find us': a negation just after the naming denies what they did."""
    after = text[words[last][1]:words[min(last + 2, len(words) - 1)][1]]
    return governed(text, sentence_start, words[last][1], words[last][1]) or any(
        fold(w) in ("not", "t", "nie", "не", "ne", "لم") for w in WORD.findall(after))


def _aliases(words, codebook):
    folded = [w for _, _, w in words]
    for value, phrase in _alias_phrases(codebook):
        for i in range(len(folded) - len(phrase) + 1):
            if tuple(folded[i:i + len(phrase)]) == phrase:
                yield value, i, i + len(phrase) - 1


def _nationalities(words):
    folded = [w for _, _, w in words]
    for i, word in enumerate(folded):
        side = next((side for side, beginnings in SIDES.items() if word.startswith(beginnings)), None)
        if side is None:
            continue
        for j in range(max(0, i - REACH), min(len(folded), i + REACH + 1)):
            if j == i:
                continue
            kind = _force(folded, j)
            if kind:
                yield UNITS.get((side, kind), side), min(i, j), max(i, j)
                break


def _force(folded, j):
    """The kind of force folded[j] (with the next word, for two-word forces) names, or None."""
    two = " ".join(folded[j:j + 2])
    for kind, beginnings in FORCES.items():
        if any((two if " " in b else folded[j]).startswith(fold(b)) for b in beginnings):
            return kind
    return None


_PHRASES = {}


def _alias_phrases(codebook):
    """(unit id, folded words) of every alias that names someone in particular: several words, or one
    written with a capital ("SG", "OMON"); "police" or "wojsko" alone names no one."""
    key = id(codebook)
    if key not in _PHRASES:
        phrases = []
        for perpetrator in codebook.perpetrators.values():
            names = [alias for alias in perpetrator.get("aliases", []) if " " in alias.strip() or alias[:1].isupper()]
            phrases += [(perpetrator["id"], tuple(fold(word) for word in WORD.findall(name))) for name in names]
        _PHRASES[key] = (codebook, [(value, phrase) for value, phrase in phrases if phrase])
    return _PHRASES[key][1]
