"""Search across the languages statements are written in, on a real index of real files: a query in
one language finds the statement in each other, inflections meet, snippets mark the words each
statement uses, natural queries, and an index built by an older version is refused until rebuilt."""
import json
import re

import pytest
from whoosh.fields import ID, TEXT, Schema

from archive.search import results
from search_index import indexer
from search_index.searcher import Searcher
from tests.factories import record

# One dog attack told in six languages, in words only (no codes): found through morphology and concepts.
DOGS = {
    "en": "At night the soldiers set their dogs on us and a dog bit my brother.",
    "pl": "W nocy strażnicy szczuli nas psami, jeden pies pogryzł mojego brata.",
    "ru": "Ночью пограничники натравили на нас собак, собака укусила брата.",
    "uk": "Вночі прикордонники нацькували на нас собак, собака вкусила брата.",
    "lt": "Naktį pasieniečiai užsiundė ant mūsų šunis, šuo įkando broliui.",
    "ar": "في الليل أطلقوا علينا الكلاب وعض كلب أخي.",
}
QUERIES = {"en": "dogs", "pl": "psy", "ru": "собаками", "uk": "собаки", "lt": "šunys", "ar": "كلاب"}
REFERENCE = {language: f"T-2021-{n:04d}" for n, language in enumerate(DOGS, start=1)}


@pytest.fixture
def statements(import_records):
    import_records([record(n, title=f"Statement {n}", text=DOGS[language], language=language, abuse_types=None,
                           perpetrators=None, location=None) for language, n in
                    ((language, int(REFERENCE[language][-4:])) for language in DOGS)]
                   + [record(9, title="Statement 9", text="We walked through the forest to the village.",
                             abuse_types=None, perpetrators=None, location=None),
                      record(10, title="Statement 10", text="The forest was cold and wet.",
                             abuse_types=None, perpetrators=None, location=None)])


def references(found, all_words=None):
    return {hit["reference"] for hit in found["results"] if all_words is None or hit["all_words"] == all_words}


@pytest.mark.parametrize("language", QUERIES)
def test_a_query_in_one_language_finds_the_statement_in_each_other(statements, searcher, language):
    found = searcher.search(QUERIES[language])
    assert set(REFERENCE.values()) <= references(found), f"{QUERIES[language]!r} missed some languages"
    assert {u["value"] for u in found["understood"]} == {"dog_attack"}


@pytest.mark.parametrize("query", ["pies", "psa", "psów"])
def test_a_polish_form_finds_a_statement_using_another(statements, searcher, query):
    found = searcher.search(f'"{query}"')  # quoted: the words only, not the concept
    assert REFERENCE["pl"] in references(found)


def test_the_snippet_marks_the_words_the_statement_uses(statements, searcher, db, codebook):
    described = results.describe(db, codebook, searcher.search("psy"))
    marked = {hit["reference"]: {hit["snippet"]["text"][s:e] for s, e in hit["snippet"]["matches"]}
              for hit in described["results"]}
    assert marked[REFERENCE["pl"]] >= {"psami", "pies"}
    assert "собак" in marked[REFERENCE["ru"]] and "собака" in marked[REFERENCE["ru"]]
    assert "dogs" in marked[REFERENCE["en"]]


def test_a_natural_query_puts_all_its_words_first_then_some(statements, searcher):
    found = searcher.search("forest village")
    assert found["mode"] == "natural" and found["words"] == 2 and found["total_all_words"] == 1
    assert [hit["reference"] for hit in found["results"]] == ["T-2021-0009", "T-2021-0010"]
    assert [(hit["all_words"], hit["words_matched"]) for hit in found["results"]] == [(True, 2), (False, 1)]


def test_a_natural_query_can_keep_only_the_statements_with_all_its_words(statements, searcher):
    some, only_all = searcher.search("forest village"), searcher.search("forest village", words="all")
    assert references(only_all) == {"T-2021-0009"} and only_all["total"] == only_all["total_all_words"] == 1
    assert sum(row["count"] for row in only_all["facets"]["language"]) == 1  # the counts follow
    assert sum(row["count"] for row in some["facets"]["language"]) == 2


def test_keeping_all_the_words_leaves_a_literal_query_as_written(statements, searcher):
    assert references(searcher.search("forest OR village", words="all")) == {"T-2021-0009", "T-2021-0010"}


def test_keeping_all_the_words_on_the_search_page_and_in_its_export(statements, client):
    page = client.get("/?q=forest+village").get_data(as_text=True)
    assert 'href="/?q=forest+village&amp;words=all">Show only the 1 matching all</a>' in page
    narrowed = client.get("/?q=forest+village&words=all").get_data(as_text=True)
    assert "only the <strong>1</strong> matching all 2 of your words" in narrowed
    assert "Statement 9" in narrowed and "Statement 10" not in narrowed
    assert 'href="/?q=forest+village">Show those matching some of them too</a>' in narrowed
    assert '<input type="hidden" name="words" value="all">' in narrowed  # the export form carries it
    token = re.search(r'name="csrf-token" content="([^"]+)"', narrowed).group(1)
    exported = client.post("/export", data={"q": "forest village", "words": "all", "format": "json",
                                                    "csrf_token": token})
    assert exported.status_code == 200
    document = json.loads(exported.get_data(as_text=True))
    assert [r["reference"] for r in document["records"]] == ["T-2021-0009"]
    assert document["search"]["words"] == "all"


