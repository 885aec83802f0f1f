"""Search arguments (the page's URL and the API's query string) and the shape of a search answer."""
import datetime as dt

from marshmallow import RAISE, ValidationError, fields, validate, validates_schema

from archive import dates
from archive.i18n import say
from schemas import date_patterns, validators
from schemas.base import Schema
from schemas.plain_dump import DumpedPlainly
from search_index.schema import FACETS
from search_index.searcher import SORTS, WORDS

MAX_VALUES = 50  # values of one facet in one search
PER_PAGE = 20


# Exactly what archive/dates.py accepts as a bound of a period (a client may trust the document: what
# matches is never refused), within spaces; or nothing (only spaces), which the search form sends for
# an empty field.
DATE_PATTERN = date_patterns.anchored(date_patterns.partial_date(), blank=True, space=date_patterns.STRIPPED)
# A query with a character no_hidden_characters refuses (archive/text.py's controls) is refused: said here.
QUERY_PATTERN = validators.VISIBLE_PATTERN


class Period(validators.Text):
    """A partial date as a bound of a period: `2021`, `2021-11` or `2021-11-08`; kept as PartialDate.
    DATE_PATTERN says in the OpenAPI document exactly what loads; dates.parse is the rule itself."""

    def __init__(self, **kwargs):
        super().__init__(metadata={"pattern": DATE_PATTERN, **kwargs.pop("metadata", {})}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs).strip()
        if not value:  # the search form sends its empty period fields (`from=&to=`): not given
            return None
        try:
            return dates.parse(value, today=dt.date.max)  # a period may reach into the future
        except dates.DateError as err:
            raise ValidationError(str(err)) from None


def _facet_values():
    return fields.List(validators.Text(validate=validate.Length(min=1, max=200)),
                       validate=validate.Length(max=MAX_VALUES), load_default=list)


class _SearchArgs(Schema):
    class Meta:
        unknown = RAISE

    q = validators.Text(load_default="", validate=[validate.Length(max=10_000), validators.no_hidden_characters],
                      metadata={"pattern": QUERY_PATTERN,
                                "description": "Words or Whoosh query language; an unreadable query is searched "
                                               "as plain words."})
    date_from = Period(data_key="from", load_default=None,
                       metadata={"description": "Keep testimonies with an incident that may fall on or after "
                                                "this date (YYYY, YYYY-MM or YYYY-MM-DD)."})
    date_to = Period(data_key="to", load_default=None,
                     metadata={"description": "…on or before this date."})
    sort = validators.Text(load_default="relevance", validate=validate.OneOf(SORTS))
    words = validators.Text(load_default="some", validate=validate.OneOf(WORDS),
                            metadata={"description": "A natural search of several words: `some` (the default) "
                                                     "finds those matching all of them, then those matching some; "
                                                     "`all` only those matching all (or coded with all it names)."})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=500))
    per_page = fields.Integer(load_default=PER_PAGE, validate=validate.Range(min=1, max=100))

    @validates_schema
    def period_in_order(self, args, **kwargs):
        if args.get("date_from") and args.get("date_to") and args["date_to"].end < args["date_from"].start:
            raise ValidationError(say("the period ends before it starts"), "to")


# One repeatable parameter per facet, declared through the metaclass like any other field.
SearchArgsSchema = type("SearchArgsSchema", (_SearchArgs,), {
    "__doc__": "`q`, one repeatable parameter per facet (`abuse_type=beating&abuse_type=dog_attack`), a period "
               "of incident dates (`from`, `to`), `sort`, `words`, `page` and `per_page`.",
    **{name: _facet_values() for name in FACETS},
})


def search_kwargs(args):
    """Searcher.search keyword arguments from loaded SearchArgsSchema args."""
    return {
        "query": args["q"], "filters": {name: args[name] for name in FACETS if args.get(name)},
        "date_from": args["date_from"].start if args["date_from"] else None,
        "date_to": args["date_to"].end if args["date_to"] else None,
        "sort": args["sort"], "words": args["words"], "limit": args["per_page"], "offset": (args["page"] - 1) * args["per_page"],
    }


class LabelledSchema(Schema):
    id = fields.String(allow_none=True)
    label = fields.String(required=True)


class DateSchema(Schema):
    text = fields.String(required=True, metadata={"description": "As given (EDTF): 2021-11, 2021-11-16~, 2021-09/2021-11."})
    precision = fields.String(required=True, validate=validate.OneOf(dates.PRECISIONS))
    from_ = fields.String(attribute="from", data_key="from", required=True,
                          metadata={"description": "First day it may mean."})
    to = fields.String(required=True, metadata={"description": "Last day it may mean."})
    label = fields.String(required=True)


class PlaceSchema(LabelledSchema):
    resolved = fields.Boolean(required=True, metadata={"description": "False: not in the gazetteer, kept as written."})


class PassageSchema(Schema):
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    text = fields.String(required=True)


