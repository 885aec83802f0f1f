"""An incident as it leaves the archive: the JSON API's answers and the JSON export's incidents and
counts, shaped from archive/incidents/pages.py's plain data. Published in /api/openapi.json.

Sources a reader may not open (or, in an export, that the export does not hold) are counted, never named.
"""
from marshmallow import fields, validate

from schemas.base import Schema
from schemas.search import DateSchema, LabelledSchema, PlaceSchema


class IncidentRefSchema(Schema):
    """An incident named beside a testimony: its number, the organisation's id, its title."""
    id = fields.Integer(required=True, metadata={"description": "The incident's number in this archive."})
    external_id = fields.String(allow_none=True, metadata={"description": "The organisation's own id, if any."})
    title = fields.String(required=True)


class LegReadSchema(Schema):
    """One crossing or removal, in order."""
    position = fields.Integer(required=True, metadata={"description": "1 = the first leg."})
    from_side = fields.String(allow_none=True, metadata={"description": "State side they were on (`BY`, `PL`, …)."})
    to_side = fields.String(allow_none=True, metadata={"description": "State side they were sent to."})
    route = fields.String(allow_none=True, metadata={"description": "'Belarus → Poland'."})
    place = fields.Nested(PlaceSchema, allow_none=True)
    date = fields.Nested(DateSchema, allow_none=True)
    perpetrator = fields.Nested(LabelledSchema, allow_none=True)
    note = fields.String(allow_none=True)


class IncidentSummarySchema(IncidentRefSchema):
    """An incident's own fields (a page of the list)."""
    date = fields.Nested(DateSchema, allow_none=True)
    place = fields.Nested(PlaceSchema, allow_none=True)
    size = fields.String(allow_none=True, metadata={"description": "The group size: '80', or a range '20–30'."})
    people_min = fields.Integer(allow_none=True)
    people_max = fields.Integer(allow_none=True)
    minors = fields.Integer(allow_none=True)
    women = fields.Integer(allow_none=True)
    perpetrators = fields.List(fields.Nested(LabelledSchema), required=True)
    note = fields.String(allow_none=True)
    sources_count = fields.Integer(metadata={"description": "Testimonies that are its sources, all of them."})


class SourceReadSchema(Schema):
    reference = fields.String(required=True)
    title = fields.String(allow_none=True)
    language = fields.String(allow_none=True)
    code = fields.Integer(allow_none=True, metadata={"description": "The code that tells of it; null: the "
                                                                      "whole testimony."})
    code_label = fields.String(allow_none=True)
    linked_at = fields.String(required=True)


class IncidentReadSchema(IncidentSummarySchema):
    """One incident with its legs, the abuse types its sources' codes name, and its sources."""
    abuse_types = fields.List(fields.Nested(LabelledSchema), required=True)
    legs = fields.List(fields.Nested(LegReadSchema), required=True)
    sources = fields.List(fields.Nested(SourceReadSchema), required=True, metadata={
        "description": "The sources this reader may open."})
    hidden_sources = fields.Integer(required=True, metadata={
        "description": "Sources this reader's role or the witnesses' consent does not let them open: counted, "
                       "never named."})


class ExportIncidentSchema(IncidentSummarySchema):
    """An incident that a testimony of the export is a source of."""
    abuse_types = fields.List(fields.Nested(LabelledSchema), required=True)
    legs = fields.List(fields.Nested(LegReadSchema), required=True)
    sources = fields.List(fields.String(), required=True, metadata={
        "description": "References of its sources in this export (their records say more)."})
    other_sources = fields.Integer(required=True, metadata={
        "description": "Its sources not in this export: counted, never named."})


class CountTotalSchema(Schema):
    testimonies = fields.Integer(required=True)
    linked = fields.Integer(required=True, metadata={"description": "Of them, sources of an incident."})
    incidents = fields.Integer(required=True, metadata={
        "description": "Incidents with at least one source among these testimonies."})
    people = fields.String(required=True, metadata={"description": "'45–60', with incidents of unknown size "
                                                                   "said apart."})
    people_low = fields.Integer(required=True)
    people_high = fields.Integer(required=True)
    unknown_size = fields.Integer(required=True, metadata={"description": "Incidents of unknown group size."})


class CountRowSchema(Schema):
    value = fields.String(required=True, metadata={"description": "Codebook id, or the month (YYYY-MM)."})
    label = fields.String(required=True)
    testimonies = fields.Integer(required=True)
    incidents = fields.Integer(required=True)
    people = fields.String(required=True, metadata={"description": "'20–30'; '–' where no incident counts."})


class CountsSchema(Schema):
    """Testimonies, incidents and people side by side, as the statistics page and the PDF give them."""
    total = fields.Nested(CountTotalSchema, required=True)
    side = fields.List(fields.Nested(CountRowSchema), required=True, metadata={"description": "Per perpetrator side."})
    abuse_type = fields.List(fields.Nested(CountRowSchema), required=True)
    place = fields.List(fields.Nested(CountRowSchema), required=True)
    month = fields.List(fields.Nested(CountRowSchema), required=True)


class CandidateSchema(Schema):
    """An incident or a testimony that may tell the same event as the testimony asked about."""
    kind = fields.String(required=True, metadata={"description": "`incident` or `testimony`."})
    incident = fields.Nested(IncidentRefSchema, allow_none=True)
    testimony = fields.String(allow_none=True, metadata={"description": "The other testimony's reference."})
    score = fields.Float(required=True)
    reasons = fields.List(fields.String(), required=True, metadata={"description": "Why, in words."})


class IncidentListArgsSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    per_page = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class IncidentListSchema(Schema):
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    per_page = fields.Integer(required=True)
    incidents = fields.List(fields.Nested(IncidentSummarySchema), required=True,
                            metadata={"description": "Newest event first; undated ones last."})


class TestimonyIncidentsSchema(Schema):
    reference = fields.String(required=True)
    incidents = fields.List(fields.Nested(IncidentSummarySchema), required=True,
                            metadata={"description": "The incidents this testimony is a source of."})


class CandidatesSchema(Schema):
    reference = fields.String(required=True)
    candidates = fields.List(fields.Nested(CandidateSchema), required=True, metadata={
        "description": "At most 3, best first, as the testimony's incidents page offers them; testimonies you may "
                       "not open are not offered; rejected pairs never are."})
