"""GET /api/testimonies/<reference>/suggestions: the archive's reading of a statement, as data."""
from schemas.suggested import SuggestionsSchema
from tests.factories import record

TEXT = ("Polscy strażnicy graniczni pobili nas pałkami w Kuźnicy. Podobno innych też szczuli psami. "
        "Potem wywieźli nas do lasu.")


def test_suggestions_with_perpetrators_and_their_evidence(import_records, client):
    import_records([record(1, text=TEXT, language="pl", abuse_types=None, perpetrators=None, location=None)])
    response = client.get("/api/testimonies/T-2021-0001/suggestions")
    assert response.status_code == 200
    found = response.get_json()
    assert SuggestionsSchema().validate(found) == {}
    by_value = {s["value"]: s for s in found["suggestions"]}
    assert {"beating", "kuznica"} <= set(by_value)
    assert "dog_attack" not in by_value  # only reported ('Podobno…'): hearsay is not suggested
    assert by_value["beating"]["passage"] == "Polscy strażnicy graniczni pobili nas pałkami w Kuźnicy."
    assert [(p["value"], p["side"], p["unit"]) for p in found["perpetrators"]] == [
        ("pl_border_guard", "PL", "pl_border_guard")]
    named = found["perpetrators"][0]
    assert TEXT[named["start"]:named["end"]] == "Polscy strażnicy"


def test_an_unknown_reference_is_404_and_the_document_describes_it(import_records, client):
    assert client.get("/api/testimonies/T-2099-0001/suggestions").status_code == 404
    document = client.get("/api/openapi.json").get_json()
    assert "/api/testimonies/{reference}/suggestions" in document["paths"]
