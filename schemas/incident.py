"""An incident record, a leg of it, and a link of a testimony to it, as forms, the JSON API and an
import send them. Each schema loads into the store's columns (archive/store/incidents.py): a place
as a gazetteer id (and the spelling given), a date as its EDTF text and day bounds, a group size
as its lowest and highest numbers.

`IncidentSchema(codebook)`, `LegSchema(codebook)`; `LinkSchema()`.
"""
import re

from marshmallow import EXCLUDE, ValidationError, fields, post_load, validate, validates_schema

from archive import dates
from archive.i18n import N_, say
from schemas import date_patterns, document, validators
from schemas.base import Schema

MAX_PEOPLE = 100_000
# "more minors than people": one sentence for each count, as a translator writes it.
MORE_THAN_THE_GROUP = {"minors": N_("more minors (%(count)s) than people in the group (%(high)s)"),
                       "women": N_("more women (%(count)s) than people in the group (%(high)s)")}
GROUP_SIZE = re.compile(r"\s*(\d{1,6})\s*(?:[-–—]|to)\s*(\d{1,6})\s*|\s*(\d{1,6})\s*", re.ASCII)
# GROUP_SIZE as the document states it: a number of people up to MAX_PEOPLE (1-6 digits), or two; or nothing.
_PEOPLE = "([0-9]{1,5}|0[0-9]{5}|100000)"
# Blank (only white space: not given), or a size within GROUP_SIZE's \s (ASCII; \f and \v are hidden characters).
_SPACE = "[ \\t\\n\\r]*"
GROUP_SIZE_PATTERN = (f"^({date_patterns.SPACE}*|{_SPACE}({_PEOPLE}{_SPACE}([-–—]|to){_SPACE}{_PEOPLE}|{_PEOPLE})"
                      f"{_SPACE})$")


def _line(max_length, **kwargs):
    return validators.Text(validate=[validate.Length(max=max_length), validators.no_hidden_characters], **kwargs)


def group_size(text):
    """'80' -> (80, 80); '20-30' or '20–30' -> (20, 30); '' -> (None, None)."""
    if text is None or not str(text).strip():
        return None, None
    match = GROUP_SIZE.fullmatch(str(text))
    if not match:
        raise ValidationError(say("'%(text)s' is not a group size: write a number (80) or a range (20-30)", text=text))
    low, high, exact = match.groups()
    low, high = (int(exact), int(exact)) if exact else (int(low), int(high))
    if low > high:
        raise ValidationError(say("the range %(low)s-%(high)s ends below its start", low=low, high=high))
    if high > MAX_PEOPLE:
        raise ValidationError(say("%(high)s people is more than the archive accepts (%(most)s)",
                                  high=high, most=MAX_PEOPLE))
    return low, high


def describe_size(low, high):
    if low is None:
        return None
    return str(low) if low == high else f"{low}–{high}"


