"""Words that change what a sentence claims, in every language of the codebook: hearsay and
conditionals (what others said, what might happen), negation (what did not happen) and comparison
("beaten like dogs"). Suggestions skip a trigger they govern (archive/coding/suggestions.py,
archive/coding/perpetrators.py): a suggestion a coder must dismiss costs more trust than one missed.
"""
import re

from archive.text import WORD, fold

# Folded words or phrases, matched as whole words in a sentence.
HEARSAY_WORDS = (
    "reportedly", "allegedly", "they say", "people say", "rumour", "rumor", "heard that", "might", "may have",
    "would", "if you", "if we", "feared", "afraid that", "threatened to",
    "podobno", "rzekomo", "mowia ze", "mowili ze", "slyszalem", "slyszalam", "jesli", "jezeli", "gdyby",
    "говорят", "говорили что", "по слухам", "якобы", "слышал", "если", "кажуть", "казали що", "нiбито", "нібито",
    "чув", "якщо", "neva", "girdejau", "jei", "jeigu", "يقال", "قيل", "سمعت", "إذا", "اذا", "لو", "في حال", "وفي حال",
)
NEGATION_WORDS = ("not", "t", "never", "no one", "nobody", "nie", "nigdy", "не", "ни", "ні", "ne", "niekas", "لم", "لن",
                  "ليس", "لا")
COMPARISON_WORDS = ("like", "as if", "jak", "jakby", "как", "будто", "як", "наче", "kaip", "tarsi", "مثل", "كأن")
# A negation these follow negates nothing: "not only beaten", "не только избили", "nie tylko pobili".
NOT_ONLY = ("only", "just", "tylko", "только", "лише", "тільки", "tik", "فقط")
NAMING_AFTER = ("seekers", "seeker", "seeking")  # 'asylum seekers' names people, not a refusal
NEGATION_REACH = 3  # words before a trigger in which a negation governs it
SENTENCE_END = re.compile(r"[.!?؟…]+(?=\s|$)|\n")


def _pattern(words):
    """Whole words; the words of a phrase apart by anything but a word ('говорили, что', 'mówili że')."""
    phrases = (r"\W+".join(re.escape(part) for part in fold(w).split()) for w in sorted(words, key=len, reverse=True))
    return re.compile(r"(?<!\w)(?:" + "|".join(phrases) + r")(?!\w)")


HEARSAY = _pattern(HEARSAY_WORDS)
_NEGATION = frozenset(fold(w) for w in NEGATION_WORDS if " " not in w)
_COMPARISON = frozenset(fold(w) for w in COMPARISON_WORDS if " " not in w)
_NOT_ONLY = frozenset(fold(w) for w in NOT_ONLY)


def sentences(text):
    """[(start, end, sentence)] of `text`, split at sentence ends and line breaks."""
    found, start = [], 0
    for end in SENTENCE_END.finditer(text):
        found.append((start, end.end(), text[start:end.end()]))
        start = end.end()
    if start < len(text):
        found.append((start, len(text), text[start:]))
    return [(s, e, piece) for s, e, piece in found if piece.strip()]


def hearsay(sentence):
    return HEARSAY.search(fold(sentence)) is not None


def governed(text, sentence_start, start, end):
    """True when the words just before text[start:end] (within its sentence) negate or compare it, or
    the word after makes it a name ('asylum seekers')."""
    before = [fold(w) for w in WORD.findall(text[sentence_start:start])][-NEGATION_REACH - 1:]
    after = WORD.findall(text[end:end + 40])[:1]
    negated = any(w in _NEGATION and (i + 1 == len(before) or before[i + 1] not in _NOT_ONLY)
                  for i, w in enumerate(before) if i > 0 or len(before) <= NEGATION_REACH)
    return (negated or (before and before[-1] in _COMPARISON)
            or bool(after and fold(after[0]) in NAMING_AFTER))
