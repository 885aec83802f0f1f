"""The testimony page says which language a statement was detected in, and a coder corrects it: the
correction is kept as a stated language (history, audit), the statement is reindexed in it at once, and
the API shows both."""
import re

import pytest

from archive import store
from archive.custody import audit
from tests import factories

POLISH = "Straż Graniczna zatrzymała nas nocą w lesie. Funkcjonariusze poszczuli nas psami i bili pałkami."


def uncoded(n, text, language):
    return factories.record(n, text=text, language=language, title=f"Statement {n}", abuse_types=[], perpetrators=[],
                            location=None, incident_date_from=None)


@pytest.fixture
def references(import_records):
    return import_records([uncoded(1, POLISH, None), uncoded(2, POLISH + " Potem odeszli.", "en"),
                           uncoded(3, "Beaten at night.", None)]).references


def language_line(page):
    return " ".join(re.search(r'<dd id="language">(.*?)<form|<dd id="language">(.*?)</dd>', page, re.S)
                    .group(0).split())


def found(client, words):
    return [hit["reference"] for hit in client.get("/api/search", query_string={"q": words}).get_json()["results"]]


def test_the_page_says_which_language_was_detected_and_offers_a_coder_the_correction(signed_in, references):
    client, _ = signed_in("coder")
    page = client.get(f"/testimonies/{references[0]}").get_data(as_text=True)
    assert "detected: Polish" in language_line(page)
    assert re.search(r'<option value="pl" selected>Polish</option>', page)
    assert 'lang="pl"' in re.search(r'<div id="statement"[^>]*>', page).group(0)
    short = client.get(f"/testimonies/{references[2]}").get_data(as_text=True)
    assert "unknown: none could be detected (too short, or in several languages)" in language_line(short)


def test_a_reader_who_may_not_code_sees_the_language_but_no_form(signed_in, references):
    client, token = signed_in("lawyer")
    page = client.get(f"/testimonies/{references[0]}").get_data(as_text=True)
    assert "detected: Polish" in page and 'id="language-choice"' not in page
    answer = client.post(f"/testimonies/{references[0]}/language", data={"csrf_token": token, "language": "ru"})
    assert answer.status_code == 403


def test_a_coders_correction_is_stored_audited_and_reindexed(signed_in, references, db):
    client, token = signed_in("coder")
    wrong = references[1]  # Polish, stated as English: `las` does not meet its `lesie`
    assert found(client, "las") == [references[0]]
    answer = client.post(f"/testimonies/{wrong}/language",
                         data={"csrf_token": token, "language": "PL", "reason": "the statement is in Polish"})
    assert (answer.status_code, answer.headers["Location"]) == (303, f"/testimonies/{wrong}#language")
    assert ("Language saved: Polish. The statement is searched and suggested in it from now on."
            in client.get(f"/testimonies/{wrong}").get_data(as_text=True))  # the form alone looks unchanged
    assert store.get_testimony_row(db, wrong)["language"] == "pl"
    change = store.history_of(db, wrong)[-1]
    assert (change["old"], change["new"], change["actor"], change["reason"]) == (
        {"language": "en"}, {"language": "pl"}, "coder", "the statement is in Polish")
    event = db.execute("SELECT actor, detail FROM audit_event WHERE action = 'language_corrected'").fetchone()
    assert event[0] == "coder" and '"to": "pl"' in event[1]
    assert audit.verify(db) == []
    assert sorted(found(client, "las")) == sorted([references[0], wrong])
    assert language_line(client.get(f"/testimonies/{wrong}").get_data(as_text=True)).startswith(
        '<dd id="language">Polish')


def test_a_detected_language_corrected_wins_over_the_detection(signed_in, references, db):
    client, token = signed_in("coder")
    client.post(f"/testimonies/{references[0]}/language", data={"csrf_token": token, "language": "cs"})
    row = store.get_testimony_row(db, references[0])
    assert (row["language"], row["language_detected"]) == ("cs", "pl")  # the detection stays as it was read
    assert found(client, "las") == []
    assert store.history_of(db, references[0])[-1]["reason"] == "language corrected"


@pytest.mark.parametrize("language, message", [
    ("xx", "Language: &#39;xx&#39; is not an ISO 639-1 language code"),
    ("", "Language: Missing data for required field."),
])
def test_a_language_that_is_not_a_code_is_refused_and_nothing_changes(signed_in, references, db, language, message):
    client, token = signed_in("coder")
    answer = client.post(f"/testimonies/{references[0]}/language", data={"csrf_token": token, "language": language})
    assert answer.status_code == 422
    assert message in answer.get_data(as_text=True)
    assert store.get_testimony_row(db, references[0])["language"] is None


def test_the_api_shows_the_stated_and_the_detected_language(signed_in, references):
    client, _ = signed_in("coder")
    shown = client.get(f"/api/testimonies/{references[0]}").get_json()
    assert (shown["language"], shown["language_detected"]) == (None, "pl")
    assert client.get(f"/api/testimonies/{references[0]}/suggestions").get_json()["language"] == "pl"
    stated = client.get(f"/api/testimonies/{references[1]}").get_json()
    assert (stated["language"], stated["language_detected"]) == ("en", None)


def test_the_search_the_page_was_opened_from_survives_a_correction(signed_in, references):
    """The forms carry the search in their action, and the page they return to still links back to it."""
    client, token = signed_in("coder")
    page = client.get(f"/testimonies/{references[1]}", query_string={"search": "q=lesie&page=1"}).get_data(as_text=True)
    action = re.search(r'class="language-form"\s+action="([^"]+)"', page).group(1)
    assert action == f"/testimonies/{references[1]}/language?search=q%3Dlesie%26page%3D1"
    answer = client.post(action, data={"csrf_token": token, "language": "pl"})
    assert answer.headers["Location"] == f"/testimonies/{references[1]}?search=q%3Dlesie%26page%3D1#language"
    back = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert '<a href="/?q=lesie' in back and "← Back to the results" in back
    plain = client.post(f"/testimonies/{references[1]}/language", data={"csrf_token": token, "language": "pl"})
    assert plain.headers["Location"] == f"/testimonies/{references[1]}#language"  # opened without a search
