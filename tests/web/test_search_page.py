"""Searching as a user does: what a query finds and how it ranks (read from the API's answer, which
the page shows), and the search page itself: facet links, chips and every other link keep the state in
the URL, hostile input never fails, a statement's words are escaped and only the matched ones marked.

Runs on the same two archives as test_search_api.py (built again for this module).
"""
import html
import re
from collections import Counter
from typing import NamedTuple
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import escape

from archive.views.search import facet_values
from tests.conftest import logged_in_client
from tests.web.test_search_api import (
    CURATED,
    HOSTILE,
    PARAMS,
    QUERIES,
    SYNTHETIC_STATUSES,
    VALUES,
    XSS,
    build_archive,
    references,
    search,
    varied_statements,
)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    root = tmp_path_factory.mktemp("synthetic") / "archive-data"
    return logged_in_client(build_archive(root, list(varied_statements()), SYNTHETIC_STATUSES))


@pytest.fixture(scope="module")
def curated(tmp_path_factory):
    return logged_in_client(build_archive(tmp_path_factory.mktemp("curated") / "archive-data", CURATED))


# --- Reading the page ------------------------------------------------------------------------


class Page:
    """What a reader of the search page sees, read with the template's own markup."""

    FACET = re.compile(r'<section class="facet" aria-labelledby="facet-(\w+)">(.*?)</section>', re.S)
    VALUE = re.compile(r'<a href="([^"]*)" role="checkbox" aria-checked="(true|false)".*?'
                       r'<span class="label" dir="auto">(.*?)</span> <span class="count">(\d+)<span', re.S)
    CHIP = re.compile(r'<li><a href="([^"]*)" aria-label="Remove ([^"]*)">')

    def __init__(self, response):
        self.status = response.status_code
        self.body = response.get_data(as_text=True)
        total = re.search(r'class="total"[^>]*><strong>(\d+)</strong>', self.body)
        self.total = int(total.group(1)) if total else None
        self.facets = {name: [FacetValue(html.unescape(url), checked == "true", html.unescape(label), int(count))
                              for url, checked, label, count in self.VALUE.findall(section)]
                       for name, section in self.FACET.findall(self.body)}
        chips = re.search(r'<ul class="chips".*?</ul>', self.body, re.S)
        self.chips = [(html.unescape(url), html.unescape(label))
                      for url, label in self.CHIP.findall(chips.group() if chips else "")]
        self.links = [html.unescape(url) for url in re.findall(r'href="([^"]*)"', self.body)]
        self.marks = [html.unescape(text) for text in re.findall(r"<mark>(.*?)</mark>", self.body, re.S)]
        self.references = re.findall(r'<span class="reference">(.*?)</span>', self.body)
        self.errors = re.findall(r"<li><strong>(.*?)</strong>: ", self.body)


class FacetValue(NamedTuple):
    url: str
    checked: bool
    label: str
    count: int


def get(client, url):
    page = Page(client.get(url))
    assert page.status == 200, page.body[:2000]
    return page


def pairs(url):
    return Counter(parse_qsl(urlsplit(url).query, keep_blank_values=True))


# --- Search behaviour, read from the API's answer (the page shows the same) ------------------

STATEMENTS = {statement["reference"]: statement for statement in CURATED}
KUZNICA = {"K-1", "K-2", "K-3", "K-4"}
PEPPER = {"P-EN", "P-PL", "P-RU", "P-CODE"}


