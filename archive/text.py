"""Unicode normalisation and search folding, shared by the gazetteer and the search index.

Testimonies arrive in Latin, Cyrillic and Arabic scripts, typed on all kinds of keyboards.
`normalise` is applied to every text on the way in (NFC, so "Białowieża" typed in decomposed
form is stored and tokenised as one word). `fold` is for matching only, never for storage.
"""
import re
import unicodedata

# Letters that carry no decomposable diacritic but are still "the same letter" for searchers.
_SPECIAL = str.maketrans({
    "ł": "l", "đ": "d", "ø": "o", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th",
    # Arabic light normalisation: ta marbuta, alef maqsura, tatweel.
    "ة": "ه", "ى": "ي", "ـ": None,
})

# Combining marks that may sit inside a word (Latin accents, Cyrillic, Hebrew, Arabic harakat).
COMBINING = "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
# An apostrophe between two Cyrillic letters is inside a Ukrainian or Belarusian word (б'ють, в'їзд, п’ять),
# not between two: written ', ’ or ʼ. (Elsewhere it separates: English "didn't" is "didn" and "t".)
CYRILLIC = "\u0400-\u04ff"
WORD = re.compile(rf"[\w{COMBINING}]+(?:(?<=[{CYRILLIC}])['’ʼ](?=[{CYRILLIC}])[\w{COMBINING}]+)*")

# Unicode controls that can disguise text (bidi overrides and isolates) or truncate it (NUL).
# Written as escapes, so that schemas/search.py can say the same class in the OpenAPI document.
CONTROL_CHARACTERS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069"
_CONTROLS = re.compile(f"[{CONTROL_CHARACTERS}]")


def normalise(text):
    """NFC with line endings unified. Stored texts and their offsets use this form."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def find_controls(text):
    """The first disallowed control character in `text` as (offset, name), or None."""
    found = _CONTROLS.search(text)
    if found is None:
        return None
    char = found.group()
    if char == "\x00":
        return found.start(), "NUL (U+0000)"
    return found.start(), unicodedata.name(char, "control character") + f" (U+{ord(char):04X})"


def fold(text):
    """Casefold and strip diacritics: 'Kuźnica' -> 'kuznica', 'Ёлка' -> 'елка'."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped.translate(_SPECIAL))


def fold_phrase(text):
    """A folded, single-spaced form of a name or phrase, for exact lookups (gazetteer variants)."""
    return " ".join(WORD.findall(fold(text)))


# Languages written right to left (ISO 639-1 and -3 codes the archive may hold): Arabic, Persian,
# Urdu, Hebrew, Pashto, Sorani Kurdish, Yiddish. The one list: pages, the PDF and the codebook use it.
RTL_LANGUAGES = frozenset({"ar", "fa", "ur", "he", "ps", "ckb", "yi"})


def direction(language):
    """'rtl' or 'ltr' for a language code (None: left to right, `dir="auto"` decides on the page)."""
    return "rtl" if language in RTL_LANGUAGES else "ltr"


def windows_around(matches, length, before, after):
    """[(low, high)] stretches of a text `length` long, from `before` characters ahead of each match to
    `after` past it, those that meet joined: where a long statement's patterns need look at all."""
    windows = []
    for match in matches:
        low, high = max(0, match.start() - before), min(length, match.end() + after)
        if windows and low <= windows[-1][1]:
            windows[-1] = (windows[-1][0], high)
        else:
            windows.append((low, high))
    return windows
