"""testimony-archive: witness testimonies with human-rights coding."""
import os
import secrets
from pathlib import Path

from flask import Flask

from archive import routing, templating
from archive.config import DataDir, setting

# templates/ is at the top of a checkout, and inside the package once installed from the wheel (setup.py).
_HERE = Path(__file__).resolve().parent
TEMPLATES = _HERE / "templates" if (_HERE / "templates").is_dir() else _HERE.parent / "templates"


def create_app(test_config=None):
    """The web app. Config layers: defaults, then the environment, then `test_config`."""
    app = Flask(__name__, template_folder=str(TEMPLATES))
    app.jinja_env.bytecode_cache = templating.COMPILED
    app.url_rule_class = routing.CompiledOnceRule
    app.config.update(
        DATA=setting("DATA"),
        MAX_CONTENT_LENGTH=int(setting("MAX_UPLOAD_MB")) * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=setting("INSECURE_COOKIES") != "1",
        PERMANENT_SESSION_LIFETIME=8 * 3600,
        PUBLIC_VIEW=setting("PUBLIC_VIEW") == "1",
        PROXIES=int(setting("PROXIES")),
    )
    if test_config:
        app.config.update(test_config)
    if app.config["PROXIES"]:  # behind a TLS proxy every connection comes from the proxy
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=app.config["PROXIES"])
    data_dir = DataDir.at(app.config["DATA"])
    app.config["DATA_DIR"] = data_dir
    if not app.config.get("SECRET_KEY"):  # Flask's defaults hold SECRET_KEY = None: setdefault would keep it
        app.config["SECRET_KEY"] = setting("SECRET_KEY") or _secret_key(data_dir)

    from archive import i18n, openapi, times, value_words, web
    from archive.coding import sentences
    from archive.consent import purge
    from archive.export import jobs
    from archive.security import auth
    from archive.views import (
        admin,
        agreement,
        api,
        api_agreement,
        api_case_file_writes,
        api_case_files,
        api_codebook,
        api_codes,
        api_exports,
        api_incidents,
        api_intake,
        api_statistics,
        api_testimony_parts,
        audit_log,
        case_files,
        codebook,
        coding,
        consent,
        exchange,
        exports,
        incidents,
        intake,
        language,
        search,
        suggestions,
        testimonies,
        two_factor,
    )
    from archive.views import auth as auth_views

    app.config.update(API_TITLE="testimony-archive", API_VERSION="1", OPENAPI_VERSION="3.0.3",
                      OPENAPI_URL_PREFIX="/api", OPENAPI_JSON_PATH="openapi.json", API_SPEC_OPTIONS={
                          "components": {"securitySchemes": {
                              "token": {"type": "http", "scheme": "bearer",
                                        "description": "A personal API token (`archive user token`, or the "
                                                       "account page), read-only or read-write: a read-only "
                                                       "token is refused (403) on every operation but GET, "
                                                       "HEAD and OPTIONS. Each operation's `x-token-scope` "
                                                       "says which it needs."},
                              "session": {"type": "apiKey", "in": "cookie", "name": "session"}}},
                          "security": [{"token": []}, {"session": []}]})
    rest = openapi.Api(app, finish=_finish_document, daily=_document_as_of_today)
    rest.register_blueprint(api.bp)
    rest.register_blueprint(api_incidents.bp)
    for reads in (api_codebook, api_testimony_parts, api_case_files, api_statistics, api_agreement):
        rest.register_blueprint(reads.bp)
    for writes in (api_intake, api_codes, api_case_file_writes, api_exports):
        rest.register_blueprint(writes.bp)
    app.extensions["archive.api"] = rest
    web.init_app(app)        # per-request database, the searcher, headers, the one error handler
    auth.init_app(app)       # who is asking, CSRF
    i18n.init_app(app)       # the interface's language (after auth: the user's choice comes first)
    times.init_app(app)      # the `when` filter: readable times in <time> elements
    sentences.init_app(app)  # the `said` filter: sentences built as data, escaped
    value_words.init_app(app)  # `value_word` and `country`: stored values as words in the reader's language
    # The pages, one blueprint a resource. Their order does not matter: Werkzeug matches a request
    # to the most specific rule, so /testimonies/new wins over /testimonies/<path:reference>.
    for views in (auth_views, admin, audit_log, search, testimonies, intake, coding, suggestions, codebook,
                  exchange, exports, case_files, agreement, consent, incidents, two_factor, language):
        app.register_blueprint(views.bp)
    jobs.init_app(app)   # long PDF exports a stopped server left: failed, their files removed
    purge.init_app(app)  # a purge a stopped server left unfinished: wipe its files now
    return app


def _finish_document(spec):
    """What the OpenAPI document says beyond flask-smorest's: the shapes below, then operationIds,
    token scopes and the links between operations (api_links), and what the fields cannot say
    (api_document)."""
    from archive.views import api_document, api_links

    _publish_schemas(spec)
    api_links.add_links(spec)
    api_document.describe(spec)


def _document_as_of_today(spec):
    """What the document says from the running archive: the codebook's ids, the dates up to today."""
    from archive.views import api_document

    api_document.write_marks(spec)


def _publish_schemas(spec):
    """The JSON export's shape, in the OpenAPI document beside the API's own (docs/api.md)."""
    from schemas.export import ExportDocumentSchema, ExportRecordSchema

    spec.components.schema("ExportRecord", schema=ExportRecordSchema)
    spec.components.schema("ExportDocument", schema=ExportDocumentSchema)
    # The bodies that record incidents: loaded by the views with the codebook, so described here.
    from schemas.incident_write import IncidentChangeSchema, NewIncidentSchema, NewLegSchema

    spec.components.schema("NewIncident", schema=NewIncidentSchema(None))
    spec.components.schema("IncidentChange", schema=IncidentChangeSchema(None))
    spec.components.schema("NewLeg", schema=NewLegSchema(None))
    # An intake's record and a code: loaded with the codebook (and a code against its statement's text).
    from schemas.code import CodeSchema
    from schemas.import_row import ImportRowSchema

    spec.components.schema("ImportRow", schema=ImportRowSchema(None))
    spec.components.schema("NewCode", schema=CodeSchema(None, ""))


def _secret_key(data_dir):
    """A random key kept in the data directory (mode 600), made on first start."""
    path = data_dir.secret_key_file
    if not path.exists():
        os.makedirs(data_dir.root, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()