class TestSearchBehaviour:
    @pytest.mark.parametrize("query", ["Kuznitsa", "Kuźnica", "Кузница", "KUZNICA", "kuźnicy"])
    def test_every_spelling_of_a_place_finds_the_same_testimonies(self, curated, query):
        found = search(curated, q=query)
        assert set(references(found)) == KUZNICA
        assert [(u["kind"], u["value"], u["label"]) for u in found["understood"]] == [("place", "kuznica", "Kuźnica")]
        coded = next(hit for hit in found["results"] if hit["reference"] == "K-4")  # coded there, not written
        assert [code["value"] for code in coded["matched_codes"]] == ["kuznica"]

    @pytest.mark.parametrize("query", ["pepper spray", "gaz pieprzowy", "gazem pieprzowym", "перцовый газ"])
    def test_pepper_spray_in_any_language_finds_every_statement_written_or_coded_so(self, curated, query):
        found = search(curated, q=query)
        assert set(references(found)) == PEPPER
        assert {u["value"] for u in found["understood"]} == {"pepper_spray"}

    def test_a_code_matches_where_the_words_differ(self, curated):
        found = search(curated, q="separated from children")
        matched = {hit["reference"]: [c["value"] for c in hit["matched_codes"]] for hit in found["results"]
                   if hit["all_words"]}
        assert matched == {"F-CODE": ["family_separation"], "F-BOTH": ["family_separation"], "F-WORDS": []}

    @pytest.mark.parametrize("query", [
        "separated from children", "Kuznitsa", "Kuznica",
        pytest.param("Кузница"),
    ])
    def test_statements_matching_both_words_and_codes_rank_first(self, curated, query):
        found = search(curated, q=query)
        both = [bool(hit["matched_codes"] and hit["snippet"]["matches"]) for hit in found["results"]]
        assert any(both) and both == sorted(both, reverse=True), list(zip(references(found), both))

    @pytest.mark.parametrize("query", ["hid", "hidden", "hiding", "hide"])
    def test_english_inflections_meet(self, curated, query):
        assert set(references(search(curated, q=query))) == {"H-1", "H-2", "H-3"}

    @pytest.mark.parametrize("query", ["beaten", "beat", "beating"])
    def test_beaten_beat_beating(self, curated, query):
        assert {"B-1", "B-2", "B-3"} <= set(references(search(curated, q=query)))

    @pytest.mark.parametrize("query, expected", [
        ("forest AND wire", set()), ("forest OR wire", {"K-1", "K-3", "K-4"}),
        ("forest NOT village", {"K-4"}),
        ("forest NOT Kuznica", set()),  # NOT a place excludes every spelling of it, and its code
        ('"put my son"', {"F-CODE"}), ('"son my put"', set()), ("neighb*", {"F-WORDS"}),
        ("title:X-1", {"X-1"}), ("(barn OR boat) AND NOT smugglers", {"H-1"}), ("barn NOT hidden", set()),
    ])
    def test_query_language(self, curated, query, expected):
        found = search(curated, q=query)
        assert set(references(found)) == expected and found["reinterpreted"] is False

    def test_plain_words_all_come_first_then_some(self, curated):
        found = search(curated, q="forest village")
        assert found["mode"] == "natural" and found["words"] == 2
        assert [h["reference"] for h in found["results"] if h["all_words"]] == ["K-3"]
        assert found["results"][0]["reference"] == "K-3" and found["total_all_words"] == 1
        some = [h for h in found["results"] if not h["all_words"]]
        assert some and all(h["words_matched"] == 1 for h in some)

    def test_a_query_with_operators_is_literal(self, curated):
        found = search(curated, q="forest AND village")
        assert found["mode"] == "literal"
        assert [h["reference"] for h in found["results"]] == ["K-3"]

    @pytest.mark.parametrize("query", [
        pytest.param('"unbalanced'),
        pytest.param("(dogs OR"),
        pytest.param("AND"),
        "NOT OR x", "colour:red",
    ])
    def test_an_unreadable_query_is_searched_as_words_and_says_so(self, curated, query):
        assert search(curated, q=query)["reinterpreted"] is True

    def test_a_word_typed_many_times_is_understood_once(self, curated):
        found = search(curated, q=" ".join(["Kuznitsa"] * 40))
        assert [(u["text"], u["value"]) for u in found["understood"]] == [("Kuznitsa", "kuznica")]

    def test_a_query_read_as_words_is_not_also_said_to_be_taken_as_written(self, curated):
        body = curated.get("/?q=%22").get_data(as_text=True)
        assert "could not be read as query language" in body and "the query was taken as written" not in body

    def test_the_chip_of_a_long_query_shows_its_start_and_the_box_keeps_it_whole(self, curated):
        query = "forest " + "x" * 1000
        page = get(curated, "/?" + urlencode({"q": query}))
        label = page.chips[0][1]
        assert label.startswith("Words: forest x") and label.endswith("…") and len(label) < 80
        assert f'value="{query}"' in page.body
        nothing = get(curated, "/?" + urlencode({"q": "zzqx" * 300})).body  # and nothing found: said briefly
        said = re.search(r"<p>No testimony matches “<span dir=\"auto\">(.*?)</span>”", nothing).group(1)
        assert said.startswith("zzqxzzqx") and said.endswith("…") and len(said) <= 80

    def test_an_unreadable_query_still_finds_its_words(self, curated):
        found = search(curated, q="colour:forest")
        assert found["reinterpreted"] is True and set(references(found)) == {"K-3", "K-4"}

    def test_no_results_suggests_a_correction_from_the_index(self, curated):
        found = search(curated, q="kuznicza")
        assert found["total"] == 0 and found["suggestion"] == "kuznica"
        assert set(references(search(curated, q=found["suggestion"]))) == KUZNICA

    @pytest.mark.parametrize("period, expected", [
        ({"from": "2021-11", "to": "2021-11"}, {"D-YEAR", "D-NOV", "D-RANGE", "D-APPROX"}),
        ({"from": "2021-12"}, {"D-YEAR", "D-RANGE", "D-APPROX", "D-DEC"}),
        ({"to": "2021-09"}, {"D-YEAR", "D-SEP"}),
        ({"from": "2021-10-31", "to": "2021-10-31"}, {"D-YEAR", "D-OCT31", "D-RANGE"}),
        ({"from": "2021", "to": "2021"}, {"D-YEAR", "D-SEP", "D-OCT31", "D-NOV", "D-RANGE", "D-APPROX", "D-DEC"}),
    ])
    def test_a_period_keeps_incidents_that_may_fall_in_it(self, curated, period, expected):
        found = search(curated, nationality="ER", per_page=100, **period)
        assert set(references(found)) == expected and found["total"] == len(expected)

    @pytest.mark.parametrize("sort, expected", [
        ("oldest", ["D-YEAR", "D-SEP", "D-RANGE", "D-OCT31", "D-NOV", "D-APPROX", "D-DEC", "D-NONE"]),
        ("newest", ["D-DEC", "D-APPROX", "D-NOV", "D-OCT31", "D-RANGE", "D-SEP", "D-YEAR", "D-NONE"]),
        ("reference", ["D-APPROX", "D-DEC", "D-NONE", "D-NOV", "D-OCT31", "D-RANGE", "D-SEP", "D-YEAR"]),
    ])
    def test_sort_by_incident_date(self, curated, sort, expected):
        assert references(search(curated, nationality="ER", sort=sort)) == expected

    @pytest.mark.parametrize("sort", ["newest", "oldest"])
    def test_sort_by_date_over_a_larger_archive(self, synthetic, sort):
        found = search(synthetic, q="dogs", sort=sort, per_page=100)
        starts = [hit["incident_start"] for hit in found["results"]]
        dated = [start for start in starts if start]
        assert starts == dated + [None] * (len(starts) - len(dated))  # undated last
        assert dated == sorted(dated, reverse=sort == "newest") and len(dated) > 10

    @pytest.mark.parametrize("params", [
        {}, {"q": "soldiers"}, {"q": "dogs", "sort": "newest"}, {"abuse_type": "physical_violence", "sort": "oldest"},
        *[pytest.param({"q": query}, id=f"q={query}") for query in ("dogs", "river")],  # words and codes
    ])
    def test_pages_follow_each_other_and_the_total_stays(self, synthetic, params):
        whole = search(synthetic, per_page=100, **params)
        pages = [search(synthetic, per_page=10, page=page, **params) for page in range(1, 11)]
        assert [ref for page in pages for ref in references(page)] == references(whole)
        assert {page["total"] for page in pages} == {whole["total"]} and whole["total"] > 30

    def test_a_page_past_the_end_is_empty(self, curated):
        found = search(curated, page=500, per_page=100)
        assert found["results"] == [] and found["total"] == len(CURATED)


