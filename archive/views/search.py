"""The search page: the whole state lives in the URL, every facet value and chip is a link."""
from flask import Blueprint, render_template, request, url_for
from flask_babel import lazy_gettext as _
from markupsafe import Markup, escape

from archive import double_coding, i18n, service
from archive.search import results
from archive.search.state import Search
from archive.security import access
from archive.security.auth import current_user, requires, search_scope
from archive.web import get_db, get_searcher
from schemas.search import search_kwargs
from search_index.schema import FACETS
from search_index.snippets import segments

bp = Blueprint("search", __name__)
CHIP_WORDS = 60  # characters of the query its chip shows; the search box holds it whole
# Translated when shown (lazy): the module is read before any request has a language.
FACET_TITLES = {
    "abuse_type": _("Abuse type"), "perpetrator": _("Perpetrator"), "legal": _("Legal provision"),
    "place": _("Place"), "country": _("Country"), "year": _("Year"), "month": _("Month"),
    "nationality": _("Witness nationality"), "gender": _("Witness gender"), "minor": _("Minor"),
    "language": _("Language"), "confidentiality": _("Confidentiality"), "incident": _("Incident"),
    "consent": _("Consent"), "status": _("Coding status"),
}


@bp.get("/")
@requires("search")
def index():
    search = Search(request.args)
    args = search.args
    found = get_searcher().search(**search_kwargs(args), scope=search_scope())
    book = service.load_codebook()
    found = results.describe(get_db(), book, found)
    for item in found.get("understood", ()):  # the index names a concept in English; the page, in the reader's
        if item["kind"] == "abuse_type":
            item["label"] = book.label("abuse_type", item["value"])
    pages = max((found["total"] + args["per_page"] - 1) // args["per_page"], 1)
    back = search.query_string(with_page=True)  # what a result's "Back to the results" returns to
    return render_template(
        "search/index.html", found=found, args=args, errors=search.errors, state=search.state,
        segments=segments, facets=_facets(found["facets"], search), chips=_chips(found["facets"], search),
        page=args["page"], pages=pages, link=search.link, titles=FACET_TITLES,
        exportable=_exportable(found["facets"].get("consent", [])),
        testimony_link=lambda reference: url_for("testimonies.show", reference=reference,
                                                 **({"search": back} if back else {})),
        queue=double_coding.queue(get_db(), current_user()) if access.can(current_user(), "code") else [],
    )


def _facets(facets, search):
    counted = {}  # a count as written and as read aloud, once a page: most of its ~250 counts repeat

    def count(n):
        if n not in counted:
            counted[n] = (i18n.number(n), i18n.catalogue().ungettext("testimony", "testimonies", n))
        return counted[n]

    return [(name, [{**row, "url": search.link(toggle=(name, row["value"])), "shown": _shown(name, row),
                     "count_shown": count(row["count"])}
                    for row in facets[name]])
            for name in FACETS if facets[name]]


@bp.app_template_filter("facet_values")
def facet_values(rows):
    """A facet's values as list items, each a link that ticks or unticks it. Written here rather than in
    a macro: a results page has ~250 of them, and a Jinja macro took 12 ms of the page's ~25 ms of CPU
    for them, this 4."""
    return Markup("".join(map(_facet_value, rows)))


def _facet_value(row):
    ticked = ' aria-checked="true" class="selected"' if row.get("selected") else ' aria-checked="false"'
    written, aloud = row["count_shown"]
    return (f'<li class="depth-{int(row.get("depth") or 0)}">'
            f'<a href="{escape(row["url"])}" role="checkbox"{ticked}>'
            f'<span class="box" aria-hidden="true"></span><span class="label" dir="auto">{escape(row["shown"])}</span> '
            f'<span class="count">{escape(written)}<span class="visually-hidden"> {escape(aloud)}</span></span></a></li>')


def _shown(name, row):
    """A unit listed under its side needs no 'Poland: ' in front of it."""
    if name == "perpetrator" and row.get("depth"):
        return row["label"].split(": ", 1)[-1]
    return row["label"]


def _exportable(consent_rows):
    """How many of the results may leave the archive (access.EXPORTABLE_CONSENTS), said before an export
    rather than found in an empty file. Each testimony has one consent, so the consent facet's counts
    add up to the results; with consent values ticked, the ticked ones do (the others count what
    ticking them would add)."""
    ticked = [row for row in consent_rows if row.get("selected")]
    return sum(row["count"] for row in ticked or consent_rows if row["value"] in access.EXPORTABLE_CONSENTS)


def _chips(facets, search):
    labels = {(name, row["value"]): row["label"] for name in FACETS for row in facets[name]}
    chips = []
    for key, value in search.state:
        if key in FACETS:
            chips.append({"title": FACET_TITLES[key], "label": labels.get((key, value), value),
                          "url": search.link(toggle=(key, value)), "facet": True})
        elif key in ("q", "from", "to"):
            title = {"q": _("Words"), "from": _("From"), "to": _("Until")}[key]
            chips.append({"title": title, "label": _chip_label(value), "url": search.link(drop=key), "facet": False})
    return chips


def _chip_label(words):
    """What a chip shows of the words searched: a query pasted by mistake (up to 1,000 characters and more)
    would make one chip a screen long, or wider than the page, and push the results out of sight."""
    return words if len(words) <= CHIP_WORDS else words[:CHIP_WORDS - 1].rstrip() + "…"
