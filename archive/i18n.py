"""The interface's language: which one a request gets, and the gettext catalogues it reads.

The choice, first to last: the user's own (the account page, stored on the account), the `lang`
cookie (the header's switcher, for pages before a login), the browser's Accept-Language, English.
Test clients send none of these, so they read English.

The catalogues live in archive/translations/<lang>/LC_MESSAGES/messages.po, and only the .po files
are committed. The wheel carries them compiled (setup.py); a checkout compiles them at start-up
when a .mo is missing or older than its .po (`compile_catalogues`), next to the .po when the
package is writable, else in a cache folder of the machine's temporary directory.
"""
import hashlib
import os
import tempfile
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import get_month_names
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations
from flask import g, has_request_context, request
from flask_babel import Babel, get_locale, get_translations

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
# Each language as its speakers name it: the switcher shows these, whatever the interface's language.
LANGUAGES = {"en": "English", "pl": "Polski", "uk": "Українська", "ru": "Русский", "ar": "العربية"}
RIGHT_TO_LEFT = {"ar"}
DEFAULT = "en"
COOKIE = "lang"
COOKIE_AGE = 365 * 24 * 3600


def N_(sentence):
    """Marks a sentence for `pybabel extract` where it is defined; it is translated where shown."""
    return sentence


# The roles as the pages name them (archive/security/access.py ROLES): marked here, translated where shown.
ROLE_NAMES = (N_("admin"), N_("coder"), N_("reviewer"), N_("lawyer"), N_("viewer"))


def say(message, /, **values):
    """`message` in the interface's language (see `catalogue`), filled with `values` by Python's %, as
    gettext fills them."""
    said = catalogue().gettext(message)
    return said % values if values else said


def say_plural(singular, plural, num, /, **values):
    """`say` for a count: the language's plural form for `num` (which fills %(num)s)."""
    return plural_form(singular, plural, num) % {"num": num, **values}


def plural_form(singular, plural, num):
    """The language's form of `singular`/`plural` for `num`, placeholders left for the caller to fill."""
    return catalogue().ngettext(singular, plural, num)


ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                  "October", "November", "December")


def month_names(language=None):
    """[(name, abbreviation)] of the twelve months in `language` (default: the interface's), as a column
    heading reads them: Babel's stand-alone forms ('listopad', 'lis'); English's own three letters."""
    language = language or interface_language()
    if language == DEFAULT:
        return [(name, name[:3]) for name in ENGLISH_MONTHS]
    wide = get_month_names("wide", context="stand-alone", locale=language)
    short = get_month_names("abbreviated", context="stand-alone", locale=language)
    return [(wide[number], short[number]) for number in range(1, 13)]


def known(language):
    """`language` if the interface is shipped in it, else None."""
    return language if language in LANGUAGES else None


def choose_language():
    """This request's interface language (the order in the module's docstring)."""
    user = g.get("user")
    chosen = (user or {}).get("language") if isinstance(user, dict) else None
    return (known(chosen) or known(request.cookies.get(COOKIE))
            or request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT)


def language():
    """The code of this request's language: 'en', 'pl', … Kept on `g`: a results page asks it for each of
    its hundreds of labels, and Babel makes the code anew from the locale each time (2.5 ms a page)."""
    code = g.get("language")
    if code is None:
        code = g.language = str(get_locale() or DEFAULT)
    return code


_SPOKEN = ContextVar("interface_language", default=DEFAULT)


def interface_language():
    """The language of this request's interface; outside a request (the CLI, the indexer) English, or
    the language a job was started in (`speaking`), so nothing indexed depends on who caused it."""
    return language() if has_request_context() else _SPOKEN.get()


@contextmanager
def speaking(chosen):
    """Within the block, outside a request, labels and sentences are in `chosen` (a PDF's job thread)."""
    token = _SPOKEN.set(known(chosen) or DEFAULT)
    try:
        yield
    finally:
        _SPOKEN.reset(token)


