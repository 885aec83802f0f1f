"""Per-request database connections, the per-process searcher, security headers, error pages."""
from flask import current_app, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from archive import service, store
from search_index.searcher import Searcher

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                               "base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


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
    """One answer for every error: JSON for the API, a page otherwise; never a traceback."""
    if isinstance(error, store.NotFound):
        code, message = 404, str(error)
    elif isinstance(error, HTTPException):
        code, message = error.code, error.description
    else:
        code, message = 500, "Something went wrong on our side; nothing you sent was stored half-way."
        # The exception's type only: its message could quote a witness's data.
        current_app.logger.error("unhandled %s on %s %s", type(error).__name__, request.method, request.path)
    if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
        return jsonify(error=message, status=code), code
    return render_template("error.html", code=code, message=message), code


def init_app(app):
    app.extensions["archive.searcher"] = Searcher(app.config["DATA_DIR"].index, service.load_codebook())
    app.teardown_appcontext(close_db)
    app.after_request(add_security_headers)
    app.register_error_handler(Exception, handle_error)
