"""What the OpenAPI document says that marshmallow's fields cannot, written into it by create_app's
finishing step (and the marks again each day, archive/openapi.py):

- the marks of schemas/document.py: the codebook's ids as enums, the dates up to today as patterns;
- each schema class's own `describe_in_openapi` (rules across fields, other forms its loader takes);
- a nested schema that may be null: null, not any object (apispec writes `{"type": "object", "nullable": true}`);
- what a query string can carry: no null (an absent parameter is the null); a repeatable parameter takes
  one value or several (`perpetrator=PL`, `perpetrator=PL&perpetrator=BY`), said in its description.

So a client, or schemathesis, may trust the document: what it allows is accepted, what it does not is
refused (docs/api.md, the contract is tested).
"""
import datetime as dt
import re

from apispec.ext.marshmallow import MarshmallowPlugin

from archive import service
from schemas import date_patterns
from schemas.document import BLANK, CODEBOOK, SHAPE, UNTIL_TODAY


def codebook_values(book):
    """Each kind of schemas.document.KINDS: the values the schemas' codebook checks take, sorted."""
    spellings = set(book.places)
    for place in book.places.values():
        spellings.update([place["name"], *place.get("variants", [])])
    return {"abuse_types": sorted(book.abuse_types), "perpetrators": sorted(book.perpetrators),
            "state_sides": sorted(p for p, entry in book.perpetrators.items() if entry["kind"] == "state"),
            "places": sorted(spellings)}


def describe(spec):
    """Once, when the document is first written."""
    _schemas_own_rules(spec)
    _nested_nulls(spec.components.schemas)
    for operations in spec._paths.values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []) if isinstance(operation, dict) else []:
                if isinstance(parameter, dict) and parameter.get("in") == "query":
                    _as_a_query_string_carries_it(parameter)


def _schemas_own_rules(spec):
    plugin = next(p for p in spec.plugins if isinstance(p, MarshmallowPlugin))
    components = spec.components.schemas
    for key, name in plugin.converter.refs.items():
        rules = getattr(key[0], "describe_in_openapi", None)  # apispec's key: (schema class, modifiers…)
        if rules and name in components:
            rules(components[name])


def _nested_nulls(components):
    """apispec writes a nested schema that may be null as `anyOf: [its $ref, {"type": "object", "nullable":
    true}]`, which allows any object at all: the second is made null only."""
    for node in _nodes(components):
        for branch in node.get("anyOf", []):
            if branch == {"type": "object", "nullable": True}:
                branch["enum"] = [None]


def _as_a_query_string_carries_it(parameter):
    """No null (an absent parameter is the null). A repeatable one stays an array: with `style: form,
    explode: true`, one value is an array of one on the wire (stated as an `anyOf` of a value and an array,
    schemathesis counts an item that is text on the wire as a value the document refuses); said in words."""
    schema = parameter["schema"]
    schema.pop("nullable", None)
    if "default" in schema and schema["default"] is None:
        del schema["default"]
    if schema.get("type") == "array" and parameter.get("explode", True):
        parameter.setdefault("description", "One value, or several: the parameter repeated "
                                            f"(`{parameter['name']}=a&{parameter['name']}=b`).")


def write_marks(spec, today=None):
    """The marks filled in, in place (flask-smorest serves `spec.to_dict()` of these same dictionaries)."""
    values, today = codebook_values(service.load_codebook()), today or dt.date.today()
    for node in _nodes([spec.components.schemas, spec._paths]):
        if CODEBOOK in node and SHAPE in node:
            node["pattern"] = _ids_pattern(values[node[CODEBOOK]], node[SHAPE])
        elif CODEBOOK in node:
            node["enum"] = [*values[node[CODEBOOK]], *([""] if node.get(BLANK) else []),
                            *([None] if node.get("nullable") else [])]
        if UNTIL_TODAY in node:
            shape = dict(node[UNTIL_TODAY])
            form = date_patterns.partial_date(until=today, approximate=shape.pop("approximate"),
                                              day_only=shape.pop("day_only"))
            space = date_patterns.STRIPPED if shape.pop("stripped") else date_patterns.SPACE
            node["pattern"] = date_patterns.anchored(form, space=space, **shape)


def _ids_pattern(ids, shape):
    """Codebook ids (letters, digits and `_`) as a pattern: one within spaces or blank; or `;`-separated."""
    assert all(re.fullmatch(r"[A-Za-z0-9_]+", i) for i in ids), "a codebook id that a pattern must escape"
    one = f"{date_patterns.STRIPPED}*({'|'.join(ids)})?{date_patterns.STRIPPED}*"  # each stripped: str.strip()
    return f"^{one}$" if shape == "spaces" else f"^{one}(;{one})*$"


def _nodes(value):
    if isinstance(value, dict):
        yield value
        for item in value.values():
            yield from _nodes(item)
    elif isinstance(value, list):
        for item in value:
            yield from _nodes(item)
