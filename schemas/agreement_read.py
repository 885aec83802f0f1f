"""The agreement figures of double coding as the API gives them (GET /api/agreement): the agreement page's
rows (archive/double_coding/reliability.py) and its testimonies."""
from marshmallow import fields, validate

from schemas.base import Schema


class IntervalSchema(Schema):
    low = fields.Float(required=True)
    high = fields.Float(required=True)


class AgreementRowSchema(Schema):
    dimension = fields.String(required=True, validate=validate.OneOf(["abuse_type", "side"]))
    value = fields.String(required=True, metadata={"description": "The abuse type, or the perpetrator side."})
    label = fields.String(required=True)
    n = fields.Integer(required=True, metadata={"description": "Testimonies with at least two submitted codings."})
    percent = fields.Float(allow_none=True, metadata={"description": "Percent agreement, 0–100."})
    kappa = fields.Float(allow_none=True, metadata={"description": "Cohen's κ (two coders); null where undefined."})
    alpha = fields.Float(allow_none=True, metadata={"description": "Krippendorff's α; null where undefined."})
    interval = fields.Nested(IntervalSchema, allow_none=True, metadata={
        "description": "The bootstrap 95% interval of α (fixed seed: the same codings give the same interval)."})
    caution = fields.String(allow_none=True, metadata={"description": "Why the figures cannot bear a conclusion."})
    caution_reason = fields.String(allow_none=True, validate=validate.OneOf(["few", "rare", "wide"]))


class DoubleCodedSchema(Schema):
    reference = fields.String(required=True)
    coders = fields.List(fields.String(), required=True)
    submitted = fields.Integer(required=True, metadata={"description": "Coders who submitted their coding."})
    settled = fields.String(allow_none=True, metadata={"description": "When it was settled; null: not yet."})


class AgreementSchema(Schema):
    rows = fields.List(fields.Nested(AgreementRowSchema), required=True)
    coders = fields.List(fields.String(), required=True)
    units = fields.Integer(required=True, metadata={"description": "Testimonies coded by two or more who submitted."})
    caution = fields.String(allow_none=True, metadata={"description": "The page's warning when the units are few."})
    testimonies = fields.List(fields.Nested(DoubleCodedSchema), required=True)
