"""Collections of the API paged by cursor: `?cursor=…&limit=…` in, `next` out.

A cursor is a keyset position, not an offset: it stands for the stable key (a row's number) of the last
item of the page, and the next page holds the items after it in that key's order. An item added or
removed while a client walks the collection moves no other item between pages, so no item present
throughout is skipped or given twice. The cursor is opaque to clients (pass on the `next` you were
given); it is the key in hexadecimal, so that every string its pattern allows is one the server takes.
"""
from marshmallow import RAISE, fields, validate

from schemas.base import Schema

CURSOR_PATTERN = "^[0-9a-f]{1,15}$"  # 15 hex digits: below 2^60, inside SQLite's integers
LIMIT = 50


class Cursor(fields.String):
    """The position after which a page starts: loaded as the key (an int), dumped as the opaque string."""

    def __init__(self, **kwargs):
        super().__init__(metadata={"pattern": CURSOR_PATTERN, **kwargs.pop("metadata", {})}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        validate.Regexp(CURSOR_PATTERN)(text)  # before it is a number: validators run on the loaded value
        return int(text, 16)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else format(value, "x")


class PageArgsSchema(Schema):
    class Meta:
        unknown = RAISE

    # Absent: from the start. A callable, so that the document states no default (and no null) for it.
    cursor = Cursor(load_default=lambda: 0, metadata={
        "description": "Where the page starts: the `next` of the previous page. Absent: the first page."})
    limit = fields.Integer(load_default=LIMIT, validate=validate.Range(min=1, max=100),
                           metadata={"description": "Items on a page, 1–100."})


def next_cursor(field):
    """The `next` field of a page: the cursor of the page after it, null on the last page."""
    return Cursor(required=True, allow_none=True, metadata={
        "description": f"The cursor of the page after this one (`?cursor=`), null when these are the last {field}."})