class CodeSchema(Schema):
    id = fields.Integer(required=True)
    abuse_type = fields.String(allow_none=True)
    label = fields.String(required=True)
    perpetrators = fields.List(fields.Nested(LabelledSchema), required=True)
    place = fields.Nested(PlaceSchema, allow_none=True)
    date = fields.Nested(DateSchema, allow_none=True)
    legal = fields.List(fields.Nested(LabelledSchema), required=True)
    passage = fields.Nested(PassageSchema, allow_none=True)


class SnippetSchema(Schema):
    text = fields.String(required=True, metadata={"description": "Plain text, never markup: escape it."})
    matches = fields.List(fields.List(fields.Integer()), required=True,
                          metadata={"description": "[start, end] offsets of matched words in `text`."})


class FacetValueSchema(Schema):
    value = fields.String(required=True, metadata={"description": "The value to filter on (a codebook id, ISO code, …)."})
    label = fields.String(required=True, metadata={"description": "What a person reads for it."})
    count = fields.Integer(required=True, metadata={"description": "Testimonies with this value among the results, "
                                                                   "counted with every other facet's filters applied."})
    selected = fields.Boolean(required=True)
    depth = fields.Integer(metadata={"description": "abuse_type and perpetrator only: 0 for a category or side, "
                                                    "1 for a type or unit within it."})


class MatchedCodeSchema(Schema):
    value = fields.String(required=True, metadata={"description": "The abuse type or place id."})
    label = fields.String(required=True)


class StatedIncidentSchema(Schema):
    """The incident as the intake stated it: where, when and who, before any coding."""
    place = fields.Nested(PlaceSchema, allow_none=True)
    date = fields.Nested(DateSchema, allow_none=True)
    perpetrators = fields.List(fields.Nested(LabelledSchema), required=True)


class SearchHitSchema(Schema):
    reference = fields.String(required=True)
    title = fields.String(required=True)
    score = fields.Float(allow_none=True, metadata={"description": "Relevance; null when not sorted by relevance."})
    incident_start = fields.String(allow_none=True, metadata={"description": "Earliest incident day (ISO)."})
    incident_date = fields.Nested(DateSchema, allow_none=True)
    places = fields.List(fields.String())
    incident = fields.Nested(StatedIncidentSchema, allow_none=True,
                             metadata={"description": "The incident as stated at intake, or null."})
    language = fields.String(allow_none=True)
    status = fields.String()
    confidentiality = fields.String()
    codes = fields.List(fields.Nested(CodeSchema))
    matched_codes = fields.List(fields.Nested(MatchedCodeSchema), required=True,
                                metadata={"description": "Codes of this testimony that the query named."})
    snippet = fields.Nested(SnippetSchema)
    all_words = fields.Boolean(metadata={"description": "True when it matches every word of the query (or is coded "
                                                        "with everything the query names); false for the results "
                                                        "after the line 'matching some of your words'."})
    words_matched = fields.Integer(allow_none=True, metadata={
        "description": "How many of the query's words it matches (a place or abuse type named in several words "
                       "counts as one); null for a query in the query language or an empty one."})


class UnderstoodSchema(Schema):
    text = fields.String(required=True, metadata={"description": "The words of the query."})
    kind = fields.String(required=True, validate=validate.OneOf(["place", "abuse_type", "reference"]),
                         metadata={"description": "`reference`: the whole query is a testimony's reference, "
                                                  "and only that testimony is searched."})
    value = fields.String(required=True)
    label = fields.String(required=True)


class SearchResultsSchema(DumpedPlainly, Schema):  # a few hundred dicts an answer: dumped plainly
    query = fields.String()
    reinterpreted = fields.Boolean(metadata={"description": "True when the query could not be read as query "
                                                            "language and its words were searched instead."})
    notices = fields.List(fields.String(), metadata={
        "description": "How the query was narrowed to be answered in time, one sentence each: a wildcard, prefix, "
                       "fuzzy or range term stands for at most 200 words of the index (the first, alphabetically), "
                       "and one with no letter or digit (`*`, `**`, `???`) is left out. Empty when nothing was "
                       "cut: then the results are everything the query matches."})
    total = fields.Integer(required=True, metadata={"description": "Every result, those matching some of the "
                                                                   "words of a natural query included."})
    mode = fields.String(validate=validate.OneOf(["natural", "literal"]), metadata={
        "description": "`natural`: the query was plain words; statements matching all of them come first, then "
                       "(all_words false) those matching some, by how many and by relevance. `literal`: the query "
                       "used the query language (operators, quotes, field names, wildcards) and was taken as written."})
    words = fields.Integer(allow_none=True, metadata={"description": "How many words a natural query counts."})
    total_all_words = fields.Integer(metadata={"description": "How many results match all the words."})
    results = fields.List(fields.Nested(SearchHitSchema), required=True)
    facets = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(FacetValueSchema)), required=True)
    understood = fields.List(fields.Nested(UnderstoodSchema),
                             metadata={"description": "Places and abuse types recognised in the query, searched "
                                                      "in all their spellings and languages and by their codes; "
                                                      "or the reference the query names."})
    suggestion = fields.String(allow_none=True, metadata={"description": "'Did you mean', when nothing matched."})
