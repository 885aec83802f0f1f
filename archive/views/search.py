"""The search page: the whole state lives in the URL, every facet value and chip is a link."""
from urllib.parse import urlencode

from flask import Blueprint, render_template, request, url_for
from marshmallow import EXCLUDE, ValidationError

from archive import results, service
from archive.auth import requires, search_scope
from archive.web import get_db, get_searcher
from schemas.search import SearchArgsSchema, search_kwargs
from search_index.schema import FACETS
from search_index.snippets import segments

bp = Blueprint("search", __name__)
FACET_TITLES = {
    "abuse_type": "Abuse type", "perpetrator": "Perpetrator", "legal": "Legal provision", "place": "Place",
    "country": "Country", "year": "Year", "month": "Month", "nationality": "Witness nationality",
    "gender": "Witness gender", "minor": "Minor", "language": "Language", "confidentiality": "Confidentiality",
    "consent": "Consent", "status": "Coding status",
}
SCALARS = ("q", "from", "to", "sort", "per_page")


@bp.get("/")
@requires("search")
def index():
    raw = {key: request.args.getlist(key) if key in FACETS else request.args.get(key) for key in request.args}
    try:
        args, errors = SearchArgsSchema().load(raw, unknown=EXCLUDE), {}
    except ValidationError as err:
        # Show what was wrong and search without the bad parameters, rather than fail.
        errors = err.messages
        args = SearchArgsSchema().load({k: v for k, v in raw.items() if k not in errors}, unknown=EXCLUDE)
    state = _state(raw, args, errors)
    found = get_searcher().search(**search_kwargs(args), scope=search_scope())
    found = results.describe(get_db(), service.load_codebook(), found)
    pages = max((found["total"] + args["per_page"] - 1) // args["per_page"], 1)
    return render_template(
        "search/index.html", found=found, args=args, errors=errors, state=state, segments=segments,
        facets=_facets(found["facets"], state), chips=_chips(found["facets"], state),
        page=args["page"], pages=pages, link=lambda **changes: _link(state, **changes),
        titles=FACET_TITLES,
    ), 400 if errors else 200


def _state(raw, args, errors):
    """The valid parameters as ordered (key, value) pairs: the canonical URL of this search."""
    pairs = [(key, raw[key]) for key in SCALARS if raw.get(key) and key not in errors]
    pairs += [(name, value) for name in FACETS if name not in errors for value in dict.fromkeys(args[name])]
    return pairs


def _link(state, toggle=None, drop=None, page=None, **replace):
    """The URL of this search with one facet value toggled, a parameter dropped or replaced, a page."""
    pairs = [pair for pair in state if pair != toggle and pair[0] not in replace and pair[0] != drop]
    if toggle and toggle not in state:
        pairs.append(toggle)
    pairs += [(key, value) for key, value in replace.items() if value]
    if page and page > 1:
        pairs.append(("page", page))
    return url_for("search.index") + ("?" + urlencode(pairs) if pairs else "")


def _facets(facets, state):
    return [(name, [{**row, "url": _link(state, toggle=(name, row["value"])), "shown": _shown(name, row)}
                    for row in facets[name]])
            for name in FACETS if facets[name]]


def _shown(name, row):
    """A unit listed under its side needs no 'Poland: ' in front of it."""
    if name == "perpetrator" and row.get("depth"):
        return row["label"].split(": ", 1)[-1]
    return row["label"]


def _chips(facets, state):
    labels = {(name, row["value"]): row["label"] for name in FACETS for row in facets[name]}
    chips = []
    for key, value in state:
        if key in FACETS:
            chips.append({"title": FACET_TITLES[key], "label": labels.get((key, value), value),
                          "url": _link(state, toggle=(key, value))})
        elif key in ("q", "from", "to"):
            title = {"q": "Words", "from": "From", "to": "To"}[key]
            chips.append({"title": title, "label": value, "url": _link(state, drop=key)})
    return chips
