"""Each language's inflections meet under its analyzer, and the concepts recognised when a statement
is indexed agree with the concept a query expands to (search_index.analysis, search_index.concepts)."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive import service
from search_index import analysis, concepts
from search_index.concepts import ABUSE_TYPE, PLACE

BOOK = service.load_codebook()
VOCABULARY = concepts.vocabulary(BOOK)

# (language, forms of one word that must meet): nominative, other cases, plurals, verb forms.
INFLECTIONS = [
    ("en", ["dog", "dogs", "Dogs"]),
    ("en", ["beat", "beaten", "beating", "beats"]),
    ("en", ["die", "died", "dying"]),
    ("pl", ["pies", "psy", "psami", "psa", "psów", "psem"]),        # a suppletive plural
    ("pl", ["granica", "granicy", "granicę", "granicą"]),
    ("pl", ["Kuźnica", "Kuźnicy", "Kuźnicę"]),                        # a place name's cases
    ("pl", ["telefon", "telefony", "telefonów", "telefonami"]),
    ("pl", ["pobić", "pobili", "pobicie"]),                           # the verb and its noun
    ("ru", ["собака", "собаки", "собаками", "собаку", "собакой"]),
    ("ru", ["граница", "границу", "границы", "границе"]),
    ("ru", ["Кузница", "Кузнице", "Кузницы"]),
    ("uk", ["собака", "собаки", "собаками", "собаку"]),
    ("uk", ["кордон", "кордону", "кордоні"]),
    ("uk", ["притулок", "притулку"]),
    ("uk", ["бити", "б'ють", "б’ють", "бʼють"]),                      # an apostrophe inside the word, any of three
    ("lt", ["šunys", "šunimis", "šuns"]),
    ("lt", ["Medininkai", "Medininkuose", "Medininkų"]),
    ("lt", ["Kybartai", "Kybartų", "Kybartuose"]),
    ("ar", ["الكلاب", "كلاب", "بالكلاب"]),                           # the article and a clitic
    ("ar", ["الكلاب", "والكلاب", "فالكلاب"]),                        # 'and', 'so' before the article
    ("hu", ["határ", "határon"]),
    ("de", ["Hund", "Hunde", "Hunden"]),
]


@pytest.mark.parametrize("language, forms", INFLECTIONS, ids=[f"{lang}-{forms[0]}" for lang, forms in INFLECTIONS])
def test_inflections_meet_in_their_language(language, forms):
    analyse = analysis.language(language)
    assert len({analysis.tokens(analyse, form) for form in forms}) == 1


def test_words_of_other_languages_are_only_folded_in_the_text_field():
    assert analysis.tokens(analysis.folded(), "Kuźnicy PSAMI Собаками") == ("kuznicy", "psami", "собаками")


@pytest.mark.parametrize("language, sentence, place", [
    ("pl", "Zatrzymali nas w Kuźnicy w nocy.", "kuznica"),
    ("ru", "Нас задержали в Кузнице ночью.", "kuznica"),
    ("lt", "Mus laikė Medininkuose du mėnesius.", "medininkai"),
    ("lt", "Migrantai Kybartų centre skundėsi.", "kybartai"),
])
def test_inflected_place_names_resolve_to_the_gazetteer_place(language, sentence, place):
    assert place in {c.value for c in VOCABULARY.found_in(sentence, language) if c.kind == PLACE}


def test_a_place_needs_its_capital_where_the_script_has_one():
    assert "bug" not in {c.value for c in VOCABULARY.found_in("there was a bug in the tent", "en")
                         if c.kind == PLACE}


TERMS = sorted({(abuse["id"], language, term) for abuse in BOOK.abuse_types.values()
                for language, terms in abuse.get("terms", {}).items() for term in terms})
FILLER = st.lists(st.sampled_from(["and", "then", "i", "we", "night", "forest", "ночью", "w", "nocy", "و"]),
                  max_size=6).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(TERMS), FILLER, FILLER)
def test_a_statement_with_a_term_is_found_by_that_terms_concept(term, before, after):
    """The concept field holds what the query expansion asks for: any codebook term, in a statement
    of its language, puts the term's concept in the field; and a query naming the concept (its label
    of up to MAX_WORDS words, or the term itself, in any language the archive holds) expands to that
    concept's term."""
    value, language, words = term
    statement = f"{before} {words} {after}".strip()
    found = VOCABULARY.found_in(statement, language)
    assert (ABUSE_TYPE, value) in {(c.kind, c.value) for c in found}
    label = BOOK.abuse_types[value]["label"]
    for query in (words, label) if len(label.split()) <= concepts.MAX_WORDS else (words,):
        named = VOCABULARY.lookup(query, analysis.LANGUAGES)
        assert any(c.value == value for c in named)
        assert {f"{ABUSE_TYPE}:{value}"} <= {c.term for c in named}


