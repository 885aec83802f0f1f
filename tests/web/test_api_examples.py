"""examples/pull_search.py (docs/api.md's Python example) pulls a search out as it says: every result with
its codes, the statistics, and on a second pull only what changed (If-None-Match; 304 for the rest)."""
import importlib.util
from pathlib import Path

import pytest

from archive import store
from archive.store.db import write_transaction
from tests.factories import record

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "pull_search.py"


@pytest.fixture(scope="module")
def example():
    spec = importlib.util.spec_from_file_location("pull_search", EXAMPLE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def through(client):
    """The example's get(path, etag), answered by the Flask test client instead of HTTPS."""
    def get(path, etag=None):
        answer = client.get(path, headers={"If-None-Match": etag} if etag else {})
        assert answer.status_code in (200, 304), answer.get_data(as_text=True)
        return answer.status_code, answer.headers.get("ETag") or etag, answer.get_json() if answer.data else None
    return get


def test_a_search_pulled_out_then_only_what_changed(example, import_records, users, signed_in, db, monkeypatch):
    import_records([record(n) for n in range(1, 6)])
    monkeypatch.setattr(example, "PER_PAGE", 2)  # three pages of the search
    get = through(signed_in("lawyer")[0])
    first = list(example.pull(get, "dogs"))
    pulled = {rest[0]: rest for kind, *rest in first if kind == "testimony"}
    assert sorted(pulled) == [f"T-2021-{n:04d}" for n in range(1, 6)]
    assert all(codes["codes"] for _, _, codes, _ in pulled.values())
    assert first[-1][0] == "statistics" and first[-1][1]["total"]["testimonies"] == 5
    tags = {reference: etag for reference, (_, _, _, etag) in pulled.items()}
    code = pulled["T-2021-0003"][2]["codes"][0]
    with write_transaction(db):
        store.update_code(db, code["id"], {"note": "Seen by a doctor"}, "coder", "note added")
    again = {rest[0]: rest[2] for kind, *rest in example.pull(get, "dogs", tags=tags) if kind == "testimony"}
    assert [reference for reference, codes in again.items() if codes is not None] == ["T-2021-0003"]