# --- Facet values link to as many testimonies as they count ----------------------------------


class TestFacetLinks:
    @pytest.mark.parametrize("start", [
        "/?per_page=1",
        "/?q=dogs&per_page=1",
        "/?perpetrator=BY&from=2021-06&to=2022-03&per_page=1",
        "/?abuse_type=physical_violence&nationality=SY&nationality=IQ&minor=no&per_page=1",
    ])
    def test_every_unselected_value_links_to_as_many_testimonies_as_its_count(self, synthetic, start):
        page = get(synthetic, start)
        followed = 0
        for name, values in page.facets.items():
            # Ticking a second value of a facet that has a selection ORs it with the first: the new total
            # is then the union, not the value's count. Only facets with nothing selected are checked.
            if any(value.checked for value in values):
                continue
            for value in values:
                assert get(synthetic, value.url).total == value.count, (name, value)
                followed += 1
        assert followed > 20 and set(page.facets) >= {"abuse_type", "perpetrator", "year", "nationality"}

    def test_a_selected_value_links_back_to_the_search_without_it(self, synthetic):
        page = get(synthetic, "/?perpetrator=BY&language=en&per_page=1")
        ticked = [value for value in page.facets["perpetrator"] if value.checked]
        assert [value.label for value in ticked] == ["Belarus"]
        assert pairs(ticked[0].url) == Counter({("language", "en"): 1, ("per_page", "1"): 1})
        assert get(synthetic, ticked[0].url).total == get(synthetic, "/?language=en").total