def country_name(code, english):
    """Country `code` (ISO 3166 alpha-2) as the interface's language names it (CLDR, through Babel);
    `english` in English, and where CLDR has no name for it."""
    spoken = interface_language()
    return english if spoken == DEFAULT else _locale(spoken).territories.get(code) or english


def language_name(code, english):
    """Language `code` (ISO 639-1) as the interface's language names it (CLDR), else `english`."""
    spoken = interface_language()
    return english if spoken == DEFAULT else _locale(spoken).languages.get(code) or english


@lru_cache(maxsize=None)
def _locale(code):
    return Locale.parse(code)


def number(value, language=None):
    """A count as `language` (default: the interface's) writes it: 12,345 in English, 12 345 in Polish;
    not a number (a dash, an empty cell) as it is."""
    return _decimal(value, language or interface_language()) if isinstance(value, int) else value


@lru_cache(maxsize=4096, typed=True)  # typed: True is not 1. A results page writes 250 facet counts, mostly small
def _decimal(value, language):        # and repeated, and Babel takes 0.05 ms for each (a sixth of the page's CPU)
    return format_decimal(value, locale=language)


def direction():
    return "rtl" if language() in RIGHT_TO_LEFT else "ltr"


def compile_catalogues(source=TRANSLATIONS):
    """The folder holding compiled catalogues (<lang>/LC_MESSAGES/messages.mo) for every .po under
    `source`, compiling those missing or stale. Writes go through a temporary file and a rename, so two
    processes starting together never read half a catalogue."""
    target = source if os.access(source, os.W_OK) else _cache_folder(source)
    for po in sorted(source.glob("*/LC_MESSAGES/messages.po")):
        mo = target / po.relative_to(source).with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        mo.parent.mkdir(parents=True, exist_ok=True)
        with po.open("rb") as handle:
            catalogue = read_po(handle, locale=po.parts[-3])
        partial = mo.with_name(f".{mo.name}.{os.getpid()}")
        with partial.open("wb") as handle:
            write_mo(handle, catalogue)
        os.replace(partial, mo)
    return target


@lru_cache(maxsize=None)  # read once a process: a PDF's job asks it for every sentence it says
def translations(language):
    """The catalogue of `language` outside a request (the PDF's templates); English has none."""
    return Translations.load(str(compile_catalogues()), [language])


def _cache_folder(source):
    digest = hashlib.sha256(str(source).encode()).hexdigest()[:12]
    return Path(tempfile.gettempdir()) / f"testimony-archive-translations-{digest}"


def remember_choice(response):
    """After a switcher's post: keep the choice in a cookie for the pages before a login."""
    chosen = g.get("language_chosen")
    if chosen:
        response.set_cookie(COOKIE, chosen, max_age=COOKIE_AGE, samesite="Lax", httponly=True,
                            secure=request.is_secure)
    return response


def catalogue():
    """The catalogue to speak from: in a request, the request's, found once (Flask-Babel finds it anew for
    each string, its locale made into a key each time: 7 ms of a results page's 50); outside one (a PDF's
    job) the language the job speaks (`speaking`)."""
    if not has_request_context():
        return translations(_SPOKEN.get())
    found = g.get("translations")
    if found is None:
        found = g.translations = get_translations()
    return found


def init_app(app):
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(compile_catalogues())
    Babel(app, locale_selector=choose_language)
    app.jinja_env.install_gettext_callables(  # Flask-Babel's own, reading `catalogue`
        gettext=lambda s: catalogue().ugettext(s),
        ngettext=lambda s, p, n: catalogue().ungettext(s, p, n),
        pgettext=lambda c, s: catalogue().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalogue().unpgettext(c, s, p, n),
        newstyle=True)
    app.after_request(remember_choice)
    app.add_template_filter(number, "number")
    from archive.coding import script_words

    app.context_processor(lambda: {"ui_language": language(), "ui_direction": direction(),
                                   "ui_languages": LANGUAGES, "coding_words": script_words.translated,
                                   "month_names": month_names})
