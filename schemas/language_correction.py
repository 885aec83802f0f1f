"""A coder's correction of the language a statement is written in (the testimony page's form):
an ISO 639-1 code, and the reason kept in history."""
from marshmallow import EXCLUDE, ValidationError, fields

from archive import errors
from archive.i18n import N_, say
from schemas import validators
from schemas.base import Schema
from schemas.reason import ReasonSchema


class LanguageRefused(errors.Invalid):
    """The language cannot be set; the message names the field and says why."""


class LanguageCorrectionSchema(ReasonSchema):
    class Meta:
        unknown = EXCLUDE  # the form's csrf_token

    language = fields.String(required=True, validate=validators.language_code)


def form_language(form):
    """{language (lower case), reason} from the form; LanguageRefused otherwise."""
    try:
        given = {"language": form["language"]} if form.get("language") else {}
        loaded = LanguageCorrectionSchema().load({**given, "reason": form.get("reason")})
    except ValidationError as err:
        said = {"language": N_("language: %(problem)s"), "reason": N_("reason: %(problem)s")}
        raise LanguageRefused("; ".join(say(said[field], problem=" ".join(problems))
                                        for field, problems in err.messages.items())) from None
    return {**loaded, "language": loaded["language"].lower()}
