"""Times as people read them: '2 Dec 2026, 14:05 UTC' inside <time datetime="2026-12-02T14:05:11+00:00">.

The archive stores UTC, and the server cannot know the reader's zone. So the page says UTC, which
is right without any script, and archive/static/times.js rewrites each <time data-local> into the
browser's own locale and zone (naming the zone, so a time copied into a note is never ambiguous).
The full ISO time stays in the `datetime` attribute and in the element's title. Exports and the
PDF say UTC (archive/export/pdf.py `moment`): a record of evidence must read the same for everyone.

One template filter, `when`, for every time shown on a page: `{{ code.updated_at | when }}`, or
`{{ … | when("day") }}` where the day is enough. A page that shows a time loads the script (base.html,
at the end of the body); a page that shows none has no script to load.
"""
import datetime as dt

from babel.dates import format_date
from markupsafe import Markup

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")  # not %b: locale-free


def moment_of(stamp):
    """The stored ISO text (or a datetime) as an aware datetime in UTC; None if it is not a time."""
    if isinstance(stamp, dt.datetime):
        moment = stamp
    else:
        try:
            moment = dt.datetime.fromisoformat(str(stamp))
        except ValueError:
            return None
    if moment.tzinfo is None:  # the archive writes UTC; a bare time is read as UTC
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.astimezone(dt.timezone.utc)


def readable(stamp, precision="minute"):
    """'2 Dec 2026, 14:05 UTC', or '2 Dec 2026' at precision 'day'; '' for nothing; as written if it
    is not a time."""
    if stamp is None or stamp == "":
        return ""
    moment = moment_of(stamp)
    if moment is None:
        return str(stamp)
    language = _language()
    if language != "en":  # Babel's month names and order for the reader's language
        day = format_date(moment, "d MMM y", locale=language)
    else:
        day = f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"
    return day if precision == "day" else f"{day}, {moment:%H:%M} UTC"


def _language():
    """The interface's language in a request, English elsewhere (the CLI, a job's thread)."""
    from flask import has_request_context

    if not has_request_context():
        return "en"
    from archive import i18n

    return i18n.language()


def time_element(stamp, precision="minute"):
    """The readable time in a <time> element the page's script may show in the reader's zone."""
    moment = moment_of(stamp) if stamp else None
    if moment is None:
        return readable(stamp, precision)
    iso = moment.isoformat(timespec="seconds")
    return Markup('<time datetime="{}" data-local="{}" title="{}">{}</time>').format(
        iso, precision, readable(stamp), readable(stamp, precision))


def init_app(app):
    from flask import g

    def when(stamp, precision="minute"):
        g.times_shown = True  # base.html then loads times.js
        return time_element(stamp, precision)

    app.add_template_filter(when, "when")
