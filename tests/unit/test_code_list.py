"""The testimony page's code groups (archive/coding/code_list.py): current, blind in progress, superseded."""
from archive.coding import code_list


def code(number, stage, coder):
    return {"id": number, "stage": stage, "coder": coder}


CODES = [code(1, "blind", "coder2"), code(2, "coded", "coder"), code(3, "blind", "coder"), code(4, "superseded", "b"),
         code(5, "superseded", "A"), code(6, "blind", "coder")]


def test_a_reviewer_sees_the_coding_apart_from_the_blind_and_the_superseded_codes():
    groups = code_list.split(CODES)
    assert [c["id"] for c in groups.current] == [2]
    assert {coder: [c["id"] for c in codes] for coder, codes in groups.blind.items()} == {"coder": [3, 6],
                                                                                          "coder2": [1]}
    assert list(groups.blind) == ["coder", "coder2"] and list(groups.superseded) == ["A", "b"]
    assert groups.blind_counts() == [("coder", 2), ("coder2", 1)] and groups.superseded_count == 2


def test_a_coder_coding_blind_has_their_blind_codes_as_their_coding():
    groups = code_list.split([code(3, "blind", "coder"), code(6, "blind", "coder")], coding_blind="coder")
    assert [c["id"] for c in groups.current] == [3, 6] and groups.blind == {} and groups.superseded == {}
