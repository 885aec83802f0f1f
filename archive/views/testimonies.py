"""One testimony, in full: the statement, the interview, the witness by pseudonym, the codes."""
from flask import Blueprint, render_template

from archive import results, service, store
from archive.web import get_db

bp = Blueprint("testimonies", __name__, url_prefix="/testimonies")


@bp.get("/<path:reference>")
def show(reference):
    testimony = store.get_testimony(get_db(), reference)
    book = service.load_codebook()
    codes = [results.describe_code(code, book) for code in testimony["codes"]]
    return render_template("testimonies/show.html", testimony=testimony, codes=codes)
