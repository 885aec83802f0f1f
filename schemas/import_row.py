"""One row of an import file, validated before anything is written.

CSV gives every value as a string (empty meaning absent, lists `;`-separated); JSON may give
lists, numbers and nulls. Both load into the same validated dict; `ImportRowSchema(codebook)`
checks codebook ids against the codebook the archive codes with.
"""
from marshmallow import RAISE, ValidationError, fields, pre_load, validate, validates_schema

from archive import dates
from archive.i18n import N_, say
from archive.security.access import CONSENTS
import pycountry

from schemas import date_patterns, document, validators
from schemas.base import Schema
from schemas.document import NULL

MAX_TEXT_CHARS = 1_000_000  # about 150,000 words: longer than any interview transcript we have seen
FIELDS = (
    "reference", "title", "text", "language", "interview_date", "interviewer", "organisation", "source",
    "witness_pseudonym", "witness_gender", "witness_age", "witness_nationality", "witness_name",
    "witness_contact", "consent", "confidentiality", "abuse_types", "perpetrators", "location",
    "incident_date_from", "incident_date_to",
)
GENDERS = ("male", "female", "other", "unknown")
CONFIDENTIALITY = ("public", "restricted", "confidential")


def _any_case(codes):
    """A regular expression for any of `codes`, in any mix of upper and lower case (`pl`, `PL`, `Pl`)."""
    return "(" + "|".join("".join(f"[{c.lower()}{c.upper()}]" for c in code) for code in sorted(codes)) + ")"


# What the validators take, as the document states it (each cell may also be blank: describe_in_openapi).
LANGUAGE_PATTERN = date_patterns.anchored(_any_case(c.alpha_2 for c in pycountry.languages if hasattr(c, "alpha_2")))
COUNTRY_PATTERN = date_patterns.anchored(_any_case({code for c in pycountry.countries for code in (c.alpha_2, c.alpha_3)}))
_YEARS = "([0-9]{1,2}|0[0-9]{2}|1[01][0-9]|120)"  # 0-120, written with up to 3 digits
_BAND_SPACE = "[ \\t\\n\\r\\x0b\\x0c]*"  # AGE_BAND's \s (ASCII)
AGE_PATTERN = date_patterns.anchored(f"{_YEARS}({_BAND_SPACE}-{_BAND_SPACE}{_YEARS})?")


def _line(max_length):
    """A single-line text field: no hidden characters, bounded length."""
    return validators.Text(validate=[validate.Length(max=max_length), validators.no_hidden_characters])


class PartialDate(fields.Field):
    def __init__(self, **kwargs):
        super().__init__(metadata={"type": "string", "description": "YYYY, YYYY-MM or YYYY-MM-DD (~ if approximate), "
                                   "not after today.", **document.until_today(blank=True, stripped=True)}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise ValidationError(say("must be a date written as text, e.g. \"2021-11\""))
        validators.no_lone_surrogates(value)
        return validators.partial_date(value)


class Age(fields.Field):
    """An age in years or an age band; loads as (age, band, minor)."""

    def __init__(self, **kwargs):
        super().__init__(metadata={"description": "An age in years (0-120), or a band such as \"25-34\" (its "
                                                  "lower end first).",
                                   "oneOf": [{"type": "integer", "minimum": 0, "maximum": 120},
                                             {"type": "string", "pattern": AGE_PATTERN}]}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, str)):
            raise ValidationError(say("must be a whole number of years or a band such as \"25-34\""))
        if isinstance(value, str):
            validators.no_lone_surrogates(value)
        return validators.age(value)


