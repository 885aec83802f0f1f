"""Per-request database connections, the per-process searcher, security headers, error pages."""
from flask import current_app, g, make_response, render_template, request
from flask.json.provider import DefaultJSONProvider
from flask_babel import gettext as _
from flask_babel import lazy_gettext
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed, ServiceUnavailable

from archive import errors, service
from archive.security import safe_json
from search_index.indexer import IndexMissing, IndexOutdated
from search_index.searcher import Searcher

SERVER_ERROR = lazy_gettext("Something went wrong on our side; nothing you sent was stored half-way.")
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                               "base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


class BoundedJSONProvider(DefaultJSONProvider):
    """Every `request.get_json()` (flask-smorest's too) parses through archive/security/safe_json.py: deep
    nesting or a number of thousands of digits is a JSONRefused, a ValueError, which Flask answers
    400, never a 500. The archive's own views read bodies with `request_json`, to say why."""

    def loads(self, s, **kwargs):
        return safe_json.loads(s)


def request_json():
    """This request's JSON body, or None when it is not sent as JSON. Raises safe_json.JSONRefused,
    whose message says what is wrong, for a body that cannot be read."""
    if not request.is_json:
        return None
    return safe_json.loads(request.get_data(cache=True))


def get_db():
    """This request's connection (sqlite3 connections must not cross threads)."""
    if "db" not in g:
        g.db = service.open_db(current_app.config["DATA_DIR"])
    return g.db


def get_searcher():
    """The process's searcher: opened once, refreshed when the index changes."""
    return current_app.extensions["archive.searcher"]


def close_db(exception=None):
    db = g.pop("db", None)
    if db is not None:
        db.close()


def add_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def handle_error(error):
    """One answer for every error: JSON under /api/ (the documented shape) and to a script that sent
    JSON, a page otherwise. An ArchiveError says its own message, written for people; anything else
    is never shown (no traceback, and no exception's message, which could quote a witness's data)."""
    if isinstance(error, IndexOutdated):
        error = ServiceUnavailable(_("The search index was built by another version of the archive. An administrator "
                                     "can rebuild it from the database with `archive reindex`; nothing is lost."))
    elif isinstance(error, IndexMissing):
        error = ServiceUnavailable(_("The search index is missing. An administrator can rebuild it from the "
                                     "database with `archive reindex`; nothing is lost."))
    elif isinstance(error, errors.ArchiveError):
        error = _as_http(error)
    elif not isinstance(error, HTTPException):
        current_app.logger.error("unhandled %s on %s %s", type(error).__name__, request.method, request.path)
        error = InternalServerError(str(SERVER_ERROR))
    return _with_allow(_answer(error), error)


def _answer(error):
    if request.path.startswith("/api/") or request.is_json:
        if request.path.startswith("/api/"):
            if not getattr(error, "data", None):  # flask-smorest shows `message` only from `data`
                error.data = {"message": error.description}
            return current_app.extensions["archive.api"].handle_http_exception(error)
        return {"message": error.description, "errors": {}}, error.code
    message = error.description if error.code != 500 else str(SERVER_ERROR)
    return render_template("error.html", code=error.code, message=message), error.code


def _with_allow(answer, error):
    """RFC 9110 (15.5.6): a 405 names the methods the resource allows, in `Allow`. Werkzeug's
    MethodNotAllowed knows them, but its headers are lost once the answer is ours (JSON or a page)."""
    response = make_response(answer)
    if isinstance(error, MethodNotAllowed) and error.valid_methods:
        response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
    return response


def allow_what_was_matched(response):
    """An OPTIONS answer's `Allow` names the methods of the resource it matched (every route of that very
    path: a resource's reads and writes are in different modules). Werkzeug names those of every route the
    path could match, and a reference may hold a `/`: `/api/testimonies/<reference>` (GET) also matches
    `/api/testimonies/T-1/consent` (POST only)."""
    matched = request.url_rule
    if request.method == "OPTIONS" and matched is not None and "Allow" in response.headers:
        methods = set().union(*(rule.methods for rule in current_app.url_map.iter_rules() if rule.rule == matched.rule))
        response.headers["Allow"] = ", ".join(sorted(methods))
    return response


def _as_http(error):
    """An ArchiveError as the HTTP error of its status, with its message (capitalised, a sentence)."""
    message = str(error) or _("The archive could not do this.")
    http = HTTPException(description=message[:1].upper() + message[1:])
    http.code = error.status
    return http


def favicon():
    """Browsers ask for /favicon.ico whatever the page says: answer with the archive's icon."""
    return current_app.send_static_file("favicon.svg")


def init_app(app):
    app.json = BoundedJSONProvider(app)
    app.add_url_rule("/favicon.ico", "favicon", favicon)
    app.extensions["archive.searcher"] = Searcher(app.config["DATA_DIR"].index, service.load_codebook())
    app.teardown_appcontext(close_db)
    app.after_request(add_security_headers)
    app.after_request(allow_what_was_matched)
    # After flask-smorest's own HTTPException handler, which this one calls for /api/.
    app.register_error_handler(HTTPException, handle_error)
    app.register_error_handler(Exception, handle_error)
