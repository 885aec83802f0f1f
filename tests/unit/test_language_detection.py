"""Language detection for statements that come without a language (archive/languages.py): each language
of the codebook and of the routes is named, a short or mixed statement gets no guess, the detection is
stored apart from the stated language, read at indexing, and filled in for older archives by init."""
import pytest

from archive import languages, service, store
from archive.store.db import write_transaction
from search_index.searcher import Searcher
from tests import factories

# One plain sentence or two in each language, of the kind a witness says (written for this test).
STATEMENTS = {
    "en": "The Polish border guards beat us with batons at night and pushed us back into the forest towards Belarus.",
    "pl": "Straż Graniczna wywiozła nas nocą z powrotem na Białoruś, bili nas pałkami i zabrali nam telefony.",
    "ru": "Пограничники избили нас ночью и вывезли обратно к границе, забрали телефоны и деньги у всех.",
    "uk": "Ми прийшли до кордону вночі, польські прикордонники побили нас і вивезли назад до Білорусі.",
    "lt": "Pasieniečiai mus sumušė naktį ir išvarė atgal į Baltarusiją, atėmė telefonus ir pinigus iš visų.",
    "ar": "ضربنا حرس الحدود البولندي بالعصي في الليل وأعادونا إلى بيلاروسيا وأخذوا هواتفنا ونقودنا كلها.",
    "be": "Беларускія пагранічнікі білі нас уначы і гналі назад да мяжы, забралі тэлефоны і грошы ў кожнага.",
    "fa": "مرزبانان لهستانی ما را در شب با باتوم زدند و ما را به جنگل به سمت بلاروس برگرداندند.",
    "de": "Die polnischen Grenzschützer haben uns in der Nacht mit Schlagstöcken geschlagen und nach Belarus zurückgeschickt.",
    "fr": "Les gardes-frontières polonais nous ont frappés avec des matraques pendant la nuit et renvoyés vers la Biélorussie.",
}


@pytest.mark.parametrize("language, text", sorted(STATEMENTS.items()))
def test_a_statement_of_each_language_is_named(language, text):
    assert languages.detect(text) == language


@pytest.mark.parametrize("language, text", sorted(STATEMENTS.items()))
def test_a_statement_of_a_few_words_gets_no_guess(language, text):
    assert languages.detect(" ".join(text.split()[:4])) == languages.UNDETERMINED


@pytest.mark.parametrize("first, second", [("pl", "en"), ("ru", "uk"), ("lt", "pl"), ("ar", "en"), ("en", "ru")])
def test_a_statement_in_two_languages_gets_no_guess(first, second):
    assert languages.detect(f"{STATEMENTS[first]}\n{STATEMENTS[second]}") == languages.UNDETERMINED


def test_a_quoted_word_of_another_language_does_not_make_a_statement_mixed():
    text = f"{STATEMENTS['en']} They shouted “Wracaj na Białoruś” and laughed. We walked all night without water."
    assert languages.detect(text) == "en"


@pytest.mark.parametrize("testimony, read_in", [
    ({"language": "pl", "language_detected": None}, "pl"),
    ({"language": "ru", "language_detected": "uk"}, "ru"),  # a stated (or corrected) language wins
    ({"language": None, "language_detected": "lt"}, "lt"),
    ({"language": None, "language_detected": languages.UNDETERMINED}, None),
    ({"language": None, "language_detected": None}, None),
    ({"language": "en"}, "en"),  # a row read without the column
])
def test_a_testimony_is_read_in_its_stated_language_else_the_detected_one(testimony, read_in):
    assert languages.of(testimony) == read_in


def uncoded(n, text, language):
    """A record whose words alone can find it: no codes, no place, a title that names nothing."""
    return factories.record(n, text=text, language=language, title=f"Statement {n}", abuse_types=[], perpetrators=[],
                            location=None, incident_date_from=None)


def test_an_import_without_a_language_stores_the_detected_one_apart_and_indexes_in_it(
        import_records, db, data_dir, codebook):
    polish = "Straż Graniczna zatrzymała nas nocą w lesie. Funkcjonariusze poszczuli nas psami i bili pałkami."
    report = import_records([uncoded(1, polish, None), uncoded(2, "We were beaten.", None),
                             uncoded(3, STATEMENTS["ru"], "ru"), uncoded(4, polish + " Potem odeszli.", "en")])
    rows = {r: store.get_testimony_row(db, r) for r in report.references}
    assert [(row["language"], row["language_detected"]) for row in rows.values()] == [
        (None, "pl"), (None, languages.UNDETERMINED), ("ru", None), ("en", None)]
    searcher = Searcher(data_dir.index, codebook)
    try:  # `las` meets `lesie` only through Polish analysis: not in the same words stated to be English
        assert [hit["reference"] for hit in searcher.search("las")["results"]] == [report.references[0]]
    finally:
        searcher.close()


@pytest.mark.parametrize("command", [service.init, service.reindex])
def test_init_and_reindex_read_the_language_of_statements_stored_before_detection_and_check_says_it(
        import_records, db, data_dir, codebook, command):
    reference = import_records([uncoded(1, STATEMENTS["lt"], None)]).references[0]
    with write_transaction(db):  # as an archive made before languages were detected holds it
        db.execute("UPDATE testimony SET language_detected = NULL")
    problems, _ = service.check(data_dir)
    assert any("1 testimonies stored without a language were never read for one" in p for p in problems)
    command(data_dir)
    assert store.get_testimony_row(db, reference)["language_detected"] == "lt"
    assert [h["new"] for h in store.history_of(db, reference)][-1] == {"language_detected": "lt"}
    problems, drift = service.check(data_dir)
    assert not [p for p in problems if "never read" in p]
    assert not drift  # and indexed it at its new revision
    searcher = Searcher(data_dir.index, codebook)
    try:  # `naktis` meets `naktį` only through Lithuanian analysis
        assert [hit["reference"] for hit in searcher.search("naktis")["results"]] == [reference]
    finally:
        searcher.close()
