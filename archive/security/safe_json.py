"""Parsing JSON that comes from outside (request bodies, import files), with errors a person can read.

`json.loads` raises RecursionError, not ValueError, for deep nesting (100,000 `[`), and a
ValueError that is not a JSONDecodeError for an integer of more than 4,300 digits. Either would
escape a caller that catches JSON errors and answer 500, or end an import with a traceback. Here
every failure is a `JSONRefused` (a ValueError) whose message never quotes the input, and nesting
deeper than MAX_DEPTH is refused outright: no request body or import record needs it. What the
values mean (a lone surrogate in a string, 1e999 as a number) is for the schemas to judge.
"""
import json

from archive import errors
from archive.i18n import N_, say

MAX_DEPTH = 32
_DECODER = json.JSONDecoder()
# The json module's own messages (err.msg), marked so that a refusal is said whole in the reader's language;
# one not listed here is said in English. Two of them end in "at", which our "… at column 5" already says.
JSON_MESSAGES = {message: message for message in (
    N_("Expecting value"), N_("Expecting property name enclosed in double quotes"), N_("Expecting ',' delimiter"),
    N_("Expecting ':' delimiter"), N_("Extra data"), N_("Invalid \\escape"), N_("Invalid \\uXXXX escape"),
    N_("Illegal trailing comma before end of object"), N_("Illegal trailing comma before end of array"),
)} | {"Unterminated string starting at": N_("Unterminated string starting"),
      "Invalid control character at": N_("Invalid control character")}


class JSONRefused(errors.Invalid):
    status = 400
    """Not JSON the archive reads; the message says why without quoting the input."""


class NotJSON(JSONRefused):
    """A syntax error; when reading a file in chunks it may only mean the chunk ended too soon."""


def loads(text):
    """The value of a whole JSON document (str or bytes)."""
    value = _bounded(lambda: json.loads(text), with_column=True)
    _check_depth(value)
    return value


def raw_decode(buffer, offset):
    """(value, end) of the JSON value that starts at `offset` in `buffer`."""
    value, end = _bounded(lambda: _DECODER.raw_decode(buffer, offset))
    _check_depth(value)
    return value, end


def _bounded(decode, with_column=False):
    try:
        return decode()
    except json.JSONDecodeError as err:
        problem = say(JSON_MESSAGES[err.msg]) if err.msg in JSON_MESSAGES else err.msg
        raise NotJSON(say("%(problem)s at column %(column)s", problem=problem, column=err.colno) if with_column
                      else problem) from None
    except RecursionError:
        raise JSONRefused(say("nested more than %(depth)s levels deep", depth=MAX_DEPTH)) from None
    except UnicodeDecodeError:
        raise JSONRefused(say("not UTF-8 text")) from None
    except ValueError:  # an integer of more than sys.get_int_max_str_digits() digits
        raise JSONRefused(say("a number has too many digits")) from None


def _check_depth(value):
    """Walked with a stack of its own: a recursive walk is what fails on deep input."""
    stack = [(value, 1)] if isinstance(value, (dict, list)) else []
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise JSONRefused(say("nested more than %(depth)s levels deep", depth=MAX_DEPTH))
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
