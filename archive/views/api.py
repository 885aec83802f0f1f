"""The JSON API: search and read testimonies, record a witness's change of consent. Described at
/api/openapi.json (flask-smorest)."""
from dataclasses import asdict

from flask import current_app
from flask.views import MethodView
from flask_smorest import abort
from marshmallow import RAISE

from archive import consent, languages, service, store
from archive.coding import perpetrators
from archive.coding import suggestions as coding_suggestions
from archive.i18n import say
from archive.search import results
from archive.security.auth import current_user, requires, search_scope
from archive.views.api_answers import Blueprint, opened_testimony
from archive.web import get_db, get_searcher
from schemas.consent import ConsentChangedSchema, ConsentChangeSchema
from schemas.search import SearchArgsSchema, SearchResultsSchema, search_kwargs
from schemas.suggested import SuggestionsSchema
from schemas.testimony import TestimonySchema

bp = Blueprint("api", __name__, url_prefix="/api", description="Search the archive and read testimonies.")


@bp.route("/search")
class Search(MethodView):
    decorators = [requires("search")]

    @bp.etag  # a client polling a search gets 304 while its answer is unchanged
    @bp.arguments(SearchArgsSchema, location="query", unknown=RAISE)  # a misspelt filter is an error
    @bp.response(200, SearchResultsSchema)
    @bp.alt_response(401, description="Not logged in and no valid API token.")
    def get(self, args):
        """Search: the same parameters and answer as the search page.

        Facet counts are over the whole result set (all pages), each facet counted with every other
        facet's filters applied: OR within a facet, AND across facets.
        """
        found = get_searcher().search(**search_kwargs(args), scope=search_scope())
        return results.describe(get_db(), service.load_codebook(), found)


@bp.route("/testimonies/<path:reference>")
class Testimony(MethodView):
    decorators = [requires("search")]

    @bp.etag
    @bp.response(200, TestimonySchema)
    @bp.alt_response(401, description="Not logged in and no valid API token.")
    @bp.alt_response(404, description="No testimony with that reference that you may open.")
    def get(self, reference):
        """One testimony with its codes; the witness by pseudonym only."""
        testimony = opened_testimony(reference)
        book = service.load_codebook()
        testimony["codes"] = [results.describe_code(code, book) for code in testimony["codes"]]
        testimony["incident"] = results.describe_incident(testimony, book)
        return testimony


@bp.route("/testimonies/<path:reference>/suggestions")
class Suggestions(MethodView):
    decorators = [requires("code")]  # as the suggestions on the testimony's page

    @bp.response(200, SuggestionsSchema)
    @bp.alt_response(401, description="Not logged in and no valid API token.")
    @bp.alt_response(403, description="Your role may not code (coders, reviewers and admins may).")
    @bp.alt_response(404, description="No testimony with that reference that you may open.")
    def get(self, reference):
        """Suggested codes for a testimony's statement: abuse types, places, dates and perpetrators
        (side, and unit where the words name it), each with the sentence as evidence. For tools that
        feed statements in and want the archive's reading of them; nothing is coded."""
        testimony = opened_testimony(reference)
        book = service.load_codebook()
        text = testimony["text"]
        return {
            "reference": testimony["reference"], "language": languages.of(testimony),
            "suggestions": [asdict(s) for s in coding_suggestions.suggest(text, book, languages.of(testimony))],
            "perpetrators": [{**asdict(p), "unit": p.unit, "label": book.label("perpetrator", p.value)}
                             for p in perpetrators.find(text, book)],
        }


@bp.route("/testimonies/<path:reference>/consent")
class Consent(MethodView):
    decorators = [requires("change_consent")]

    @bp.arguments(ConsentChangeSchema)
    @bp.response(200, ConsentChangedSchema)
    @bp.alt_response(401, description="Not logged in and no valid API token.")
    @bp.alt_response(403, description="Your role may not change consent (reviewers and admins may).")
    @bp.alt_response(404, description="No testimony with that reference that you may open.")
    @bp.alt_response(422, description="A field is wrong: `errors.json` names it.")
    def post(self, change, reference):
        """Record the witness's change of consent (or withdrawal), with the day they decided and why.

        Effective at the next request everywhere: search results, facet counts and suggestions, exports,
        case files and the public view. `withdrawn` leaves the testimony open to reviewers only.
        """
        try:
            done = consent.change(current_app.config["DATA_DIR"], get_db(), reference, change, current_user())
        except store.NotFound:
            abort(404, message=say("no testimony %(reference)s", reference=reference))
        except consent.ConsentError as err:
            named = {"errors": {"json": {err.field: [err.message]}}} if err.field else {}
            abort(err.status, message=err.message, **named)
        return asdict(done)
