"""The agreement figures in the JSON API, as the agreement page gives them to a reviewer: percent agreement,
κ and α per abuse type and perpetrator side, over the double-coded testimonies they may open and are not
themselves coding blind (double_coding.units_visible_to), and those testimonies."""
from flask.views import MethodView

from archive import double_coding, service, store
from archive.double_coding import reliability
from archive.security.auth import current_user, requires
from archive.views.api_answers import NOT_LOGGED_IN, Blueprint
from archive.web import get_db
from schemas.agreement_read import AgreementSchema

bp = Blueprint("api_agreement", __name__, url_prefix="/api", description="Double coding: how far the coders agree.")


@bp.route("/agreement")
class Agreement(MethodView):
    decorators = [requires("review")]  # as the agreement page

    @bp.etag
    @bp.response(200, AgreementSchema)
    @bp.alt_response(401, description=NOT_LOGGED_IN)
    @bp.alt_response(403, description="Your role may not read the agreement figures (reviewers may).")
    def get(self):
        """How far the coders of double-coded testimonies agree, per abuse type and perpetrator side: n, percent
        agreement, Cohen's κ, Krippendorff's α with its bootstrap 95% interval, and a warning where the
        figures are too thin; with the double-coded testimonies, their coders and how far each is."""
        db = get_db()
        units = double_coding.units_visible_to(db, current_user())
        found = reliability.report(db, service.load_codebook(), units)
        return {**found, "rows": [{**row, "interval": row["interval"] and {"low": row["interval"].low,
                                                                           "high": row["interval"].high}}
                                  for row in found["rows"]],
                "testimonies": [{"reference": rows[0]["reference"], "coders": [a["coder"] for a in rows],
                                 "submitted": sum(bool(a["submitted_at"]) for a in rows),
                                 "settled": rows[0]["settled_at"]}
                                for rows in store.assignments_by_testimony(db, units).values()]}
