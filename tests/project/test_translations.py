"""Every string of the interface is translated into every shipped language, with the same placeholders.

The strings are extracted here, as `pybabel extract` extracts them for a translator (babel.cfg), and
compared with each catalogue under archive/translations/: a string a template or the code marks but a
catalogue lacks (or has empty, or fuzzy) fails, and so does a translation whose %(name)s placeholders
differ from the English, or that Python's % cannot fill. A text a template shows without marking it
for translation fails too: it would be English on every page."""
import gettext
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from archive.i18n import LANGUAGES, TRANSLATIONS

ROOT = Path(__file__).parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
BRACED = re.compile(r"\{(\w+)\}")  # str.format's, in marshmallow's messages (schemas/base.py)
SHIPPED = sorted(path.name for path in TRANSLATIONS.iterdir() if (path / "LC_MESSAGES" / "messages.po").exists())


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The strings the code and templates mark, as a translator would get them."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    keywords = ["lazy_gettext", "N_", "say", "say_plural:1,2", "sentence", "sentence_plural:1,2"]
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                    *(f"--keyword={keyword}" for keyword in keywords), "--no-location", "--omit-header",
                    "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as handle:
        return [message for message in read_po(handle) if message.id]


def catalogue(language):
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


def test_every_interface_language_but_english_ships_a_catalogue():
    assert SHIPPED == sorted(set(LANGUAGES) - {"en"})


def test_the_extraction_finds_the_pages_strings(extracted):
    ids = {message.id if isinstance(message.id, str) else message.id[0] for message in extracted}
    assert {"Search testimonies", "Log in", "Save code", "Export", "Change language"} <= ids


@pytest.mark.parametrize("language", SHIPPED)
def test_every_string_is_translated(extracted, language):
    found = catalogue(language)
    missing = []
    for message in extracted:
        translated = found.get(message.id)
        forms = () if translated is None else translated.string
        forms = (forms,) if isinstance(forms, str) else forms
        if translated is None or translated.fuzzy or not forms or not all(forms):
            missing.append(message.id)
    assert missing == [], f"{language}: {len(missing)} string(s) without a translation (docs/admin-guide.md#languages)"


@pytest.mark.parametrize("language", SHIPPED)
def test_placeholders_are_the_englishs(extracted, language):
    found, wrong = catalogue(language), []
    plural = gettext.c2py(found.plural_expr)
    counts = Counter(plural(n) for n in range(1000))  # how many counts each form is said for
    for message in extracted:
        translated = found.get(message.id)
        if translated is None:
            continue  # test_every_string_is_translated says so
        if isinstance(message.id, str):
            if _placeholders(translated.string) != _placeholders(message.id):
                wrong.append(message.id)
            continue
        english = set(PLACEHOLDER.findall(message.id[0])) | set(PLACEHOLDER.findall(message.id[1]))
        for index, form in enumerate(translated.string):
            # Only a form said for a single count may leave the count out ('once', 'jeden raz', Arabic's
            # dual): Ukrainian and Russian say their first form for 21 and 31 too.
            needed = english if counts[index] > 1 else english - {"num"}
            if not needed <= set(PLACEHOLDER.findall(form)) <= english | {"num"}:
                wrong.append(message.id)
    assert wrong == []


@pytest.mark.parametrize("language", SHIPPED)
def test_translations_fill_as_the_english_does(extracted, language):
    """A template's string is always %-formatted (Jinja's newstyle gettext): a stray % in a translation
    would be a 500 on the page."""
    found, broken = catalogue(language), []
    for message in extracted:
        translated = found.get(message.id)
        if translated is None:
            continue
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        forms = translated.string if isinstance(translated.string, tuple) else (translated.string,)
        values = {name: "x" for text in english for name in PLACEHOLDER.findall(text)} | {"num": 2}
        if not _fills(english[0], values):
            continue  # a Python string shown as written, never formatted
        broken += [form for form in forms if not _fills(form, values)]
    assert broken == []


def _placeholders(text):
    return {*PLACEHOLDER.findall(text), *(f"{{{name}}}" for name in BRACED.findall(text))}


def _fills(text, values):
    try:
        text % values
    except (ValueError, TypeError, KeyError):
        return False
    return True


