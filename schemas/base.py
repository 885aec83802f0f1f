"""The base of every schema: its refusals in the reader's language.

A schema's own messages are marked where they are written (say() in a validator, N_() in a field's
error_messages); marshmallow's are its English defaults, written as it formats them ('Longer than
maximum length 200.'). When a load refuses, `Schema.handle_error` puts each message into the
interface's language (archive/i18n.py): a marked message by the catalogue, one of marshmallow's by the
template it was made from, its values kept. Outside a request that is English, as the command line
and logs read it.
"""
import re

import marshmallow

from archive.i18n import N_, catalogue

# marshmallow's messages the archive's schemas can give, with its {placeholders}: extracted from here for
# the translators, and recognised in a refusal by `_template`.
MARSHMALLOW = (
    N_("Missing data for required field."),
    N_("Field may not be null."),
    N_("Unknown field."),
    N_("Invalid input type."),
    N_("Invalid type."),
    N_("Invalid value."),
    N_("Invalid input."),
    N_("Not a valid string."),
    N_("Not a valid utf-8 string."),
    N_("Not a valid integer."),
    N_("Not a valid number."),
    N_("Not a valid boolean."),
    N_("Not a valid date."),
    N_("Not a valid datetime."),
    N_("Not a valid list."),
    N_("Not a valid mapping type."),
    N_("Not a valid UUID."),
    N_("Not a valid email address."),
    N_("Not a valid URL."),
    N_("Special numeric values (nan or infinity) are not permitted."),
    N_("String does not match expected pattern."),
    N_("Shorter than minimum length {min}."),
    N_("Longer than maximum length {max}."),
    N_("Length must be between {min} and {max}."),
    N_("Length must be {equal}."),
    N_("Must be one of: {choices}."),
    N_("Must be greater than or equal to {min}."),
    N_("Must be greater than {min}."),
    N_("Must be less than or equal to {max}."),
    N_("Must be less than {max}."),
    N_("Must be greater than or equal to {min} and less than or equal to {max}."),
    N_("Must be greater than or equal to {min} and less than {max}."),
    N_("Must be greater than {min} and less than or equal to {max}."),
    N_("Must be greater than {min} and less than {max}."),
    N_("Must be equal to {other}."),
    N_("One or more of the choices you made was not in: {choices}."),
)
_FIELD = re.compile(r"\\\{(\w+)\\\}")
_TEMPLATES = [(template, re.compile(_FIELD.sub(r"(?P<\1>.+?)", re.escape(template)) + r"\Z"))
              for template in MARSHMALLOW if "{" in template]


class Schema(marshmallow.Schema):
    def handle_error(self, error, data, *, many, **kwargs):
        error.messages = _said(error.messages)


def _said(messages):
    """`messages` (marshmallow's nest of dicts and lists of strings) with each string said."""
    if isinstance(messages, dict):
        # A list's items are keyed by position, and a check of the whole schema can add `_schema` beside them
        # (unknown ids of a list with wrong items): JSON keys are strings, and Flask sorts them, so alike.
        mixed = len({type(key) for key in messages}) > 1
        return {str(key) if mixed else key: _said(value) for key, value in messages.items()}
    if isinstance(messages, list):
        return [_said(value) for value in messages]
    return said(messages) if isinstance(messages, str) else messages


def said(message):
    """One refusal's message in the interface's language: by the catalogue when it is marked as it is,
    else by the marshmallow template it was made from, else as it is (already said, or a value)."""
    translations = catalogue()
    translated = translations.gettext(message)
    if translated != message:
        return translated
    for template, pattern in _TEMPLATES:
        made = pattern.match(message)
        if made:
            return translations.gettext(template).format(**made.groupdict())
    return message
