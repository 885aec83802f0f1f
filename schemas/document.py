"""Marks in a field's metadata for what its OpenAPI documentation needs from the running archive, which
the document's writer (archive/views/api_document.py) fills in when it writes the document: the
codebook's ids (an `enum`), and the dates up to today (a `pattern`, written again each day).

A schema class may also say, in `describe_in_openapi(schema)`, what its fields cannot: a rule across
fields (`anyOf`, `oneOf`), a form its loader also takes. The writer calls it on the schema's component."""
CODEBOOK = "x-codebook"
BLANK = "x-blank"
SHAPE = "x-codebook-shape"
UNTIL_TODAY = "x-until-today"
KINDS = ("abuse_types", "perpetrators", "state_sides", "places")


def codebook(kind, blank=False, spaces=False, joined=False):
    """The value is an id of the codebook's `kind` (KINDS; `places`: a place's id or any of its spellings),
    or the empty string too if `blank`: an `enum`. Or, as a `pattern`: within spaces, or only spaces, if
    `spaces`; several separated by `;` (each within spaces, or blank) if `joined`."""
    assert kind in KINDS
    shape = "joined" if joined else "spaces" if spaces else None
    return {CODEBOOK: kind, **({BLANK: True} if blank else {}), **({SHAPE: shape} if shape else {})}


def until_today(approximate=True, day_only=False, around=True, empty=False, blank=False, stripped=False):
    """The value is a date (schemas/date_patterns.py) that starts no later than today, in the shape given
    (date_patterns.partial_date and anchored's arguments); `stripped`: within any white space (a value
    str.strip() reads), else only white space that is not a hidden character (one checked for them first)."""
    return {UNTIL_TODAY: {"approximate": approximate, "day_only": day_only, "around": around, "empty": empty,
                          "blank": blank, "stripped": stripped}}


# null, in OpenAPI 3.0.3's words (`nullable` adds null to the `type` beside it): for a branch of `anyOf`.
NULL = {"type": "string", "nullable": True, "enum": [None]}
# Nothing: null, or the empty string (a range's end not given).
NOTHING = {"type": "string", "nullable": True, "enum": ["", None]}
