"""Every string of the interface is translated into every shipped language, with the same placeholders.

The strings are extracted here, as `pybabel extract` extracts them for a translator (babel.cfg), and
compared with each catalogue under archive/translations/: a string a template or the code marks but a
catalogue lacks (or has empty, or fuzzy) fails, and so does a translation whose %(name)s placeholders
differ from the English, or that Python's % cannot fill. A text a template shows without marking it
for translation fails too: it would be English on every page."""
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from archive.i18n import LANGUAGES, TRANSLATIONS

ROOT = Path(__file__).parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
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
    for message in extracted:
        translated = found.get(message.id)
        if translated is None:
            continue  # test_every_string_is_translated says so
        if isinstance(message.id, str):
            if set(PLACEHOLDER.findall(translated.string)) != set(PLACEHOLDER.findall(message.id)):
                wrong.append(message.id)
            continue
        english = set(PLACEHOLDER.findall(message.id[0])) | set(PLACEHOLDER.findall(message.id[1]))
        for form in translated.string:  # a form may leave out the count itself ('once', 'jeden raz')
            if not english - {"num"} <= set(PLACEHOLDER.findall(form)) <= english | {"num"}:
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
