"""A reason typed into a form (removing a code, changing a status, assigning or settling double
coding). It is kept in history for good, so it is checked like every other text: bounded, with no
hidden characters and no lone surrogates."""
from marshmallow import EXCLUDE, ValidationError, validate

from archive import errors
from archive.i18n import say
from schemas import validators
from schemas.base import Schema

MAX_REASON = 500


class ReasonRefused(errors.Invalid):
    """The reason cannot be kept; the message names the field and says why."""


class ReasonSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # the rest of the form: csrf_token, status, decisions, coders

    reason = validators.Text(load_default=None, allow_none=True,
                             validate=[validate.Length(max=MAX_REASON), validators.no_hidden_characters])


def form_reason(form):
    """The form's `reason` (None when not given); ReasonRefused otherwise."""
    try:
        return ReasonSchema().load({"reason": form.get("reason")})["reason"]
    except ValidationError as err:
        raise ReasonRefused(say("reason: %(problem)s", problem=" ".join(err.messages["reason"]))) from None
