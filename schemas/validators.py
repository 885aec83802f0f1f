"""Small validators named for what they check, shared by the schemas; and `Text`, the string field
every schema loads strings with."""
import re

import pycountry
from marshmallow import ValidationError, fields, validate

from archive import dates
from archive.i18n import say
from archive.text import CONTROL_CHARACTERS, find_controls

REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,63}")
DIGITS = re.compile(r"\d+", re.ASCII)  # 0-9: not any script's digits (the API document says [0-9])
AGE_BAND = re.compile(r"(\d{1,3})\s*-\s*(\d{1,3})", re.ASCII)
# The rules below written as the API document's patterns too, so that it says exactly what the server takes
# (a client's validator, schemathesis): a reference; a text with no hidden character; and one that also says
# something (not only spaces), as a reason must.
REFERENCE_PATTERN = f"^{REFERENCE.pattern}$"
VISIBLE_PATTERN = f"^[^{CONTROL_CHARACTERS}]*$"
SAID_PATTERN = f"^[^{CONTROL_CHARACTERS}]*[^\\s{CONTROL_CHARACTERS}][^{CONTROL_CHARACTERS}]*$"


def no_hidden_characters(value):
    """NUL, other control characters and bidi overrides can truncate or disguise text."""
    found = find_controls(value)
    if found:
        offset, name = found
        raise ValidationError(say("contains the invisible character %(name)s at position %(position)s",
                                  name=name, position=offset + 1))


LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def no_lone_surrogates(value):
    """JSON may write half of a UTF-16 pair ("\\ud800"): Python loads it, but it is not a character,
    and the text then fails wherever it is encoded (the SQLite insert, a page, the terminal)."""
    found = LONE_SURROGATE.search(value)
    if found:
        code = format(ord(found.group()), "04X")
        raise ValidationError(say("contains a lone surrogate (U+%(code)s) at position %(position)s, half of a "
                                  "character that is not valid Unicode: correct the text where it was written",
                                  code=code, position=found.start() + 1))


def either(words):
    """'a', 'b', 'c' -> 'a or b or c' in the interface's language (one sentence per pair, as a translator
    reads it)."""
    words = list(words)
    said = words[0] if words else ""
    for word in words[1:]:
        said = say("%(first)s or %(second)s", first=said, second=word)
    return said


def did_you_mean(value, guesses):
    """'dogs (did you mean dog_attack?)'; `value` as it is when there are no guesses."""
    return say("%(value)s (did you mean %(guesses)s?)", value=value, guesses=either(guesses)) if guesses else value


def in_words(err):
    """A ValidationError's messages as one line a person reads: 'field: message; other: message'."""
    return "; ".join(f"{field}: {' '.join(map(str, messages))}" for field, messages in err.messages.items())


class OneOf(validate.OneOf):
    """marshmallow's OneOf (the API document still lists its choices) whose `error` is a marked sentence with
    %(choices)s, said in the reader's language."""

    def _format_error(self, value):
        if self.error == self.default_message:  # marshmallow's own message: schemas.base says it
            return super()._format_error(value)
        return say(self.error, choices=self.choices_text)


class Length(validate.Length):
    """marshmallow's Length (the API document still gives its bounds) whose `error` is a marked sentence with
    %(min)s, %(max)s or %(equal)s, said in the reader's language."""

    def _format_error(self, value, message):
        if not self.error:  # marshmallow's own messages: schemas.base says them
            return super()._format_error(value, message)
        return say(self.error, min=self.min, max=self.max, equal=self.equal)


class JsonBoolean(fields.Boolean):
    """JSON's true or false, nothing else: not 0 or 1, nor a number that only equals them (1e-999)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class Text(fields.String):
    """A string field that refuses lone surrogates first, before any other check could quote the value.
    One that refuses hidden characters says so in the API's document too (VISIBLE_PATTERN), unless it
    states a narrower pattern of its own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if no_hidden_characters in self.validators and "pattern" not in self.metadata:
            self.metadata = {**self.metadata, "pattern": VISIBLE_PATTERN}

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        no_lone_surrogates(value)
        return value


def not_blank(value):
    if not value.strip():
        raise ValidationError(say("the statement text is empty"))


def reference_field(**kwargs):
    """A testimony's reference, checked, and described by its pattern."""
    return Text(validate=reference, metadata={"pattern": REFERENCE_PATTERN, **kwargs.pop("metadata", {})}, **kwargs)


def reference(value):
    if not REFERENCE.fullmatch(value):
        raise ValidationError(say("must be 1-64 letters, digits, '.', '_', '/' or '-', starting with a letter or "
                                  "digit"))


def language_code(value):
    if pycountry.languages.get(alpha_2=value.lower()) is None:
        raise ValidationError(say("'%(value)s' is not an ISO 639-1 language code (e.g. en, ar, pl, ru)", value=value))


def country_code(value):
    """ISO 3166-1 alpha-2 or alpha-3; returns alpha-2."""
    if len(value) == 2:
        country = pycountry.countries.get(alpha_2=value.upper())
    elif len(value) == 3:
        country = pycountry.countries.get(alpha_3=value.upper())
    else:
        country = None
    if country is None:
        raise ValidationError(say("'%(value)s' is not an ISO 3166-1 country code (e.g. SY, IQ, AF)", value=value))
    return country.alpha_2


def age(value):
    """An age in years or a band 'LOW-HIGH'; returns (age, band, minor)."""
    text = str(value).strip()
    if DIGITS.fullmatch(text):  # decimal digits only (int('²') raises), and never int() of 5,000 of them
        years = int(text) if len(text) <= 3 else None
        if years is None or years > 120:
            raise ValidationError(say("%(age)s is not a plausible age", age=text if len(text) <= 6 else text[:6] + "…"))
        return years, None, years < 18
    band = AGE_BAND.fullmatch(text)
    if band:
        low, high = int(band.group(1)), int(band.group(2))
        if low > high or high > 120:
            raise ValidationError(say("'%(band)s' is not a valid age band", band=text))
        return None, f"{low}-{high}", True if high < 18 else (False if low >= 18 else None)
    raise ValidationError(say("'%(value)s' is neither an age in years nor a band such as 25-34", value=text))


def partial_date(value):
    try:
        return dates.parse(value)
    except dates.DateError as err:
        raise ValidationError(str(err)) from None


URL_SCHEME = re.compile(r"\s*([A-Za-z][A-Za-z0-9+.-]*):")
UNSAFE_SCHEMES = {"javascript", "data", "vbscript", "file"}


def source(value):
    """A citation, or an http(s) URL: never a javascript:, data: or file: link."""
    # Browsers drop tabs, newlines and leading spaces inside a URL: 'java\tscript:' is javascript:.
    compact = re.sub(r"[\x00-\x20]", "", value)
    found = URL_SCHEME.match(compact)
    if not found:
        return
    scheme = found.group(1).lower()
    looks_like_url = compact[found.end():].startswith("//") or scheme in UNSAFE_SCHEMES
    if looks_like_url and scheme not in ("http", "https"):
        raise ValidationError(say("a URL source must start with http:// or https://"))
