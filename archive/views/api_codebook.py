"""The JSON API's codebook: what every code, filter and suggestion names, in one document a tool can keep
and poll cheaply (ETag: If-None-Match answers 304 while it is unchanged)."""
from flask.views import MethodView

from archive import service
from archive.codebook import browser
from archive.security.auth import requires
from archive.views.api_answers import Blueprint
from schemas.codebook_read import CodebookSchema

bp = Blueprint("api_codebook", __name__, url_prefix="/api",
               description="The codebook: abuse types, legal provisions, perpetrators, places.")


@bp.route("/codebook")
class Codebook(MethodView):
    decorators = [requires("search")]  # as the codebook pages

    @bp.etag
    @bp.response(200, CodebookSchema)
    @bp.alt_response(401, description="Not logged in and no valid API token.")
    def get(self):
        """The codebook: the abuse types as a tree (label and definition in your language, the terms that
        suggest each in every language, its legal provisions), the perpetrators by side, and the places with
        their spellings and coordinates. How many codes name each: `GET /api/statistics`."""
        return browser.as_document(service.load_codebook())