class Country(validators.Text):
    def __init__(self, **kwargs):
        super().__init__(metadata={"pattern": COUNTRY_PATTERN, "description": "An ISO 3166-1 code, alpha-2 or "
                                                                                "alpha-3 (SY, SYR), in any case."},
                         **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return validators.country_code(super()._deserialize(value, attr, data, **kwargs).strip())


class CodebookIds(fields.Field):
    """A list of codebook ids: a JSON list, or a `;`-separated string in CSV."""

    def __init__(self, table, unknown, **kwargs):
        kind = {"abuse_types": "abuse_types", "perpetrators": "perpetrators"}[table]
        super().__init__(metadata={"description": "Codebook ids: a list, or one string of ids separated by ';'.",
                                   "anyOf": [{"type": "array", "items": {"type": "string", **document.codebook(
                                       kind, spaces=True)}}, {"type": "string", **document.codebook(kind, joined=True)}]},
                         **kwargs)
        self.table, self.unknown = table, unknown

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = value.split(";")
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValidationError(say("must be a list of ids, or ids separated by ';'"))
        for id_ in value:
            validators.no_lone_surrogates(id_)
        ids = list(dict.fromkeys(v.strip() for v in value if v.strip()))
        book = self.parent.codebook
        unknown = [v for v in ids if v not in getattr(book, self.table)]
        if unknown:
            command = "archive codebook " + self.table.replace("_", "-")
            raise ValidationError(say(self.unknown, ids=", ".join(map(_with_guess(book, self.table), unknown)),
                                      command=command))
        return ids


def _with_guess(book, table):
    """'dogs' -> 'dogs (did you mean dog_attack?)'; the id as it is when nothing is near."""
    def said(value):
        return validators.did_you_mean(value, book.closest(table, value))
    return said


class ImportRowSchema(Schema):
    class Meta:
        unknown = RAISE

    reference = validators.Text(validate=validators.reference, metadata={"pattern": validators.REFERENCE_PATTERN})
    title = _line(300)
    text = validators.Text(required=True, error_messages={"required": N_("the statement text is missing or empty")},
                           validate=[validators.Length(max=MAX_TEXT_CHARS,
                                                       error=N_("must be at most %(max)s characters")),
                                     validators.not_blank, validators.no_hidden_characters],
                           metadata={"pattern": validators.SAID_PATTERN})
    language = validators.Text(validate=validators.language_code, metadata={
        "pattern": LANGUAGE_PATTERN, "description": "An ISO 639-1 code (en, ar, pl, ru), in any case."})
    interview_date = PartialDate()
    interviewer = _line(200)
    organisation = _line(200)
    source = validators.Text(validate=[validate.Length(max=2000), validators.no_hidden_characters, validators.source])
    witness_pseudonym = _line(100)
    witness_gender = validators.Text(validate=validate.OneOf(GENDERS))
    witness_age = Age()
    witness_nationality = Country()
    witness_name = _line(200)
    witness_contact = _line(200)
    consent = validators.Text(validate=validate.OneOf(CONSENTS), load_default="internal")
    confidentiality = validators.Text(validate=validate.OneOf(CONFIDENTIALITY), load_default="confidential")
    abuse_types = CodebookIds("abuse_types", N_("unknown abuse type id(s): %(ids)s (`%(command)s` lists them)"),
                              load_default=list)
    perpetrators = CodebookIds("perpetrators", N_("unknown perpetrator id(s): %(ids)s (`%(command)s` lists them)"),
                               load_default=list)
    location = _line(300)
    incident_date_from = PartialDate()
    incident_date_to = PartialDate()

    def __init__(self, codebook, **kwargs):
        super().__init__(**kwargs)
        self.codebook = codebook

    @staticmethod
    def describe_in_openapi(schema):
        """What `drop_empty` and `check_consistency` do, stated: any field but `text` may be null, empty or
        only spaces (not given), and is read without the spaces around it; public needs consent to
        publication; an end date needs a start. Not statable, so said: dates in order."""
        space = f"{date_patterns.STRIPPED}*"  # str.strip()'s: every white space character, hidden ones too
        for name, field in schema["properties"].items():
            if name == "text":
                continue
            field["nullable"] = True
            if "enum" in field:
                field["pattern"] = date_patterns.anchored("|".join(field.pop("enum")), blank=True,
                                                          space=date_patterns.STRIPPED)
            elif field.get("pattern", "").startswith("^") and document.UNTIL_TODAY not in field:
                field["pattern"] = f"^{space}({field['pattern'][1:-1]})?{space}$"
            for branch in field.get("oneOf", []):
                if branch["type"] == "string":
                    branch["pattern"] = f"^{space}({branch['pattern'][1:-1]})?{space}$"
            for either in ("oneOf", "anyOf"):  # `nullable` says nothing without a `type` beside it (OpenAPI 3.0.3)
                if either in field:
                    field[either].append(NULL)
        said = f"^{space}%s{space}$"
        schema["allOf"] = [
            {"anyOf": [{"properties": {"confidentiality": {"not": {"type": "string", "pattern": said % "public"}}}},
                       {"required": ["consent"], "properties": {"consent": {"type": "string",
                                                                            "pattern": said % "publication"}}}]},
            {"anyOf": [{"properties": {"incident_date_to": {"nullable": True, "not": {
                           "type": "string", "pattern": f"[^{date_patterns.WHITE}]"}}}},
                       {"required": ["incident_date_from"], "properties": {"incident_date_from": {
                           "type": "string", "pattern": f"[^{date_patterns.WHITE}]"}}}]}]
        schema["description"] = (
            "One testimony, as a row of an import file. Every field but `text` may be null, empty or only spaces "
            "(not given); spaces around a value are not part of it. Beyond what the fields say: "
            "`incident_date_to` is not before `incident_date_from`, nor is `interview_date`; an age band's "
            "lower end comes first; a `source` that is a URL is http or https (else 422). A `text` already in "
            "the archive, or a `reference` taken, is a 409.")

    @pre_load
    def drop_empty(self, row, **kwargs):
        """Blank cells and nulls mean 'not given'; surrounding spaces are not part of a value."""
        if not isinstance(row, dict):
            raise ValidationError(say("a record must be an object"))
        cleaned = {}
        for key, value in row.items():
            if isinstance(value, str) and key != "text":
                value = value.strip()
            if value not in (None, "", []):
                cleaned[key] = value
        return cleaned

    @validates_schema(skip_on_field_errors=False, pass_original=True)
    def check_consistency(self, row, original, **kwargs):
        """Checks across fields; they run even when a field failed, so every problem is listed."""
        problems = {}
        if row.get("confidentiality") == "public" and row.get("consent", "internal") != "publication":
            problems["confidentiality"] = [say("only a statement with consent to publication can be public")]
        first, last = row.get("incident_date_from"), row.get("incident_date_to")
        if last and not first and not str(original.get("incident_date_from") or "").strip():
            problems["incident_date_to"] = [say("an end date needs a start date (incident_date_from)")]
        if first and last and last.end < first.start:
            problems["incident_date_to"] = [say("the range ends (%(last)s) before it starts (%(first)s)",
                                                 last=last.text, first=first.text)]
        interview = row.get("interview_date")
        if interview and first and interview.end < first.start:
            problems["interview_date"] = [say("the interview (%(interview)s) is before the incident (%(first)s)",
                                               interview=interview.text, first=first.text)]
        if problems:
            raise ValidationError(problems)

    def incident(self, row):
        """The validated incident date as one PartialDate (a range when both ends are given)."""
        first, last = row.get("incident_date_from"), row.get("incident_date_to")
        if not first:
            return None
        return dates.parse_range(first.text, last.text if last else None)

