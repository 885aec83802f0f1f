"""A search as its URL carries it: read from a query string or a form, and written back as links.

The search page, the statistics page, the exports and the testimony page's "Back to the results"
all read a search the same way: through SearchArgsSchema, with any parameter that cannot be read
named in `errors` and left out (a bad period still searches, and says so beside its field). The
`state` is the valid parameters as ordered (key, value) pairs: the canonical URL of the search.
"""
from urllib.parse import parse_qsl, urlencode

from flask import url_for
from marshmallow import EXCLUDE, ValidationError
from werkzeug.datastructures import MultiDict

from schemas.search import SearchArgsSchema
from search_index.schema import FACETS

SCALARS = ("q", "from", "to", "sort", "words", "per_page")  # in the canonical URL, in this order
MAX_PAIRS = 400  # a carried query string is read no further than this


class Search:
    """One search: `args` (loaded), `errors` ({parameter: [reason]}) and `state` ((key, value) pairs)."""

    def __init__(self, source):
        raw = {key: source.getlist(key) if key in FACETS else source.get(key)
               for key in source if key in FACETS or key in SCALARS or key == "page"}
        try:
            self.args, self.errors = SearchArgsSchema().load(raw, unknown=EXCLUDE), {}
        except ValidationError as err:
            kept = {key: value for key, value in raw.items() if key not in err.messages}
            self.args, self.errors = SearchArgsSchema().load(kept, unknown=EXCLUDE), err.messages
        self.state = [(key, raw[key]) for key in SCALARS if raw.get(key) and key not in self.errors]
        self.state += [(name, value) for name in FACETS if name not in self.errors
                       for value in dict.fromkeys(self.args[name])]
        self._prefix = None

    @classmethod
    def from_query_string(cls, text):
        """The search a query string holds (as the testimony page's `?search=` carries it)."""
        return cls(MultiDict(parse_qsl(text or "", keep_blank_values=False)[:MAX_PAIRS]))

    def query_string(self, with_page=False):
        pairs = self.state + ([("page", self.args["page"])] if with_page and self.args["page"] > 1 else [])
        return urlencode(pairs)

    def _adding(self, pair):
        """The link that adds `pair` to this search: the state's part of the URL made once a search."""
        if self._prefix is None:
            self._prefix = url_for("search.index") + "?" + (urlencode(self.state) + "&" if self.state else "")
        return self._prefix + urlencode((pair,))

    def url(self, **narrower):
        """The search page for this search, with parameters replaced (a facet's values narrowed to
        a cell's, rather than ticked twice, which would widen it)."""
        pairs = [pair for pair in self.state if pair[0] not in narrower]
        pairs += [(key, value) for key, value in narrower.items() if value]
        return url_for("search.index") + ("?" + urlencode(pairs) if pairs else "")

    def link(self, toggle=None, drop=None, page=None, **replace):
        """This search with one facet value toggled, a parameter dropped or replaced, or a page."""
        if toggle and not (drop or page or replace) and toggle not in self.state:
            return self._adding(toggle)  # each of a results page's ~260 facet values
        pairs = [pair for pair in self.state if pair != toggle and pair[0] not in replace and pair[0] != drop]
        if toggle and toggle not in self.state:
            pairs.append(toggle)
        pairs += [(key, value) for key, value in replace.items() if value]
        if page and page > 1:
            pairs.append(("page", page))
        return url_for("search.index") + ("?" + urlencode(pairs) if pairs else "")
