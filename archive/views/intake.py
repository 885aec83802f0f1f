"""The intake form: one testimony, pasted or uploaded, validated and stored as an import row is; and the
import of a whole file (a REFI-QDA project, CSV, JSON) through the same path as `archive import`."""
import os
import shutil
import tempfile

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from werkzeug.utils import secure_filename

from archive import coding, intake, service, store, value_words
from archive.intake import uploads
from archive.security.auth import current_user, requires
from archive.web import get_db
from schemas.import_row import CONFIDENTIALITY, CONSENTS, FIELDS, GENDERS

bp = Blueprint("intake", __name__)
LISTS = ("abuse_types", "perpetrators")
IMPORTABLE = (".qdpx", ".csv", ".json", ".jsonl")
MAX_IMPORT_BYTES = 256 * 1024 ** 2
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
            problems["upload"] = [_("give the statement either as pasted text or as a file, not both: to use the file, "
                                    "empty the text box and choose the file again")]
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


@bp.post("/testimonies/import")
@requires("add_testimony")
def import_file():
    """A file imported all or nothing; the page lists what came in, or every problem and that nothing did."""
    book = service.load_codebook()
    upload = request.files.get("import_file")
    name = secure_filename(upload.filename) if upload and upload.filename else ""
    if not name.lower().endswith(IMPORTABLE):
        return _import_refused(book, [_("choose a REFI-QDA project (.qdpx), or a CSV, JSON or JSON Lines file")])
    folder = tempfile.mkdtemp(prefix="import-", dir=current_app.config["DATA_DIR"].root)  # a purge clears leftovers
    try:
        path = os.path.join(folder, name)
        with open(path, "wb") as written:  # the batch records the file's own name
            shutil.copyfileobj(upload.stream, written, 1 << 20)
            if written.tell() > MAX_IMPORT_BYTES:
                return _import_refused(book, [_("the file is larger than %(limit)s bytes",
                                                limit=format_decimal(MAX_IMPORT_BYTES))])
        try:
            report = service.import_file(current_app.config["DATA_DIR"], path, current_user()["name"])
        except intake.ImportRejected as err:
            return _import_refused(book, [intake.describe(*problem) for problem in err.problems], err.truncated)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    titles = store.titles_of(get_db(), report.references)
    return render_template("testimonies/imported.html", report=report, name=name, titles=titles)


def _import_refused(book, problems, truncated=False):
    return _form(book, {**{name: "" for name in FIELDS}, **DEFAULTS}, {}, import_problems=problems,
                 truncated=truncated), 422


def _form(book, values, problems, import_problems=(), truncated=False):
    return render_template(
        "testimonies/new.html", values=values, problems=problems, book=book, kinds=uploads.KINDS,
        import_problems=import_problems, truncated=truncated,
        genders=value_words.options(GENDERS), consents=value_words.options(CONSENTS),
        confidentiality=value_words.options(CONFIDENTIALITY))
