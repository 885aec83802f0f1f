"""The audit view's filter (query string or the export's form) and the head given back to a chain check.

The period's bounds are partial dates as on the search page (`2026`, `2026-12`, `2026-12-02`), in
UTC days; a bound that cannot be read is named with its message, and the rest of the filter runs
without it (archive/views/audit_log.py).
"""
import re

from marshmallow import EXCLUDE, ValidationError, fields, pre_load, validate, validates_schema

from archive.i18n import N_, say
from schemas import validators
from schemas.base import Schema
from schemas.search import Period

HEAD = re.compile(r"(\d{1,12}):([0-9a-f]{64})")
FILTER_KEYS = ("user", "testimony", "action", "from", "to")


class AuditFilterSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # the CSRF token, the button

    user = fields.String(load_default=None, validate=[validate.Length(max=64), validators.no_hidden_characters])
    testimony = fields.String(load_default=None, validate=[validate.Length(max=200), validators.no_hidden_characters])
    action = fields.String(load_default=None, validate=validate.Regexp(r"^[a-z_]{1,64}$",
                                                                       error=N_("not a kind of event")))
    date_from = Period(data_key="from", load_default=None)
    date_to = Period(data_key="to", load_default=None)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000),
                          error_messages={"invalid": N_("not a page number")})

    @pre_load
    def blank_is_absent(self, form, **kwargs):
        return {key: value.strip() for key, value in form.items() if isinstance(value, str) and value.strip()}

    @validates_schema
    def period_in_order(self, chosen, **kwargs):
        if chosen.get("date_from") and chosen.get("date_to") and chosen["date_to"].end < chosen["date_from"].start:
            raise ValidationError(say("the period ends before it starts"), "to")


class ChainCheckSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    expect_head = fields.String(load_default=None, data_key="expect-head")

    @pre_load
    def blank_is_absent(self, form, **kwargs):
        return {key: value.strip() for key, value in form.items() if isinstance(value, str) and value.strip()}

    @validates_schema
    def head_as_printed(self, checked, **kwargs):
        if checked.get("expect_head") and not HEAD.fullmatch(checked["expect_head"].lower()):
            raise ValidationError(say("write it as COUNT:HASH, as the check printed it (e.g. 312:9f86d0…, "
                                      "64 hex digits)"), "expect-head")


def expected_head(checked):
    """(count, hash) from a loaded ChainCheckSchema, or None."""
    if not checked.get("expect_head"):
        return None
    count, digest = HEAD.fullmatch(checked["expect_head"].lower()).groups()
    return int(count), digest
