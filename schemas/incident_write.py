"""What the JSON API takes to record incidents: the pages' own schemas (schemas/incident.py), with
unknown fields refused (a misspelt field is an error, not silently dropped) and the testimony to
link named by its reference."""
from marshmallow import RAISE, Schema, fields, post_load, validate

from schemas import validators
from schemas.incident import IncidentSchema, LegSchema


def _reference(**kwargs):
    return validators.Text(validate=validators.reference, **kwargs)


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
