"""archive/paging.py's keyset pages, on a list standing for a table: every item once, in key order, whatever
the page size and however many items the reader may not see; the cursor schemas/paging.py reads and writes."""
import pytest
from marshmallow import ValidationError

from archive.paging import keyset_page
from schemas.paging import PageArgsSchema


def table(keys):
    rows = [{"id": key} for key in sorted(keys)]
    return lambda after, count: [row for row in rows if row["id"] > after][:count]


def walk(fetch, limit, keep=lambda row: True):
    seen, after, pages = [], 0, 0
    while True:
        shown, after = keyset_page(fetch, limit, after, key=lambda row: row["id"], keep=keep)
        seen += [row["id"] for row in shown]
        pages += 1
        assert len(shown) <= limit and (after is None or len(shown) == limit)
        if after is None:
            return seen, pages


@pytest.mark.parametrize("limit", [1, 2, 3, 7, 100])
@pytest.mark.parametrize("hidden", [set(), {2, 3, 4, 5}, set(range(1, 20, 2)), set(range(1, 21))])
def test_every_visible_item_once_in_key_order(limit, hidden):
    seen, pages = walk(table(range(1, 21)), limit, keep=lambda row: row["id"] not in hidden)
    visible = [key for key in range(1, 21) if key not in hidden]
    assert seen == visible
    assert pages == max(1, -(-len(visible) // limit))  # full pages, and no empty page after the last


def test_the_cursor_is_opaque_hex_and_nothing_else():
    assert PageArgsSchema().load({"cursor": "1f", "limit": "3"}) == {"cursor": 31, "limit": 3}
    assert PageArgsSchema().load({}) == {"cursor": 0, "limit": 50}
    assert PageArgsSchema().dump({"cursor": 31, "limit": 3})["cursor"] == "1f"
    for wrong in ("1F", "-1", "0x1f", "1" * 16, "", " 1f"):
        with pytest.raises(ValidationError):
            PageArgsSchema().load({"cursor": wrong})