# --- Chips and links keep the state ----------------------------------------------------------

STATE = [("q", "forest"), ("from", "2021"), ("to", "2023-06"), ("sort", "newest"), ("per_page", "2"),
         ("perpetrator", "BY"), ("perpetrator", "PL"), ("language", "en")]


def without_csrf(body):
    """A page without its CSRF tokens, which are signed with a timestamp and so differ each time."""
    return re.sub(r'(name="csrf[-_]token" (?:content|value)=")[^"]+', r"\1", body)


class TestState:
    def test_each_chip_removes_exactly_its_filter(self, synthetic):
        page = get(synthetic, "/?" + urlencode(STATE))
        removed = []
        for url, label in page.chips:
            gone = Counter(STATE) - pairs(url)
            assert not pairs(url) - Counter(STATE), f"chip {label} adds to the search"
            assert sum(gone.values()) == 1, f"chip {label} removes {gone}"
            removed += gone
            assert len(get(synthetic, url).chips) == len(page.chips) - 1
        assert sorted(removed) == sorted(pair for pair in STATE if pair[0] not in ("sort", "per_page"))
        assert [label for _, label in page.chips][:3] == ["Words: forest", "From: 2021", "Until: 2023-06"]

    def test_a_skip_link_leads_past_the_facets_to_the_results(self, synthetic):
        body = get(synthetic, "/?q=forest").body
        assert body.index('<a class="skip-link" href="#results-total">Skip to the results</a>') < body.index("facet-")
        assert '<h2 class="total" id="results-total" tabindex="-1"' in body  # focusable, so the focus moves there
        assert "Skip to the results" not in synthetic.get("/codebook").get_data(as_text=True)

    def test_refine_counts_only_the_facet_filters_folded_inside_it(self, synthetic):
        def refine(url):
            return re.search(r"<summary>Refine(.*?)</summary>", get(synthetic, url).body, re.S).group(1)
        assert refine("/?q=forest&from=2021&to=2023-06") == ""
        assert "(2 in use)" in refine("/?" + urlencode([("q", "forest"), ("from", "2021"), ("perpetrator", "PL"),
                                                        ("perpetrator", "BY")]))

    def test_every_link_changes_one_thing_and_keeps_the_rest(self, synthetic):
        page = get(synthetic, "/?" + urlencode([*STATE, ("page", "2")]))
        searches = [url for url in page.links if urlsplit(url).path == "/" and urlsplit(url).query]
        assert len(searches) > 30
        for url in searches:
            target = pairs(url)
            pages = {value for key, value in target if key == "page"}
            search = Counter({pair: n for pair, n in target.items() if pair[0] != "page"})
            changed = {key for key, _ in (search - Counter(STATE)) + (Counter(STATE) - search)}
            # Either one parameter changes (and the new search starts at page 1), or only the page does.
            assert (len(changed) == 1 and not pages) or (not changed and pages in (set(), {"3"})), (url, changed)
        assert {"/", "/?" + urlencode([*STATE, ("page", 3)])} <= set(page.links)

    def test_the_form_submits_the_same_search(self, synthetic):
        page = get(synthetic, "/?" + urlencode(STATE))
        form = re.search(r'<form class="search".*?</form>', page.body, re.S).group()
        fields = [(name, html.unescape(value)) for name, value in
                  re.findall(r'<input[^>]*?name="([^"]+)" value="([^"]*)"', form)]
        fields += [("sort", value) for value in re.findall(r'<option value="(\w+)" selected>', form)]
        assert Counter(fields) == Counter(STATE)
        assert get(synthetic, "/?" + urlencode(fields)).total == page.total

    def test_bookmarked_url_gives_the_same_page(self, synthetic):
        url = "/?" + urlencode(STATE)
        first, again = get(synthetic, url), get(synthetic, url)
        assert without_csrf(first.body) == without_csrf(again.body) and first.total > 0

    def test_pages_link_to_each_other(self, synthetic):
        first = get(synthetic, "/?sort=oldest&per_page=5")
        assert "Page 1 of" in first.body
        following = get(synthetic, next(url for url in first.links if ("page", "2") in pairs(url)))
        assert "Page 2 of" in following.body and following.total == first.total
        assert not set(following.references) & set(first.references)
        assert any(("page", "3") in pairs(url) for url in following.links)
        assert any(pairs(url) == pairs("/?sort=oldest&per_page=5") for url in following.links)  # back to 1