@pytest.mark.parametrize("language", SHIPPED)
def test_no_catalogue_keeps_strings_no_page_shows(extracted, language):
    ids = {message.id for message in extracted}
    stale = [message.id for message in catalogue(language) if message.id and message.id not in ids]
    assert stale == [], "run pybabel update (docs/admin-guide.md#languages)"


TEMPLATE_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)
UNSHOWN = re.compile(r"<script\b.*?</script>|<style\b.*?</style>|<!--.*?-->", re.S)
MARKUP = re.compile(r"<[^>]*>")
ATTRIBUTES = re.compile(r'[\w-]+="[^"<>]*"?')  # a macro that writes attributes (aria-describedby="…") shows nothing


@pytest.mark.parametrize("template", sorted(p.relative_to(ROOT / "templates").as_posix()
                                            for p in (ROOT / "templates").rglob("*.html")))
def test_templates_show_no_unmarked_text(template):
    """What is left of a template without its Jinja tags, markup, scripts and styles must hold no words:
    every word a page shows goes through _() or ngettext()."""
    source = UNSHOWN.sub(" ", TEMPLATE_TAG.sub(" ", (ROOT / "templates" / template).read_text(encoding="utf-8")))
    words = re.findall(r"[A-Za-z]{2,}", ATTRIBUTES.sub(" ", MARKUP.sub(" ", source)))
    assert words == []
    spoken = [text for text in SPOKEN_ATTRIBUTE.findall(source) if re.search(r"[A-Za-z]{2,}", text)]
    assert spoken == [], "an attribute a screen reader or a tooltip says is not marked for translation"


# What assistive technology reads out or a tooltip shows (a placeholder's examples are words of the statements).
SPOKEN_ATTRIBUTE = re.compile(r'\b(?:aria-label|aria-description|title|alt)="([^"]*)"')


# --- The code's sentences -----------------------------------------------------------------------------
# A refusal the pages show is written where it is raised. Marked there (say(), _(), N_()), it is extracted
# for the translators and said in the reader's language; written as a bare "…" or f"…", it stays English.
# The command line (archive/cli) speaks English to the administrator and is left out.
SAYING = {"say", "say_plural", "_", "gettext", "ngettext", "lazy_gettext", "N_"}
SPOKEN_KEYWORDS = {"description", "message"}
# The OpenAPI document is written once, at start-up, for developers: in English, as its schemas are.
API_DOCUMENT = {"Blueprint", "alt_response", "response", "arguments", "doc"}


def _refusal_names():
    import importlib
    import pkgutil

    import archive
    from archive import errors
    for module in pkgutil.walk_packages(archive.__path__, "archive."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    names, todo = set(), [errors.ArchiveError]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo += cls.__subclasses__()
    return names | {"ValidationError"}


def _unmarked(node):
    """True when `node` is a text written in English and not marked: "…", f"…", "…" + x, "…".format()."""
    import ast
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        return any(_unmarked(part) for part in node.values if isinstance(part, ast.Constant))
    if isinstance(node, ast.BinOp):
        return _unmarked(node.left) or _unmarked(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in {"format", "join"} and _unmarked(node.func.value)
    return False


def _name(func):
    import ast
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def test_the_code_marks_every_sentence_it_shows():
    """Every refusal (an ArchiveError of any kind, a marshmallow ValidationError, a field's own
    error_messages), every flash and every error description the web shows is marked for translation."""
    import ast
    refusals, found = _refusal_names(), []
    files = [path for folder in ("archive", "schemas", "search_index") for path in (ROOT / folder).rglob("*.py")
             if "cli" not in path.relative_to(ROOT).parts]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name, spoken = _name(node.func), []
            if name in API_DOCUMENT:
                continue
            if name in refusals or name == "flash":
                spoken += node.args[:1]
            spoken += [keyword.value for keyword in node.keywords
                       if keyword.arg in SPOKEN_KEYWORDS or (keyword.arg or "").endswith("_error")]
            for keyword in node.keywords:
                if keyword.arg == "error_messages" and isinstance(keyword.value, ast.Dict):
                    spoken += keyword.value.values
            found += [f"{path.relative_to(ROOT)}:{value.lineno}" for value in spoken if _unmarked(value)]
    assert found == [], f"{len(found)} sentence(s) shown in English whatever the reader's language"
