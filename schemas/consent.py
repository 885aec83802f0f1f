"""A witness's decisions over time, as they arrive from the page, the CLI and the API: a change of
consent (or a withdrawal) and a purge. Each field's error names it; the rules that need the
testimony itself (a decision before the interview, a purge of a testimony not withdrawn) are
checked by archive/consent/__init__.py and archive/consent/purge.py."""
import datetime as dt
import re

from marshmallow import RAISE, ValidationError, fields, validate

from archive.i18n import N_, say
from archive.security.access import CONSENTS
from schemas import document, validators
from schemas.base import Schema

MAX_REASON = 2000
DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
NO_REASON = N_("say why: the reason is kept in the testimony's history")


def _reason(value):
    if not value.strip():
        raise ValidationError(say(NO_REASON))


class DecisionDay(fields.String):
    """The day the witness decided: YYYY-MM-DD, a real day of the calendar, not in the future (the
    document's pattern says which, written each day). Loaded as a datetime.date. (marshmallow's Date
    also takes `20211105`.)"""

    def __init__(self, **kwargs):
        super().__init__(metadata={**document.until_today(approximate=False, day_only=True, stripped=True),
                                   **kwargs.pop("metadata", {})}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not DAY.fullmatch(text):
            raise ValidationError(say("'%(text)s' is not a day: write YYYY-MM-DD, e.g. 2022-03-14", text=text))
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise ValidationError(say("'%(text)s' does not exist in the calendar", text=text)) from None
        if day > dt.date.today():
            raise ValidationError(say("'%(text)s' is in the future: give the day the witness decided", text=text))
        return day


def _reason_field(description):
    return fields.String(required=True, validate=[validate.Length(max=MAX_REASON), _reason,
                                                  validators.no_hidden_characters],
                         error_messages={"required": NO_REASON},
                         metadata={"description": description, "pattern": validators.SAID_PATTERN})


class ConsentChangeSchema(Schema):
    """A change of a witness's consent, recorded by the person sending it."""

    class Meta:
        unknown = RAISE

    consent = fields.String(required=True, validate=validators.OneOf(CONSENTS, error=N_("must be one of: %(choices)s")),
                            error_messages={"required": N_("choose the new consent")},
                            metadata={"description": "The witness's consent from now on. `withdrawn` makes the "
                                                     "testimony unreachable for every role but reviewers."})
    decided = DecisionDay(required=True, error_messages={"required": N_("give the day the witness decided")},
                          metadata={"description": "The day the witness decided (YYYY-MM-DD): not in the future; "
                                                   "not before the interview nor a decision already recorded "
                                                   "(else 409)."})
    reason = _reason_field("Why, in a sentence: kept in the testimony's history (never write the witness's name).")


class ConsentChangedSchema(Schema):
    """What a consent change did."""
    reference = fields.String(required=True)
    previous = fields.String(required=True, metadata={"description": "The consent before the change."})
    consent = fields.String(required=True)
    decided = fields.String(required=True)
    recorded_by = fields.String(required=True)
    recorded_at = fields.String(required=True)
    confidentiality = fields.String(required=True, metadata={
        "description": "`public` becomes `restricted` when the consent no longer covers publication."})
    changed = fields.List(fields.String(), required=True, metadata={"description": "The fields that changed."})


class PurgeSchema(Schema):
    """A purge: the reference typed again, and why."""

    class Meta:
        unknown = RAISE

    confirmation = fields.String(required=True, validate=validate.Length(max=200),
                                 error_messages={"required": N_("type the testimony's reference to confirm")},
                                 metadata={"description": "The reference, typed again."})
    reason = _reason_field("Why the statement is erased (a court order, a data-protection request…): kept for "
                           "good in history and the audit log, so never write the witness's name.")