def test_the_cli_keeps_all_the_words_when_asked(statements, users, run, tmp_path):
    assert "2 testimonies" in run("search", "forest village").output
    assert "1 testimony" in run("search", "forest village", "--all-words").output
    out = tmp_path / "all.csv"
    done = run("export", "forest village", "--all-words", "--format", "csv", "--out", out, "--as", "reviewer")
    assert "Exported 1 testimony" in done.output, done.output
    assert out.read_text(encoding="utf-8").count("T-2021-00") == 1


@pytest.mark.parametrize("query", ['"forest village"', "forest AND village", "forest village*"])
def test_operators_and_quotes_stay_literal(statements, searcher, query):
    found = searcher.search(query)
    assert found["mode"] == "literal"
    assert "T-2021-0010" not in references(found)


def test_an_index_built_by_an_older_version_is_refused_until_rebuilt(statements, data_dir, codebook, run):
    old = Schema(id=ID(stored=True, unique=True), text=TEXT())
    indexer.shutil.rmtree(data_dir.index)
    indexer.os.makedirs(data_dir.index)
    indexer.MappedStorage(str(data_dir.index)).create_index(old)
    with pytest.raises(indexer.IndexOutdated, match="archive reindex"):
        Searcher(data_dir.index, codebook).search("dogs")
    checked = run("check")
    assert checked.exit_code == 1 and "another version of the archive" in checked.output
    assert run("reindex").exit_code == 0
    assert REFERENCE["pl"] in references(Searcher(data_dir.index, codebook).search("psy"))


# Who did it, named in each language's words (no codes): found by a query naming the unit in another.
NAMINGS = {
    "T-2022-0001": ("pl", "Polscy strażnicy graniczni nas pobili przy płocie."),
    "T-2022-0002": ("ru", "У забора нас избили польские пограничники."),
    "T-2022-0003": ("ar", "ضربنا حرس الحدود البولندي قرب السياج"),
    "T-2022-0004": ("en", "Belarusian soldiers beat us at the fence."),
}


@pytest.fixture
def namings(import_records):
    import_records([record(n, reference=reference, title=f"Statement {n}", text=text, language=language,
                           abuse_types=None, perpetrators=None, location=None)
                    for n, (reference, (language, text)) in enumerate(NAMINGS.items(), start=20)])


@pytest.mark.parametrize("query, expected", [
    ("Straż Graniczna", {"T-2022-0001", "T-2022-0002", "T-2022-0003"}),  # an alias: the Polish Border Guard
    ("Polish border guards", {"T-2022-0001", "T-2022-0002", "T-2022-0003"}),
    ("Belarusian soldiers", {"T-2022-0004"}),
])
def test_a_query_naming_a_unit_finds_the_statements_naming_it_in_any_language(namings, searcher, query, expected):
    found = searcher.search(query)
    assert references(found, all_words=True) == expected
    assert {u["kind"] for u in found["understood"]} == {"perpetrator"}


# (language, a statement using an inflected form of a codebook term, a query in another language)
INFLECTED_TERMS = [
    ("pl", "Strażnicy szczuli nas psami.", "dogs", "dog_attack"),             # psami: the term 'pies'
    ("ru", "Нас избивали всю ночь.", "pobicie", "beating"),                   # a form of 'избить'
    ("uk", "Нас гнала службова собакою.", "dogs", "dog_attack"),
    ("lt", "Jie mus sumušė prie tvoros.", "beaten", "beating"),
    ("ar", "وهاجمتنا الكلاب والحراس", "psy", "dog_attack"),
    ("en", "They pushed us back to the forest.", "wywózka", "pushback"),     # 'push back', a word between
]


@pytest.mark.parametrize("language, text, query, value", INFLECTED_TERMS, ids=[t[0] for t in INFLECTED_TERMS])
def test_an_inflected_term_is_found_by_its_concept_from_another_language(import_records, searcher, language, text,
                                                                            query, value):
    import_records([record(30, text=text, language=language, title="Statement 30", abuse_types=None,
                           perpetrators=None, location=None),
                    record(31, text="We walked through the forest to the village.", title="Statement 31",
                           abuse_types=None, perpetrators=None, location=None)])
    found = searcher.search(query)
    assert references(found) == {"T-2021-0030"}
    assert value in {u["value"] for u in found["understood"]}


def test_statements_in_the_language_of_the_query_words_come_first(import_records, searcher):
    """'избиение' is a Russian term: the Russian statement leads, though the English one, naming
    beating and nothing else, scores higher on the concept alone."""
    import_records([record(40, text="Beaten.", language="en", title="Statement 40", abuse_types=None,
                           perpetrators=None, location=None),
                    record(41, text="У Кузницы нас избили и натравили собак, потом выдворили.", language="ru",
                           title="Statement 41", abuse_types=None, perpetrators=None, location=None)])
    ranked = [hit["reference"] for hit in searcher.search("избиение")["results"]]
    assert ranked == ["T-2021-0041", "T-2021-0040"]
    assert [hit["reference"] for hit in searcher.search("beaten")["results"]] == ["T-2021-0040", "T-2021-0041"]
