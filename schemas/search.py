"""The shape of a search answer: `archive search --json` now, the JSON API later."""
from marshmallow import Schema, fields


class FacetValueSchema(Schema):
    value = fields.String(required=True, metadata={"description": "The value to filter on (a codebook id, ISO code, …)."})
    label = fields.String(required=True, metadata={"description": "What a person reads for it."})
    count = fields.Integer(required=True, metadata={"description": "Testimonies with this value among the results, "
                                                                   "counted with every other facet's filters applied."})
    selected = fields.Boolean(required=True)


class SearchHitSchema(Schema):
    reference = fields.String(required=True)
    title = fields.String(required=True)
    score = fields.Float(allow_none=True, metadata={"description": "Relevance; null when there were no query words."})
    incident_start = fields.String(allow_none=True, metadata={"description": "Earliest incident day (ISO)."})


class SearchResultsSchema(Schema):
    query = fields.String()
    reinterpreted = fields.Boolean(metadata={"description": "True when the query could not be read as query "
                                                            "language and its words were searched instead."})
    total = fields.Integer(required=True)
    results = fields.List(fields.Nested(SearchHitSchema), required=True)
    facets = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(FacetValueSchema)), required=True)
