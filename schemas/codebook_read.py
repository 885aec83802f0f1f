"""The codebook as the API gives it (GET /api/codebook): the abuse types as a tree, with their terms in
every language and their legal provisions; the perpetrators by side; the places with every spelling and
their coordinates. Labels, definitions and titles are in the reader's language where the codebook has
them, else in English, as on the codebook pages (archive/codebook/browser.py shapes it)."""
from marshmallow import fields

from schemas.base import Schema


class ProvisionSchema(Schema):
    id = fields.String(required=True)
    label = fields.String(required=True, metadata={"description": "The citation: instrument and article."})
    instrument = fields.String(required=True, metadata={"description": "ECHR, CAT, the EU Charter, …"})
    article = fields.String(required=True)
    title = fields.String(required=True, metadata={
        "description": "In the reader's language where the codebook has it."})


class AbuseTypeNodeSchema(Schema):
    id = fields.String(required=True, metadata={"description": "Stable forever; what codes and filters name."})
    label = fields.String(required=True)
    definition = fields.String(allow_none=True)
    terms = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), required=True, metadata={
        "description": "Language (ISO 639-1) → the words that suggest it in statements of that language."})
    legal = fields.List(fields.Nested(ProvisionSchema), required=True)
    children = fields.List(fields.Nested(lambda: AbuseTypeNodeSchema()), required=True)


class UnitSchema(Schema):
    id = fields.String(required=True)
    label = fields.String(required=True)
    aliases = fields.List(fields.String(), required=True, metadata={"description": "Other names a statement may use."})


class SideSchema(Schema):
    id = fields.String(required=True, metadata={"description": "The state (ISO 3166-1 alpha-2)."})
    label = fields.String(required=True)
    units = fields.List(fields.Nested(UnitSchema), required=True)


class ActorSchema(Schema):
    id = fields.String(required=True)
    label = fields.String(required=True)


class PerpetratorsSchema(Schema):
    sides = fields.List(fields.Nested(SideSchema), required=True)
    non_state = fields.List(fields.Nested(ActorSchema), required=True)


class GazetteerPlaceSchema(Schema):
    id = fields.String(required=True)
    name = fields.String(required=True)
    country = fields.String(required=True, metadata={"description": "ISO 3166-1 alpha-2; a border feature "
                                                                  "names both sides ('PL/BY')."})
    type = fields.String(allow_none=True)
    lat = fields.Float(allow_none=True)
    lon = fields.Float(allow_none=True)
    variants = fields.List(fields.String(), required=True, metadata={
        "description": "Every other spelling, transliteration and case form it is found by."})


class CodebookSchema(Schema):
    version = fields.String(required=True)
    abuse_types = fields.List(fields.Nested(AbuseTypeNodeSchema), required=True, metadata={
        "description": "The top-level categories, each with its types under `children`, in the codebook's order."})
    perpetrators = fields.Nested(PerpetratorsSchema, required=True)
    places = fields.List(fields.Nested(GazetteerPlaceSchema), required=True, metadata={"description": "By name."})