class _Located(Schema):
    """Shared by the incident and its legs: a place and a partial date, checked against the codebook."""
    class Meta:
        unknown = EXCLUDE  # a form's csrf_token and buttons

    place = _line(300, load_default=None, allow_none=True, metadata={
        "description": "A gazetteer id or any spelling of a place (in any case, with or without its diacritics).",
        **document.codebook("places", blank=True)})
    date = _line(40, load_default=None, allow_none=True, metadata={
        "description": "EDTF: 2021, 2021-11, 2021-11-08, with ~ for approximate; not after today.",
        **document.until_today(empty=True)})
    date_to = _line(40, load_default=None, allow_none=True, metadata={
        "description": "The end of a range: with `date`, and not before it.", **document.until_today(empty=True)})
    note = _line(4000, load_default=None, allow_none=True)

    def __init__(self, codebook, **kwargs):
        super().__init__(**kwargs)
        self.codebook = codebook

    @staticmethod
    def describe_in_openapi(schema):
        """A range's end needs its start (that it is not before it, OpenAPI cannot say: the description does)."""
        schema.setdefault("allOf", []).append({"anyOf": [
            {"properties": {"date_to": document.NOTHING}},
            {"required": ["date"], "properties": {"date": {"type": "string", "minLength": 1}}}]})

    def _problems(self, data):
        if data.get("date_to") and not data.get("date"):
            yield "date", say("a range needs its start date")
        elif data.get("date"):
            try:
                dates.parse_range(data["date"], data.get("date_to"))
            except dates.DateError as err:
                yield "date", str(err)
        place = data.get("place")
        if place and place not in self.codebook.places and self.codebook.resolve_place(place) is None:
            yield "place", say("'%(place)s' is not in the gazetteer under any spelling: choose one of the suggestions",
                               place=place)

    def _perpetrator_problems(self, name, ids):
        unknown = [p for p in ids if p and p not in self.codebook.perpetrators]
        if unknown:
            yield name, say("unknown perpetrator id(s): %(ids)s", ids=", ".join(unknown))

    def _place_and_date(self, data):
        place, place_id = (data.get("place") or "").strip() or None, None
        if place in self.codebook.places:
            place_id, place = place, self.codebook.places[place]["name"]
        elif place:
            place_id = self.codebook.resolve_place(place)
        when = dates.parse_range(data["date"], data.get("date_to")) if data.get("date") else None
        return {"place_id": place_id, "place_text": place,
                "date_text": when.text if when else None, "date_precision": when.precision if when else None,
                "date_from": when.start.isoformat() if when else None,
                "date_to": when.end.isoformat() if when else None,
                "note": (data.get("note") or "").strip() or None}

    @staticmethod
    def _raise(problems):
        found = {}
        for name, reason in problems:
            found.setdefault(name, []).append(reason)
        if found:
            raise ValidationError(found)


class IncidentSchema(_Located):
    title = validators.Text(required=True, validate=[validate.Length(min=1, max=300), validators.no_hidden_characters],
                  metadata={"description": "What the incident is called, e.g. 'Push-back at Kuźnica, 8 Nov 2021'.",
                            "pattern": validators.SAID_PATTERN})
    group_size = _line(40, load_default=None, allow_none=True, metadata={
        "description": "How many people: a number (80) or a range (20-30, not 30-20), at most 100,000.",
        "pattern": GROUP_SIZE_PATTERN})
    minors = fields.Integer(load_default=None, allow_none=True, strict=False,
                            validate=validate.Range(min=0, max=MAX_PEOPLE),
                            metadata={"description": "No more than the group's (highest) size."})
    women = fields.Integer(load_default=None, allow_none=True, strict=False,
                           validate=validate.Range(min=0, max=MAX_PEOPLE),
                           metadata={"description": "No more than the group's (highest) size."})
    perpetrators = fields.List(validators.Text(metadata=document.codebook("perpetrators", blank=True)),
                               load_default=list, validate=validate.Length(max=20))
    external_id = _line(100, load_default=None, allow_none=True,
                        metadata={"description": "The organisation's own id for the incident, if any."})
    reason = _line(500, load_default=None, allow_none=True)

    @validates_schema(skip_on_field_errors=False)
    def check(self, data, **kwargs):
        problems = list(self._problems(data))
        problems += self._perpetrator_problems("perpetrators", data.get("perpetrators", []))
        if not (data.get("title") or "").strip() and "title" in data:
            problems.append(("title", say("give the incident a title")))
        try:
            low, high = group_size(data.get("group_size"))
        except ValidationError as err:
            problems.append(("group_size", err.messages[0]))
        else:
            for name in ("minors", "women"):
                if data.get(name) is not None and high is not None and data[name] > high:
                    problems.append((name, say(MORE_THAN_THE_GROUP[name], count=data[name], high=high)))
        self._raise(problems)

    @post_load
    def to_columns(self, data, **kwargs):
        low, high = group_size(data.get("group_size"))
        return {"title": data["title"].strip(), **self._place_and_date(data),
                "people_min": low, "people_max": high, "minors": data.get("minors"), "women": data.get("women"),
                "external_id": (data.get("external_id") or "").strip() or None,
                "perpetrators": sorted(dict.fromkeys(p for p in data.get("perpetrators", []) if p)),
                "reason": data.get("reason")}


