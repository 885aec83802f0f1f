"""The intake form: one testimony, pasted or uploaded, validated and stored as an import row is."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from archive import coding, intake, service
from archive.intake import uploads
from archive.security.auth import current_user, requires
from archive.web import get_db
from schemas.import_row import CONFIDENTIALITY, CONSENTS, FIELDS, GENDERS

bp = Blueprint("intake", __name__)
LISTS = ("abuse_types", "perpetrators")
DEFAULTS = {"consent": "internal", "confidentiality": "confidential", "abuse_types": [], "perpetrators": []}


@bp.route("/testimonies/new", methods=["GET", "POST"])
@requires("add_testimony")
def new():
    book = service.load_codebook()
    if request.method == "GET":
        return _form(book, {**{name: "" for name in FIELDS}, **DEFAULTS}, {})
    values = {name: request.form.get(name, "") for name in FIELDS if name not in LISTS}
    values.update({name: request.form.getlist(name) for name in LISTS})
    problems = {}
    upload = request.files.get("upload")
    if upload and upload.filename:
        if values["text"].strip():
            problems["upload"] = ["give the statement either as pasted text or as a file, not both: to use the file, "
                                  "empty the text box and choose the file again"]
        else:
            try:
                statement = uploads.extract_statement(upload.filename, upload.read())
            except uploads.UploadError as err:
                problems["upload"] = [str(err)]
            else:
                values["text"] = statement.text
                if statement.title and not values["title"].strip():  # the file's heading, unless one was typed
                    values["title"] = statement.title
    if not problems:
        db = get_db()
        try:
            stored = intake.add_testimony(db, values, book, current_user()["name"])
        except intake.TestimonyRejected as err:
            problems = err.problems
        else:
            coding.reindex(db, stored.testimony_id)
            flash(_("Saved as %(reference)s. Select a passage of the statement to code it.",
                    reference=stored.reference), "info")
            return redirect(url_for("testimonies.show", reference=stored.reference), 303)
    return _form(book, values, problems), 422


def _form(book, values, problems):
    return render_template(
        "testimonies/new.html", values=values, problems=problems, book=book, kinds=uploads.KINDS,
        genders=[(g, g) for g in GENDERS], consents=[(c, c) for c in CONSENTS],
        confidentiality=[(c, c) for c in CONFIDENTIALITY])
