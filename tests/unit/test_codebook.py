import pytest

from archive import store
from archive.text import fold_phrase


def test_the_tree_has_seven_top_level_categories(codebook):
    top = sorted(a["id"] for a in codebook.abuse_types.values() if a["parent"] is None)
    assert top == ["death_or_disappearance", "degrading_treatment", "deprivation", "expulsion",
                   "liberty_and_procedure", "physical_violence", "property_violation"]


def test_every_abuse_type_has_a_definition_and_resolvable_legal_provisions(codebook):
    for abuse in codebook.abuse_types.values():
        assert abuse["label"] and abuse["definition"], abuse["id"]
        assert all(p in codebook.legal_provisions for p in abuse["legal"]), abuse["id"]
        assert abuse["legal"], f"{abuse['id']} engages no legal provision"


def test_ancestors_go_up_to_the_category(codebook):
    assert codebook.ancestors("dog_attack") == ["dog_attack", "physical_violence"]
    assert codebook.ancestors("pushback") == ["pushback", "expulsion"]
    assert codebook.ancestors("death_or_disappearance") == ["death_or_disappearance"]


@pytest.mark.parametrize("perpetrator, side", [
    ("pl_border_guard", "PL"), ("by_military_special", "BY"), ("eu_frontex", "EU"),
    ("PL", "PL"), ("smugglers", "smugglers"), ("unknown", "unknown"),
])
def test_units_belong_to_their_side(codebook, perpetrator, side):
    assert codebook.side_of(perpetrator) == side


@pytest.mark.parametrize("spelling", ["Kuźnica", "Kuznica", "Kuznitsa", "Кузница", "KUZNICA", "kuźnica białostocka"])
def test_every_spelling_of_kuznica_resolves(codebook, spelling):
    assert codebook.resolve_place(spelling) == "kuznica"


@pytest.mark.parametrize("spelling, place", [
    ("Grodno", "hrodna"), ("Гродно", "hrodna"), ("Bialowieza Forest", "bialowieza_forest"),
    ("Brusgi", "bruzgi"), ("Hajnowka", "hajnowka"), ("Brześć", "brest"), ("Medininkai", "medininkai"),
])
def test_variants_and_transliterations_resolve(codebook, spelling, place):
    assert codebook.resolve_place(spelling) == place


def test_no_spelling_means_two_places(codebook):
    seen = {}
    for place in codebook.places.values():
        for spelling in {fold_phrase(s) for s in [place["name"], *place["variants"]]}:
            assert seen.setdefault(spelling, place["id"]) == place["id"], spelling


def test_an_unknown_place_does_not_resolve(codebook):
    assert codebook.resolve_place("a farm near the border") is None


def test_the_codebook_is_loaded_into_sqlite(db, codebook):
    assert store.codebook_version(db) == codebook.version
    assert db["abuse_type"].count == len(codebook.abuse_types)
    assert db["place"].count == len(codebook.places)
    assert db["perpetrator"].get("pl_border_guard")["side"] == "PL"
    legal = {r["legal_provision"] for r in db["abuse_type_legal"].rows_where("abuse_type = ?", ["dog_attack"])}
    assert legal == set(codebook.legal_for("dog_attack"))
    spellings = {r["spelling"] for r in db["place_variant"].rows_where("place_id = ?", ["kuznica"])}
    assert {"Kuznitsa", "Кузница"} <= spellings