# --- Notices: reinterpreted, understood, did you mean --------------------------------------------

REINTERPRETED = "could not be read as query language"


class TestNotices:
    @pytest.mark.parametrize("query", [
        pytest.param('"unbalanced'),
        pytest.param("(dogs OR"),
        "NOT OR x", "colour:red",
    ])
    def test_an_unreadable_query_is_announced(self, curated, query):
        page = get(curated, "/?" + urlencode({"q": query}))
        assert REINTERPRETED in page.body

    def test_each_result_says_which_code_matched(self, curated):
        page = get(curated, "/?" + urlencode({"q": "separated from children"}))
        above = page.body.split('class="some-words"')[0]  # those matching all the words
        hits = dict(re.findall(r'<span class="reference">(.*?)</span>(.*?)</article>', above, re.S))
        assert set(hits) == {"F-CODE", "F-WORDS", "F-BOTH"}
        for reference in ("F-CODE", "F-BOTH"):
            assert '<p class="matched">Matched code: <strong>Family separation</strong></p>' in hits[reference]
        assert 'class="matched"' not in hits["F-WORDS"]

    def test_a_readable_query_is_not(self, curated):
        assert REINTERPRETED not in get(curated, "/?q=forest%20OR%20wire").body

    @pytest.mark.parametrize("query", ["Kuznitsa", "Кузница", "kuźnica"])
    def test_the_page_says_which_place_it_understood(self, curated, query):
        page = get(curated, "/?" + urlencode({"q": query}))
        assert re.search(r"= place <strong dir=\"auto\">Kuźnica</strong>", page.body)
        assert sorted(page.references) == ["K-1", "K-2", "K-3", "K-4"]

    def test_no_results_offers_a_correction_that_keeps_the_search(self, curated):
        page = get(curated, "/?q=kuznicza&sort=newest&language=ru")
        assert page.total == 0 and "Did you mean" in page.body
        suggestion = next(url for url in page.links if ("q", "kuznica") in pairs(url))
        assert pairs(suggestion) == Counter({("q", "kuznica"): 1, ("sort", "newest"): 1, ("language", "ru"): 1})
        assert get(curated, suggestion).references == ["K-2"]

    def test_bad_parameters_are_named_and_left_out(self, curated):
        response = curated.get("/?q=forest&from=2021-02-30&sort=best&page=0")
        page = Page(response)
        # The search still runs; the bad period is said beside its field, the others above the results.
        assert page.status == 200 and sorted(page.errors) == ["page", "sort"]
        assert 'id="period-from-error"' in page.body and 'aria-invalid="true"' in page.body
        assert page.total == get(curated, "/?q=forest").total


# --- Snippets: plain text with offsets in the API, escaped and marked on the page ------------

