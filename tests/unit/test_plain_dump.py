"""A plain dump (schemas/plain_dump.py) is marshmallow's own dump: the same dict, or the same error, for
random values of every kind the schema's fields meet (the right type, another type, None, a key left out),
on the search answer's schema and on a schema of every field kind it handles."""
import marshmallow
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import fields, post_dump

from schemas.base import Schema
from schemas.plain_dump import DumpedPlainly
from schemas.search import SearchResultsSchema

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=True),
                    st.text(max_size=5), st.sampled_from(["3", "-1", "true", "0", "1.5", "null"]))


def values(field, depth=0):
    """Values a dict may hold for `field`: of its own kind mostly, of any scalar kind sometimes."""
    kind = type(field)
    if kind is fields.Nested and depth < 4:
        own = st.one_of(st.none(), objects(field.schema, depth + 1), st.lists(objects(field.schema, depth + 1), max_size=2))
    elif kind is fields.List and depth < 4:
        own = st.one_of(st.none(), st.lists(values(field.inner, depth + 1), max_size=3))
    elif kind is fields.Dict and depth < 4:
        own = st.one_of(st.none(), st.dictionaries(st.one_of(st.text(max_size=4), st.integers(0, 3)),
                                                   values(field.value_field, depth + 1), max_size=3))
    else:
        return SCALARS
    return st.one_of(own, SCALARS) if depth else own


def objects(schema, depth=0):
    """Dicts for `schema`: each field present or left out, and now and then a key no field reads."""
    present = {field.attribute or name: values(field, depth) for name, field in schema.dump_fields.items()}
    return st.fixed_dictionaries({}, optional={**present, "unknown": SCALARS})


def typed(dumped):
    """The dump with each value's type beside it: True == 1 and 1 == 1.0 in Python, not in JSON."""
    if isinstance(dumped, dict):
        return {key: typed(value) for key, value in dumped.items()}
    if isinstance(dumped, list):
        return [typed(value) for value in dumped]
    return type(dumped).__name__, repr(dumped)


def both(schema, obj):
    """(marshmallow's dump or its error's type, the plain dump or its error's type), each value typed."""
    answers = []
    for dump in (lambda: marshmallow.Schema.dump(schema, obj), lambda: schema.dump(obj)):
        try:
            answers.append(("dumped", typed(dump())))
        except Exception as err:  # noqa: BLE001 - the same error either way is what is checked
            answers.append(("refused", type(err)))
    return answers


class Place(Schema):
    id = fields.String(allow_none=True)
    label = fields.String(required=True)
    resolved = fields.Boolean()


class EveryKind(DumpedPlainly, Schema):
    name = fields.String()
    count = fields.Integer()
    as_text = fields.Integer(as_string=True)
    score = fields.Float()
    flag = fields.Boolean()
    renamed = fields.String(attribute="from", data_key="from")
    place = fields.Nested(Place, allow_none=True)
    places = fields.List(fields.Nested(Place))
    many_places = fields.Nested(Place, many=True)
    matrix = fields.List(fields.List(fields.Integer()))
    by_name = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(Place)))
    raw = fields.Raw()
    day = fields.Date()
    constant = fields.Constant("always")
    default = fields.String(dump_default="none given")


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_the_search_answer_is_dumped_as_marshmallow_dumps_it(data):
    schema = SearchResultsSchema()
    marshmallows, plain = both(schema, data.draw(objects(schema)))
    assert plain == marshmallows


@settings(max_examples=500, deadline=None)
@given(data=st.data())
def test_every_kind_of_field_is_dumped_as_marshmallow_dumps_it(data):
    schema = EveryKind()
    obj = data.draw(objects(schema) | st.lists(objects(schema), max_size=2) | SCALARS)
    marshmallows, plain = both(schema, obj)
    assert plain == marshmallows


def test_many_and_objects_that_are_not_dicts_are_dumped_as_marshmallow_dumps_them():
    class Hit:
        name, count = "dogs", 3
    schema = EveryKind(many=True)
    assert typed(schema.dump([{"name": "a"}, Hit()])) == typed(marshmallow.Schema.dump(schema, [{"name": "a"}, Hit()]))
    assert schema.dump([{"name": "a"}, Hit()]) == [{"name": "a", "default": "none given", "constant": "always"},
            {"name": "dogs", "count": 3, "default": "none given", "constant": "always"}]
    assert EveryKind().dump([{"name": "x"}], many=True) == [{"name": "x", "default": "none given", "constant": "always"}]


def test_a_schema_with_hooks_or_only_is_left_to_marshmallow():
    class Hooked(DumpedPlainly, Schema):
        name = fields.String()

        @post_dump
        def shout(self, data, **kwargs):
            return {key: value.upper() for key, value in data.items()}
    assert Hooked().dump({"name": "dogs"}) == {"name": "DOGS"}
    assert EveryKind(only=("name",)).dump({"name": "a", "count": 1}) == {"name": "a"}


@pytest.mark.parametrize("value, dumped", [(True, 1), (2.7, 2), ("7", 7), (None, None)])
def test_an_integer_of_another_type_is_dumped_as_marshmallow_turns_it(value, dumped):
    assert typed(EveryKind().dump({"count": value})["count"]) == typed(dumped)
