"""A search's links (archive/search/state.py): every facet value and chip of the page is one."""
from urllib.parse import parse_qsl, urlsplit

from flask import Flask
from flask_babel import Babel
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from archive.search.state import Search

app = Flask(__name__)
app.add_url_rule("/", "search.index", lambda: "")
Babel(app)  # a value the schema refuses is said in the request's language

values = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12)
facets = st.sampled_from(["abuse_type", "perpetrator", "place", "language", "year"])


def _pairs(url):
    return parse_qsl(urlsplit(url).query)


@given(st.lists(st.tuples(facets, values), max_size=5), st.text(max_size=10), st.tuples(facets, values))
def test_adding_a_value_keeps_the_search_and_adds_it_last(state, words, added):
    source = MultiDict([("q", words), *state])
    with app.test_request_context():
        search = Search(source)
        link = search.link(toggle=added)
        if added in search.state:  # ticked already: its link takes it away
            assert added not in _pairs(link)
            assert len(_pairs(link)) == len(search.state) - 1
        else:
            assert _pairs(link) == [(key, str(value)) for key, value in [*search.state, added]]
        assert search.link(toggle=added) == link  # the state's part, made once, is not changed by a link


def test_a_value_toggled_twice_is_the_search_again():
    with app.test_request_context():
        search = Search(MultiDict([("q", "dogs"), ("place", "kuznica")]))
        assert _pairs(search.link(toggle=("place", "kuznica"))) == [("q", "dogs")]
        assert _pairs(search.link(toggle=("language", "pl"))) == [("q", "dogs"), ("place", "kuznica"),
                                                                   ("language", "pl")]
        assert search.link(page=2).endswith("page=2")