class TestSnippets:
    @pytest.mark.parametrize("word", ["laughed", "fence", "wall", "shouted", "river", "alert", "onerror", "svg",
                                      "script"])
    def test_snippet_is_plain_text_and_its_offsets_slice_the_matched_words(self, curated, word):
        found = search(curated, q=word)
        hit = next(hit for hit in found["results"] if hit["reference"] == "X-1")
        snippet = hit["snippet"]
        assert snippet["text"].strip("… ") in STATEMENTS["X-1"]["text"]  # cut from the statement as written
        assert any(markup in snippet["text"] for markup in XSS)  # markup as plain text: the client escapes it
        assert "<mark>" not in snippet["text"] and "&lt;" not in snippet["text"]
        assert snippet["matches"] and all(snippet["text"][s:e].lower() == word for s, e in snippet["matches"])
        assert len(snippet["matches"]) == snippet["text"].lower().count(word)
        assert hit["title"] == " ".join(XSS)

    def test_a_phrase_is_marked_whole_and_stems_are_marked_as_written(self, curated):
        found = search(curated, q='"pepper spray" OR hidden')
        for hit in found["results"]:
            marked = [hit["snippet"]["text"][s:e] for s, e in hit["snippet"]["matches"]]
            assert marked == {"P-EN": ["pepper spray"], "P-PL": ["gazem pieprzowym"], "P-RU": ["перцовый газ"],
                              "P-CODE": [], "H-1": ["hid"], "H-2": ["hidden"], "H-3": ["Hiding"]}[hit["reference"]]


class TestEscaping:
    @pytest.mark.parametrize("word", ["laughed", "fence", "wall", "shouted", "river", "alert", "onerror", "script"])
    def test_markup_in_a_statement_is_shown_as_text_and_only_matches_are_marked(self, curated, word):
        page = get(curated, "/?" + urlencode({"q": word}))
        assert "X-1" in page.references
        for markup in XSS:
            assert markup not in page.body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.body  # the title, escaped
        assert page.marks and all(mark.lower() == word for mark in page.marks)

    def test_a_phrase_is_marked_whole(self, curated):
        page = get(curated, "/?" + urlencode({"q": '"pepper spray"'}))
        assert "<mark>pepper spray</mark>" in page.body and "<mark>pepper</mark>" not in page.body

    @settings(HOSTILE, max_examples=150)
    @given(query=st.lists(st.sampled_from([*XSS, "<b>", "</p>", "&amp;", "<mark>", "'", '"', "laughed", "fence"]),
                          min_size=1, max_size=6).map(" ".join))
    def test_markup_in_a_query_is_escaped_wherever_it_is_echoed(self, curated, query):
        body = Page(curated.get("/?" + urlencode({"q": query, "from": "2021"}))).body
        body = body.replace('<script src="/static/search.js" defer></script>', "")  # the page's own
        for tag in ("<script", "<img", "<svg", "<b>", "<mark><mark>"):
            assert tag not in body

    @pytest.mark.parametrize("markup", XSS)
    def test_a_facet_value_written_by_a_person_is_shown_as_text(self, markup):
        # A place or an incident's title is typed by someone; the facet's list item escapes it and its link.
        item = facet_values([{"url": f"/?place={markup}", "shown": markup, "count_shown": ("3", markup),
                              "depth": 1, "selected": True}])
        assert markup not in item and escape(markup) in item
        assert item.startswith('<li class="depth-1"><a href="/?place=') and 'aria-checked="true"' in item


# --- Hostile input: never a server error -------------------------------------------------------

def assert_page_answers(response, sent):
    body = response.get_data(as_text=True)
    assert response.status_code in (200, 400), body[:500]
    assert "Traceback" not in body and response.mimetype == "text/html"
    page = Page(response)
    assert page.total is not None  # the search still ran
    if response.status_code == 400:
        assert page.errors and set(page.errors) <= set(sent)


class TestHostileInput:
    @settings(HOSTILE, max_examples=300)
    @given(query=QUERIES)
    def test_any_query(self, curated, query):
        assert_page_answers(curated.get("/", query_string={"q": query}), {"q"})

    @settings(HOSTILE, max_examples=400)
    @given(params=st.lists(st.tuples(st.sampled_from(PARAMS) | st.text(max_size=10), VALUES), max_size=8))
    def test_any_parameters(self, curated, params):
        assert_page_answers(curated.get("/", query_string=params), {name for name, _ in params})

    @settings(HOSTILE, max_examples=150)
    @given(raw=st.binary(max_size=120), name=st.sampled_from(["q", "to", "sort", "perpetrator", "per_page"]))
    def test_any_bytes_percent_encoded(self, curated, raw, name):
        assert_page_answers(curated.get(f"/?{name}=" + "".join(f"%{byte:02X}" for byte in raw)), {name})

    @pytest.mark.parametrize("bound", ["9999~", "9999-12-31~"])
    def test_a_period_at_the_end_of_the_calendar_is_named(self, curated, bound):
        assert_page_answers(curated.get("/", query_string={"to": bound}), {"to"})
