"""What the administrator's forms send: a new account, a change to one, a token for one.

archive/security/accounts.py checks names and passwords again (the CLI comes in through it too); these
schemas are the web's edge: unknown roles and malformed numbers stop here, with a message.
"""
from marshmallow import EXCLUDE, fields, pre_load, validate

from archive.i18n import LANGUAGES, N_
from archive.security.access import DEFAULT_SCOPE, ROLES, TOKEN_SCOPES
from schemas import validators
from schemas.base import Schema

DEFAULT_ROLE = "viewer"  # least privilege: any more is the administrator's explicit choice


class _Form(Schema):
    class Meta:
        unknown = EXCLUDE  # the CSRF token, the button

    @pre_load
    def blank_is_absent(self, form, **kwargs):
        """An empty field of an HTML form means "not given"; spaces around a name are a slip (but a
        password's are the person's own)."""
        return {key: value if key == "password" else value.strip() for key, value in form.items() if value.strip()}


def _name():
    return fields.String(required=True, validate=[validate.Length(min=1, max=64), validators.no_hidden_characters])


class NewUserSchema(_Form):
    name = _name()
    role = fields.String(load_default=DEFAULT_ROLE, validate=validate.OneOf(ROLES))
    password = fields.String(required=True)


class UserChangeSchema(_Form):
    role = fields.String(validate=validate.OneOf(ROLES))
    active = fields.Boolean()


class TokenForUserSchema(_Form):
    user = _name()
    label = fields.String(required=True, validate=[validate.Length(min=1, max=100), validators.no_hidden_characters])
    scope = fields.String(load_default=DEFAULT_SCOPE, validate=validate.OneOf(TOKEN_SCOPES))
    days = fields.Integer(load_default=None, validate=validate.Range(min=1, max=3650),
                          error_messages={"invalid": N_("Give a whole number of days, or leave it empty.")})


class TwoFactorRolesSchema(Schema):
    """The roles ticked on the users page as requiring two-factor login (none ticked: none)."""
    class Meta:
        unknown = EXCLUDE

    roles = fields.List(fields.String(validate=validate.OneOf(ROLES)), load_default=list)


class LanguageChoiceSchema(_Form):
    """The header's switcher and the account page's choice of the interface language."""
    language = fields.String(required=True, validate=validate.OneOf(list(LANGUAGES)))
    next = fields.String(load_default=None)
