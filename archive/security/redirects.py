"""Where a form may send the browser back to: a path on this site, never anywhere else.

`next` values come from the address bar and hidden fields, so anyone can craft one. Browsers drop
tabs and newlines inside a URL and read a backslash as a slash, so `/\\t/evil.example` or
`/\\evil.example` becomes `//evil.example`, another site. A newline would also break
the Location header. So a target is refused for any control character, white space or backslash,
then parsed with `urlsplit`: only a path that starts with a single `/`, without a scheme or a host,
is kept, with its query string. Anything else falls back to the page's default.
"""
import unicodedata
from urllib.parse import unquote, urlsplit

MAX_TARGET_CHARS = 2000
HIDDEN = {"Cc", "Cf", "Cs", "Zl", "Zp"}  # controls, format characters (bidi, zero width), lone surrogates


def safe_target(target, default):
    """`target` if it is a path on this site, else `default`."""
    if isinstance(target, str) and len(target) <= MAX_TARGET_CHARS and _is_local_path(target):
        return target
    return default


def _is_local_path(target):
    if _hidden_or_backslash(target) or not target.startswith("/") or target.startswith("//"):
        return False
    try:
        parts = urlsplit(target)
    except ValueError:  # e.g. an unbalanced '[' read as an IPv6 host
        return False
    if parts.scheme or parts.netloc:
        return False
    # The path as sent, percent-decoded once (a proxy or a second decoder may decode it), and
    # folded to compatibility forms (a fullwidth solidus U+FF0F reads as '/'). The query string is
    # data: an encoded space or newline in a search is fine there.
    for path in (parts.path, unquote(parts.path), unicodedata.normalize("NFKC", parts.path)):
        if _hidden_or_backslash(path) or not path.startswith("/") or path.startswith("//"):
            return False
    return True


def _hidden_or_backslash(text):
    return "\\" in text or any(char.isspace() or unicodedata.category(char) in HIDDEN for char in text)
