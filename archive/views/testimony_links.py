"""Where a form on a testimony's page sends the browser back to: the page, with the search it was
opened from (`search`, carried in the form's action), so that "← Back to the results" still returns to
that search after a change made by a plain form (a status, a language, a removal, a consent, a submission)."""
from flask import has_request_context, request, url_for


def opened_from():
    """The search the testimony's page was opened from, as its `search` parameter; None if none."""
    return (request.args.get("search") or None) if has_request_context() else None


def back_to_testimony(reference, anchor=""):
    return url_for("testimonies.show", reference=reference, search=opened_from()) + anchor
