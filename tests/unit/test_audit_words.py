"""The audit log in words: every action the code records has words, each detail reads as a sentence."""
import ast
from pathlib import Path

import pytest

from archive.custody.audit_words import ACTION_WORDS, action_words, detail_words, readable_time

SOURCE = Path(__file__).parents[2] / "archive"


def _strings(node):
    """The string constants an expression can evaluate to (`"login" if user else "login_failed"`)."""
    return {n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def recorded_actions():
    """Every action passed to `audit.record(db, actor, ACTION, …)` in the archive's source, and to the
    CLI's `write(data, change, ACTION, …)`, which records it."""
    found = {}
    for path in SOURCE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or len(node.args) < 3:
                continue
            called = ast.unparse(node.func)
            if called == "audit.record" or (called == "write" and path.parent.name == "cli"):
                for action in _strings(node.args[2]):
                    found.setdefault(action, f"{path.relative_to(SOURCE.parent)}:{node.lineno}")
    return found


def test_the_scan_finds_the_actions_it_should():
    found = recorded_actions()
    assert {"login", "login_failed", "login_throttled", "code_added", "export", "user_changed",
            "token_created", "identities_sealed", "audit_exported"} <= set(found)


def test_every_recorded_action_has_words():
    missing = {action: where for action, where in recorded_actions().items() if action not in ACTION_WORDS}
    assert missing == {}, "add these to archive/custody/audit_words.py ACTION_WORDS"


@pytest.mark.parametrize("action, words", [("code_added", "Code added"), ("login", "Logged in"),
                                           ("export", "Export"), ("something_new", "Something new")])
def test_action_words(action, words):
    assert action_words(action) == words


@pytest.mark.parametrize("iso, shown", [
    ("2026-12-02T14:05:09+00:00", "2 Dec 2026, 14:05 UTC"),
    ("2026-12-02T16:05:09+02:00", "2 Dec 2026, 14:05 UTC"),   # another offset is said in UTC
    ("2026-01-09T08:00:00", "9 Jan 2026, 08:00 UTC"),
    ("not a time", "not a time"),
    (None, ""),
])
def test_readable_time(iso, shown):
    assert readable_time(iso) == shown


@pytest.mark.parametrize("action, detail, words", [
    ("login", {}, ""),
    ("user_added", {"role": "viewer"}, "role viewer"),
    ("user_changed", {"active": False}, "locked"),
    ("user_changed", {"active": True}, "unlocked"),
    ("user_changed", {"role": "reviewer", "password": True}, "role set to reviewer; new password set"),
    ("token_created", {"label": "notebook", "days": 30}, "labelled “notebook”; expires after 30 days"),
    ("token_revoked", {"token": 3}, "token no. 3"),
    ("code_added", {"code": 12}, "code no. 12"),
    ("incident_leg_added", {"incident": 3, "leg": 4}, "incident no. 3; leg no. 4"),
    ("incident_link_confirmed", {"incident": None, "testimony": "T-2021-0002", "score": 0.82},
     "with T-2021-0002; score 0.82"),
    ("code_changed", {"code": 12, "fields": ["place_id", "passage_start"]}, "code no. 12; changed: place id, passage start"),
    ("status_changed", {"from": "in_progress", "to": "coded"}, "from in progress to coded"),
    ("import", {"batch": 2, "file_sha256": "ab" * 32, "rows": 14, "imported": 12, "duplicates": 2},
     "12 of 14 records imported; 2 duplicates skipped; batch 2; file SHA-256 abababababab…"),
    ("view_identity", {"found": True}, "identity shown"),
    ("coders_assigned", {"coders": ["coder", "coder2"]}, "coders: coder, coder2"),
    ("double_coding_settled", {"decisions": {"abuse_type:beating": "accept", "side:PL": "reject"},
                               "coded": [4, 5], "superseded": [1, 2, 3]},
     "2 disagreements decided (1 accepted, 1 rejected); 2 codes copied into the coding; 3 blind codes superseded"),
    ("export", {"format": "csv", "records": 1, "left_out": {"consent internal": 2}, "identified": ["T-1"],
                "sha256": "cd" * 32, "search": {"q": "dogs"}, "case_file": None},
     "CSV; 1 testimony; left out: 2 (consent internal); witness identity shown for T-1; a search; "
     "file SHA-256 cdcdcdcdcdcd…"),
    ("backup", {"sha256": "ef" * 32}, "file SHA-256 efefefefefef…"),
    ("audit_exported", {"entries": 3, "through": 40, "filter": {"user": "marta"}},
     "3 entries; up to no. 40; filtered by user marta"),
    # A key no describer knows is still said, so nothing recorded is hidden.
    ("code_added", {"code": 1, "note": "x"}, "code no. 1; note: x"),
    ("new_kind", {"b": [1, 2], "a": {"k": "v"}}, "a: k v; b: 1, 2"),
])
def test_detail_words(action, detail, words):
    assert detail_words(action, detail) == words
