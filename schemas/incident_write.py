"""What the JSON API takes to record incidents: the pages' own schemas (schemas/incident.py), with
unknown fields refused (a misspelt field is an error, not silently dropped) and the testimony to
link named by its reference."""
import copy

from marshmallow import RAISE, ValidationError, fields, missing, post_load, validate

from archive.i18n import say
from schemas import validators
from schemas.base import Schema
from schemas.incident import MAX_PEOPLE, DecisionSchema, IncidentSchema, LegSchema


def _reference(**kwargs):
    return validators.reference_field(**kwargs)


def _count():
    """A number of people, as JSON writes it (the pages' forms send text: IncidentSchema takes "5" too)."""
    return fields.Integer(load_default=None, allow_none=True, strict=True, validate=validate.Range(min=0, max=MAX_PEOPLE),
                          metadata={"description": "No more than the group's (highest) size."})


class NewIncidentSchema(IncidentSchema):
    """An incident's fields, and optionally its first source: a testimony, or one of its codes."""
    class Meta:
        unknown = RAISE

    minors = _count()
    women = _count()

    testimony = _reference(load_default=None, allow_none=True,
                           metadata={"description": "The reference of its first source, if any."})
    code = fields.Integer(load_default=None, allow_none=True, strict=True,
                          metadata={"description": "One code of that testimony, if only it tells of the incident."})

    @post_load
    def to_columns(self, data, **kwargs):
        return {**super().to_columns(data, **kwargs), "testimony": data.get("testimony"), "code": data.get("code")}


class NewLegSchema(LegSchema):
    class Meta:
        unknown = RAISE


class NewSourceSchema(Schema):
    class Meta:
        unknown = RAISE

    testimony = _reference(required=True, metadata={"description": "The testimony's reference."})
    code = fields.Integer(load_default=None, allow_none=True, strict=True,
                          metadata={"description": "One code of it, if only that code tells of the incident."})
    reason = validators.Text(load_default=None, allow_none=True,
                             validate=[validate.Length(max=500), validators.no_hidden_characters])


class SourceAddedSchema(Schema):
    incident = fields.Integer(required=True)
    testimony = fields.String(required=True)
    code = fields.Integer(allow_none=True)
    added = fields.Boolean(required=True, metadata={"description": "False: it already was a source."})


def _says_why(value):
    if not value.strip():  # SAID_PATTERN in the document
        raise ValidationError(say("say why the incident is changed"))


def _as_changed(field):
    """An incident's field as a change takes it: optional, and absent when not sent (it stays as it is)."""
    field = copy.deepcopy(field)
    field.required, field.load_default = False, missing
    return field


class _IncidentChange(IncidentSchema):
    """A change of an incident's own fields: each field sent replaces it (null clears it; [] clears the
    perpetrators), the others stay; `reason` is required. Its fields and their rules are NewIncident's
    (checked together, as sent: a 422); merged with the incident, IncidentSchema checks the whole again
    (a change that does not fit the incident's other fields, such as a `date_to` before its date, is a 409)."""
    class Meta:
        unknown = RAISE

    reason = validators.Text(required=True, validate=[validate.Length(min=1, max=500), validators.no_hidden_characters,
                                                      _says_why],
                             metadata={"description": "Why, kept in the incident's history.",
                                       "pattern": validators.SAID_PATTERN})

    def to_columns(self, data, **kwargs):  # not a post_load here: the change is merged, then loaded whole
        return data


IncidentChangeSchema = type("IncidentChangeSchema", (_IncidentChange,), {
    name: _as_changed(field) for name, field in NewIncidentSchema._declared_fields.items()
    if name not in ("testimony", "code", "reason")})


class DecisionBodySchema(DecisionSchema):
    """A reviewer's decision on one candidate of the testimony: an incident, or another testimony."""
    class Meta:
        unknown = RAISE

    incident = fields.Integer(load_default=None, allow_none=True, strict=True)


class DecidedSchema(Schema):
    reference = fields.String(required=True)
    decision = fields.String(required=True)
    incident = fields.Integer(allow_none=True, metadata={"description": "The incident linked (a confirmed pair of "
                                                                        "testimonies: the new one)."})
    testimony = fields.String(allow_none=True)
