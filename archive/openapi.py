"""The API's OpenAPI document (served at /api/openapi.json), written the first time it is read.

flask-smorest makes its APISpec when the app is made, and writes an operation's documentation
(apispec, from its marshmallow schemas) as each blueprint is registered: two thirds of making an app,
and nothing a page or an API answer needs. A server
makes one app; the test suite makes ~1,700, nearly all of which never read the document.
"""
import datetime as dt

import flask_smorest


class Api(flask_smorest.Api):
    """flask-smorest's Api, documenting the blueprints it registered, then calling `finish(spec)`
    (the schemas and links create_app adds by hand), when `spec` is first read; and `daily(spec)` then
    and on the first read of each new day (what the document says as of today: the dates it allows)."""

    def __init__(self, app, finish, daily):
        self._undocumented, self._finish, self._daily = [], finish, daily
        self._written_on = None  # the day `daily` last wrote; None until the document is written
        self._making = False
        self._spec_arguments = None  # what flask-smorest's `_init_spec` was called with, until it runs
        super().__init__(app)

    def _init_spec(self, **arguments):
        """Left for `spec`: making the APISpec resolves a response schema for every HTTP status, a
        third of making an app."""
        self._spec_arguments = arguments

    @property
    def spec(self):
        if self._spec_arguments is not None:
            arguments, self._spec_arguments = self._spec_arguments, None
            self._making = True  # making it reads `spec`: meanwhile that is the bare spec
            try:
                super()._init_spec(**arguments)
            finally:
                self._making = False
        if self._making:
            return self._spec
        if self._undocumented:
            undocumented, self._undocumented = self._undocumented, []  # documenting reads `spec` again
            for blp, name, parameters in undocumented:
                blp.register_views_in_doc(self, self._app, self._spec, name=name, parameters=parameters)
                self._spec.tag({"name": name, "description": blp.description})
            self._finish(self._spec)
            self._written_on = dt.date.min
        if self._written_on is not None and self._written_on != dt.date.today():
            self._written_on = dt.date.today()
            self._daily(self._spec)
        return self._spec

    @spec.setter
    def spec(self, value):  # flask-smorest's own __init__ and init_app set it
        self._spec = value

    def register_blueprint(self, blp, *, parameters=None, **options):
        """As flask-smorest's, the documentation left for `spec` to write."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters))
