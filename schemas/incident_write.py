"""What the JSON API takes to record incidents: the pages' own schemas (schemas/incident.py), with
unknown fields refused (a misspelt field is an error, not silently dropped) and the testimony to
link named by its reference."""
from marshmallow import RAISE, fields, post_load, validate

from schemas import validators
from schemas.base import Schema
from schemas.incident import DecisionSchema, IncidentSchema, LegSchema


def _reference(**kwargs):
    return validators.reference_field(**kwargs)


class NewIncidentSchema(IncidentSchema):
    """An incident's fields, and optionally its first source: a testimony, or one of its codes."""
    class Meta:
        unknown = RAISE

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


class IncidentChangeSchema(Schema):
    """A change of an incident's own fields: each field sent replaces it (null clears it; [] clears the
    perpetrators), the others stay; `reason` is required. Checked, merged with the incident, by IncidentSchema."""
    class Meta:
        unknown = RAISE

    title = validators.Text(validate=validate.Length(min=1, max=300),
                            metadata={"pattern": validators.SAID_PATTERN})  # a title says something
    date = validators.Text(allow_none=True)
    date_to = validators.Text(allow_none=True)
    place = validators.Text(allow_none=True)
    group_size = validators.Text(allow_none=True, metadata={"description": "A number (80) or a range (20-30)."})
    minors = fields.Integer(allow_none=True, strict=True)
    women = fields.Integer(allow_none=True, strict=True)
    perpetrators = fields.List(validators.Text(), metadata={"description": "Every perpetrator ([] clears them)."})
    note = validators.Text(allow_none=True)
    external_id = validators.Text(allow_none=True)
    reason = validators.Text(required=True, validate=[validate.Length(min=1, max=500), validators.no_hidden_characters],
                             metadata={"description": "Why, kept in the incident's history."})


class DecisionBodySchema(DecisionSchema):
    """A reviewer's decision on one candidate of the testimony: an incident, or another testimony."""
    class Meta:
        unknown = RAISE


class DecidedSchema(Schema):
    reference = fields.String(required=True)
    decision = fields.String(required=True)
    incident = fields.Integer(allow_none=True, metadata={"description": "The incident linked (a confirmed pair of "
                                                                        "testimonies: the new one)."})
    testimony = fields.String(allow_none=True)
