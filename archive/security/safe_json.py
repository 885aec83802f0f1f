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

MAX_DEPTH = 32
_DECODER = json.JSONDecoder()


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
        raise NotJSON(f"{err.msg} at column {err.colno}" if with_column else err.msg) from None
    except RecursionError:
        raise JSONRefused(f"nested more than {MAX_DEPTH} levels deep") from None
    except UnicodeDecodeError:
        raise JSONRefused("not UTF-8 text") from None
    except ValueError:  # an integer of more than sys.get_int_max_str_digits() digits
        raise JSONRefused("a number has too many digits") from None


def _check_depth(value):
    """Walked with a stack of its own: a recursive walk is what fails on deep input."""
    stack = [(value, 1)] if isinstance(value, (dict, list)) else []
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise JSONRefused(f"nested more than {MAX_DEPTH} levels deep")
        children = item.values() if isinstance(item, dict) else item
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
