"""Which language a statement is written in: as stated at intake or by a coder, else as detected.

A statement that comes without a language is read by a maintained detector, lingua-language-detector,
whose models ship inside its package (nothing is downloaded). It was chosen over simplemma's
`langdetect` on the evaluation set (bench/language_detection.py, docs/search.md#language-detection):
both name the 96 excerpts' languages, but simplemma knows no Belarusian (it calls it Ukrainian) and
loads a whole dictionary for each language it may answer (a process with its six peaked at 670 MB), where
lingua's low-accuracy mode (trigram models only) over the 31 languages below peaked at 82 MB.

A wrong guess would be worse than none: the statement would be stemmed in a language it is not in.
So a statement gets no guess (UNDETERMINED) when it has fewer than MIN_WORDS words, when the detector's
confidence is under MIN_CONFIDENCE, or when a part of it of SHARE_OF_ANOTHER or more reads confidently
as another language (a statement in two languages). The detection is stored as detected
(`testimony.language_detected`), apart from the language stated (`testimony.language`): a coder's
correction is a stated language, and the stated one always wins.
"""
import re
from functools import lru_cache

from archive.text import WORD

UNDETERMINED = "und"  # ISO 639-2: looked for, and no language could be told
MIN_WORDS = 8
MIN_CONFIDENCE = 0.6  # at 0.5, one excerpt cut to 12 words was read as Swedish (bench/results/language_detection.md)
SHARE_OF_ANOTHER = 0.25
CHUNK_WORDS = 12  # a part is a run of whole sentences of at least this many words

# The languages a detection may answer: every language the index analyses (search_index/analysis.py)
# and the others of the routes' testimonies it can tell apart from them (Belarusian from Russian and
# Ukrainian, Latvian from Lithuanian, Croatian and Bosnian from Serbian, Urdu from Persian and Arabic).
CANDIDATES = (
    "ar", "be", "bs", "ca", "cs", "da", "de", "el", "en", "es", "fa", "fi", "fr", "hr", "hu", "hy", "it",
    "lt", "lv", "nb", "nl", "pl", "pt", "ro", "ru", "so", "sr", "sv", "tr", "uk", "ur",
)
# Where the detector's code is not the one the archive analyses by (Snowball's Norwegian is Bokmål).
AS_ARCHIVED = {"nb": "no"}
CHOOSABLE = tuple(sorted(AS_ARCHIVED.get(code, code) for code in CANDIDATES))  # a coder's correction offers these

_SENTENCE_END = re.compile(r"(?<=[.!?…؟])\s+|\n+")


def of(testimony):
    """The language a testimony is read in (analysis, suggestions, marking): stated, else detected, else None."""
    detected = testimony.get("language_detected")
    return testimony.get("language") or (detected if detected != UNDETERMINED else None)


def detect(text):
    """The ISO 639-1 code of the language `text` is written in, or UNDETERMINED (too short, unsure, mixed)."""
    if len(WORD.findall(text)) < MIN_WORDS:
        return UNDETERMINED
    language, confidence = _best(text)
    if language is None or confidence < MIN_CONFIDENCE or _another_language_in(text, language):
        return UNDETERMINED
    return AS_ARCHIVED.get(language, language)


def _another_language_in(text, language):
    """Whether SHARE_OF_ANOTHER or more of the words confidently read (by parts) as another language."""
    words_by_language = {}
    for part in _parts(text):
        found, confidence = _best(part)
        if found is not None and confidence >= MIN_CONFIDENCE:
            words_by_language[found] = words_by_language.get(found, 0) + len(WORD.findall(part))
    read = sum(words_by_language.values())
    return any(found != language and count >= SHARE_OF_ANOTHER * read for found, count in words_by_language.items())


def _parts(text):
    """Runs of whole sentences of at least CHUNK_WORDS words; a short tail joins the part before it."""
    parts, sentences = [], []
    for sentence in _SENTENCE_END.split(text):
        sentences.append(sentence)
        if len(WORD.findall(" ".join(sentences))) >= CHUNK_WORDS:
            parts.append(" ".join(sentences))
            sentences = []
    if sentences:
        if parts:
            parts[-1] += " " + " ".join(sentences)
        else:
            parts.append(" ".join(sentences))
    return parts


def _best(text):
    """(ISO 639-1 code, confidence) of the likeliest language, or (None, 0.0)."""
    values = _detector().compute_language_confidence_values(text)
    if not values:
        return None, 0.0
    return values[0].language.iso_code_639_1.name.lower(), values[0].value


@lru_cache(maxsize=1)
def _detector():
    """Built once a process, on the first statement without a language: importing lingua and its models
    costs about 0.3 s, which a process that never meets such a statement should not pay."""
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper())) for code in CANDIDATES]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()