class LegSchema(_Located):
    from_side = _line(20, load_default=None, allow_none=True, metadata={
        "description": "The state side the people were on (PL, BY, LT, …).", **document.codebook("state_sides", blank=True)})
    to_side = _line(20, load_default=None, allow_none=True, metadata={
        "description": "Where they were sent: another side than `from_side`.",
        **document.codebook("state_sides", blank=True)})
    perpetrator = _line(60, load_default=None, allow_none=True, metadata={
        "description": "Who moved them: a codebook perpetrator id.", **document.codebook("perpetrators", blank=True)})
    position = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=1000),
                              metadata={"description": "Where in the order (1 = first); default: last."})
    reason = _line(500, load_default=None, allow_none=True)

    @staticmethod
    def describe_in_openapi(schema):
        """As an incident's range; and a leg says at least where from or to, where or when."""
        _Located.describe_in_openapi(schema)
        schema["allOf"].append({"anyOf": [{"required": [name], "properties": {name: {"type": "string", "minLength": 1}}}
                                          for name in ("from_side", "to_side", "place", "date")]})

    @validates_schema(skip_on_field_errors=False)
    def check(self, data, **kwargs):
        problems = list(self._problems(data))
        problems += self._perpetrator_problems("perpetrator", [data.get("perpetrator")])
        states = {p for p, entry in self.codebook.perpetrators.items() if entry["kind"] == "state"}
        for name in ("from_side", "to_side"):
            if data.get(name) and data[name] not in states:
                problems.append((name, say("'%(side)s' is not a state side of the codebook (%(sides)s)",
                                           side=data[name], sides=", ".join(sorted(states)))))
        if data.get("from_side") and data.get("from_side") == data.get("to_side"):
            problems.append(("to_side", say("a leg goes from one side to another: choose two different sides")))
        if not any(data.get(k) for k in ("from_side", "to_side", "place", "date")):
            problems.append(("from_side", say("say at least where from or to, where or when")))
        self._raise(problems)

    @post_load
    def to_columns(self, data, **kwargs):
        return {"from_side": data.get("from_side") or None, "to_side": data.get("to_side") or None,
                **self._place_and_date(data), "perpetrator_id": data.get("perpetrator") or None,
                "position": data.get("position"), "reason": data.get("reason")}


class LinkSchema(Schema):
    """A testimony (reference) or one of its codes named as a source of an incident."""
    class Meta:
        unknown = EXCLUDE

    incident = fields.Integer(required=True, strict=False, validate=validate.Range(min=1),
                              metadata={"description": "The incident's number."})
    code = fields.Integer(load_default=None, allow_none=True, strict=False,
                          metadata={"description": "One code of the testimony, if only it tells of the incident."})
    reason = _line(500, load_default=None, allow_none=True)


class DecisionSchema(Schema):
    """A reviewer's decision on a candidate link; the reason is required."""
    class Meta:
        unknown = EXCLUDE

    decision = validators.Text(required=True, validate=validate.OneOf(("confirmed", "rejected")))
    incident = fields.Integer(load_default=None, allow_none=True, strict=False)
    testimony = _line(64, load_default=None, allow_none=True,
                      metadata={"description": "The other testimony's reference (a pair of testimonies)."})
    reason = validators.Text(required=True, validate=[validate.Length(min=1, max=500), validators.no_hidden_characters])

    @staticmethod
    def describe_in_openapi(schema):
        """Either an incident or another testimony, not both."""
        schema["oneOf"] = [{"required": ["incident"], "properties": {"incident": {"type": "integer"}}},
                           {"required": ["testimony"], "properties": {"testimony": {"type": "string", "minLength": 1}}}]

    @validates_schema
    def one_of(self, data, **kwargs):
        if (data.get("incident") is None) == (not data.get("testimony")):
            raise ValidationError(say("name either an incident or another testimony"), "incident")
