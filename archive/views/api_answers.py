"""What the JSON API's modules share: a Blueprint whose 304 carries its ETag, the testimony a reader may open
(else a 404 that does not say whether it exists) and the words of the 401 every operation documents."""
import hashlib

import flask_smorest
from flask import request
from flask_smorest import abort
from flask_smorest.etag import _get_etag_ctx
from flask_smorest.exceptions import NotModified

from archive import store
from archive.i18n import say
from archive.security.auth import open_testimony
from archive.web import get_db

NOT_LOGGED_IN = "Not logged in and no valid API token."
NO_TESTIMONY = "No testimony with that reference that you may open."


# An answer is one reader's (their role, the witnesses' consent, their language): no shared cache may keep it,
# and a client's own cache asks again each time, which the ETag makes cheap.
POLLED = {"Cache-Control": "private, no-cache", "Vary": "Authorization, Cookie, Accept-Language"}


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's, but a 304 names the tag it matched, as RFC 9110 (15.4.5) asks (`@bp.etag` answers
    If-None-Match with a bare 304, and the client keeps polling with the tag it already holds), an answer
    with a tag says who may keep it (POLLED), and the tag is the hash of the body as sent rather than of the
    answer encoded to JSON a second time (1.0-1.5 ms of CPU for a search answer of 75 KB; the same body
    has the same tag, as before)."""

    def _check_not_modified(self, etag):
        try:
            super()._check_not_modified(etag)
        except NotModified as unchanged:
            unchanged.data = {"headers": {"ETag": f'"{etag}"', **POLLED}}  # archive/web.py passes data on
            raise

    def _set_etag_in_response(self, response):
        if request.method in self.METHODS_ALLOWING_SET_ETAG and _get_etag_ctx().get("etag") is None \
                and not response.is_streamed:
            tag = hashlib.sha1(response.get_data())
            for name, value in response.headers:
                if name in self.ETAG_INCLUDE_HEADERS:  # as flask-smorest's tag: paging metadata counts
                    tag.update(f"\n{name}: {value}".encode())
            self._check_not_modified(tag.hexdigest())
            response.set_etag(tag.hexdigest())
        else:
            super()._set_etag_in_response(response)
        response.headers.update(POLLED)


def opened_testimony(reference):
    try:
        return open_testimony(get_db(), reference)
    except store.NotFound:
        abort(404, message=say("no testimony %(reference)s", reference=reference))
