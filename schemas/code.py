"""A code as the coding form (or its JSON) sends it: a passage of one testimony and what it says.

`CodeSchema(codebook, text)` checks the span against the testimony's stored text (`text` None: the
code in itself only, as the API checks it first, so that a code that does not fit the statement is a
409 and not a 422): offsets are
Unicode code points into the NFC text, as Python counts them. If the form also sends the text it
selected, it must be exactly the passage at those offsets, or nothing is stored. Loads into the
columns `store.insert_code` / `store.update_code` take, plus `redact` and `reason`.
"""
from marshmallow import RAISE, ValidationError, fields, post_load, validate, validates_schema

from archive import dates
from archive.i18n import say, say_plural
from schemas import document, validators
from schemas.base import Schema

MAX_COUNT = 100_000
MAX_NOTE = 4000


def _line(max_length, **kwargs):
    return validators.Text(validate=[validate.Length(max=max_length), validators.no_hidden_characters], **kwargs)


class CodeSchema(Schema):
    class Meta:
        unknown = RAISE

    start = fields.Integer(required=True, strict=True, validate=validate.Range(min=0),
                           metadata={"description": "First code point of the passage (Python string offset)."})
    end = fields.Integer(required=True, strict=True, validate=validate.Range(min=1),
                         metadata={"description": "One past the last code point of the passage."})
    selected_text = validators.Text(load_default=None, metadata={
        "description": "The text the coder selected; refused unless it is exactly text[start:end]."})
    abuse_type = validators.Text(load_default=None)
    perpetrators = fields.List(validators.Text(), load_default=list, validate=validate.Length(max=20))
    place = _line(300, load_default=None, metadata={"description": "A gazetteer id or any spelling of a place."})
    date = _line(40, load_default=None, metadata={"description": "EDTF: 2021, 2021-11, 2021-11-08, with ~; not "
                                                                 "after today.", **document.until_today(empty=True)})
    date_to = _line(40, load_default=None, metadata={
        "description": "The end of a range, if the date is one: with `date`, and not before it.",
        **document.until_today(empty=True)})
    victims = fields.Integer(load_default=None, allow_none=True, strict=True,
                             validate=validate.Range(min=0, max=MAX_COUNT))
    minors = fields.Integer(load_default=None, allow_none=True, strict=True,
                            validate=validate.Range(min=0, max=MAX_COUNT))
    note = validators.Text(load_default=None, allow_none=True,
                         validate=[validate.Length(max=MAX_NOTE), validators.no_hidden_characters])
    redact = validators.JsonBoolean(load_default=False, metadata={
        "description": "Identifying: store a redaction of the passage instead of a code."})
    reason = _line(500, load_default=None, metadata={"description": "Why (required to edit a code)."})

    def __init__(self, codebook, text, **kwargs):
        super().__init__(**kwargs)
        self.codebook, self.text = codebook, text

    @staticmethod
    def describe_in_openapi(schema):
        """What the checks below need across fields: a code names an abuse type of the codebook (and its
        perpetrators and place are the codebook's), unless it marks the passage as identifying
        (`redact`: then they are not read); a range's end needs its start. Not statable, so said:
        the passage ends after it starts; no more minors than victims. Against the testimony's own text
        (a 409): the passage lies within it, is not only white space, and is `selected_text` if sent."""
        schema["anyOf"] = [
            {"required": ["redact"], "properties": {"redact": {"enum": [True]}}},
            {"required": ["abuse_type"], "properties": {
                "abuse_type": {"type": "string", **document.codebook("abuse_types")},
                "perpetrators": {"type": "array", "items": {"type": "string", **document.codebook("perpetrators")}},
                "place": {"type": "string", "nullable": True, **document.codebook("places", blank=True)}}}]
        schema["allOf"] = [{"anyOf": [{"properties": {"date_to": document.NOTHING}},
                                      {"required": ["date"], "properties": {"date": {"type": "string",
                                                                                     "minLength": 1}}}]}]
        schema["description"] = (
            "A code of a passage: an abuse type of the codebook, unless `redact` marks the passage as identifying. "
            "Beyond what the fields say: the passage ends after it starts (`end` > `start`), a range's end is not "
            "before its start, and there are no more `minors` than `victims` (else 422); the passage lies within "
            "the testimony's statement, is not only white space, and is `selected_text` if that is sent (else "
            "409: the statement is not what the request was made for).")

    @validates_schema(skip_on_field_errors=False)
    def check(self, code, **kwargs):
        problems = {}
        for name, reasons in (*self._span(code), *self._codebook_ids(code), *self._date(code), *self._counts(code)):
            problems.setdefault(name, []).append(reasons)
        if problems:
            raise ValidationError(problems)

    def _span(self, code):
        start, end = code.get("start"), code.get("end")
        if start is None or end is None:
            return
        if end <= start:
            yield "end", say("the passage ends before it starts")
        elif self.text is None:  # the code in itself (the API's first check), not yet against a statement
            return
        elif end > len(self.text):
            yield "end", say_plural("the passage ends past the end of the statement (%(num)s character)",
                                    "the passage ends past the end of the statement (%(num)s characters)",
                                    len(self.text))
        elif not self.text[start:end].strip():
            yield "start", say("the passage is only white space: select some words")
        elif code.get("selected_text") is not None and code["selected_text"] != self.text[start:end]:
            yield "selected_text", say("the selected text is not the passage at these offsets; nothing was "
                                       "stored. Reload the page and select the passage again")

    def _codebook_ids(self, code):
        book = self.codebook
        if code.get("redact"):
            return
        if not code.get("abuse_type"):
            yield "abuse_type", say("choose an abuse type")
        elif code["abuse_type"] not in book.abuse_types:
            guesses = book.closest("abuse_types", code["abuse_type"])
            yield "abuse_type", say("unknown abuse type id: %(id)s",
                                    id=validators.did_you_mean(code["abuse_type"], guesses))
        unknown = [p for p in code.get("perpetrators", []) if p not in book.perpetrators]
        if unknown:
            yield "perpetrators", say("unknown perpetrator id(s): %(ids)s", ids=", ".join(unknown))
        place = code.get("place")
        if place and place not in book.places and book.resolve_place(place) is None:
            yield "place", say("'%(place)s' is not in the gazetteer under any spelling: choose one of the suggestions",
                               place=place)

    def _date(self, code):
        if code.get("date_to") and not code.get("date"):
            yield "date", say("a range needs its start date")
        elif code.get("date"):
            try:
                dates.parse_range(code["date"], code.get("date_to"))
            except dates.DateError as err:
                yield ("date_to" if code.get("date_to") and _valid(code["date"]) else "date"), str(err)

    def _counts(self, code):
        victims, minors = code.get("victims"), code.get("minors")
        if victims is not None and minors is not None and minors > victims:
            yield "minors", say("more minors (%(minors)s) than victims (%(victims)s)", minors=minors, victims=victims)

    @post_load
    def to_columns(self, code, **kwargs):
        """The code as store columns: offsets, the passage re-read from the text, place id, date bounds."""
        start, end = code["start"], code["end"]
        columns = {"passage_start": start, "passage_end": end,
                   "passage_text": None if self.text is None else self.text[start:end],
                   "redact": code["redact"], "reason": code["reason"]}
        if code["redact"]:
            return columns
        place, place_text, place_id = code["place"], code["place"], None
        if place in self.codebook.places:
            place_id, place_text = place, self.codebook.places[place]["name"]
        elif place:
            place_id = self.codebook.resolve_place(place)
        when = dates.parse_range(code["date"], code["date_to"]) if code["date"] else None
        columns.update(
            abuse_type=code["abuse_type"], perpetrators=sorted(dict.fromkeys(code["perpetrators"])),
            place_id=place_id,
            place_text=place_text or None,
            date_text=when.text if when else None, date_precision=when.precision if when else None,
            date_from=when.start.isoformat() if when else None, date_to=when.end.isoformat() if when else None,
            victims=code["victims"], minors=code["minors"], note=(code["note"] or "").strip() or None,
        )
        return columns


def _valid(text):
    try:
        dates.parse(text)
    except dates.DateError:
        return False
    return True
