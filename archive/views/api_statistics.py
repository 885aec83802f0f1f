"""The statistics of a search in the JSON API: the statistics page's counts (testimonies, incidents and people,
in total and per perpetrator side, abuse type, place and month), counted the one way every reader counts
(archive/incidents/counts.py `summary`, as the page, the PDF and the JSON export), over what the search finds
within the reader's scope."""
from flask.views import MethodView
from marshmallow import RAISE

from archive import service
from archive.export import selection
from archive.incidents import counts
from archive.security.auth import requires, search_scope
from archive.views.api_answers import NOT_LOGGED_IN, Blueprint
from archive.web import get_db, get_searcher
from schemas.incident_read import CountsSchema
from schemas.search import SearchArgsSchema

bp = Blueprint("api_statistics", __name__, url_prefix="/api", description="The statistics of a search.")


@bp.route("/statistics")
class Statistics(MethodView):
    decorators = [requires("search")]

    @bp.etag
    @bp.arguments(SearchArgsSchema, location="query", unknown=RAISE)  # the search's own parameters
    @bp.response(200, CountsSchema)
    @bp.alt_response(401, description=NOT_LOGGED_IN)
    def get(self, args):
        """The statistics page's counts for a search (`GET /api/search`'s parameters; `sort`, `page` and
        `per_page` change nothing): every testimony it finds that you may open, and the incidents they are
        sources of with their people, in total and per side, abuse type, place and month."""
        references = selection.found_references(get_searcher(), search_scope(), args)
        return counts.summary(get_db(), service.load_codebook(), references)