@settings(max_examples=200, deadline=None)
@given(text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)
       | st.lists(st.sampled_from([form for _, forms in INFLECTIONS for form in forms] + [" ", ", ", "\u0301", "-"]),
                  max_size=12).map("".join),
       name=st.sampled_from([analysis.FOLDED, *analysis.LANGUAGES]))
def test_reading_a_statement_gives_the_analyzers_words(text, name):
    expected = [(t.text, t.startchar, t.endchar) for t in analysis.by_name(name)(text, chars=True)]
    reading = analysis.read(name, text)
    assert [(word, reading.start(i), reading.end(i)) for i, word in enumerate(reading.words)] == expected


def test_a_dictionary_is_built_once_whole_and_read_back_by_the_next_process(tmp_path):
    """The Polish and Ukrainian dictionaries are kept as tries in a cache: written whole (never half a
    file for a process starting meanwhile), and what is read back lemmatises as what was built."""
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy

    def lemmas():
        lemmatizer = Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=analysis._cached_tries(tmp_path)))
        return [lemmatizer.lemmatize(word, lang="uk") for word in ("собаками", "кордону", "солдати")]

    built = lemmas()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["uk.dic"]
    assert lemmas() == built == ["собака", "кордон", "солдат"]


def test_an_index_with_an_older_arabic_reduction_is_outdated():
    """The filters are pickled into an index's schema: one from before 'والكلاب' met 'الكلاب' (no
    version) differs from today's, so `archive check` and the searcher ask for a rebuild."""
    from search_index import schema
    built = schema.build()
    older = analysis.MorphologyFilter("ar")
    older.__setstate__({"code": "ar"})  # as unpickled from an index written before versions
    assert older != analysis.MorphologyFilter("ar")
    assert analysis.MorphologyFilter("ru") == analysis.MorphologyFilter("ru")
    field = analysis.field_of("ar")
    built[field].analyzer = analysis.RegexTokenizer(analysis.WORD) | older
    assert field in schema.outdated(built)


def test_where_no_dictionary_can_be_kept_the_lemmas_are_read_as_before(tmp_path, monkeypatch):
    """A cache that cannot be written (a file where its folder should be) is not used: simplemma's own
    dictionaries are read instead, and the lemmas are the same."""
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("")
    assert analysis._can_keep(tmp_path / "tries") and not analysis._can_keep(blocked / "tries")
    tries = analysis._cached_tries
    monkeypatch.setattr(analysis, "_cached_tries", lambda: tries(blocked / "tries"))
    analysis._lemmatizer.cache_clear()
    try:
        fallback = analysis._lemmatizer()
        assert [fallback.lemmatize(word, lang="uk") for word in ("собаками", "кордону")] == ["собака", "кордон"]
        assert not list(tmp_path.rglob("*.dic"))  # no trie was built: simplemma read its own
    finally:
        analysis._lemmatizer.cache_clear()
