"""The catalogues compiled at start-up (archive/i18n.py): a missing or stale .mo is made from its .po, a
fresh one is left alone, a package that cannot be written compiles into a cache folder; and what a
catalogue says is what the pages say."""
import os
import shutil

import pytest
from babel.support import Translations

from archive import i18n


@pytest.fixture
def source(tmp_path):
    """A copy of the shipped catalogues, without any compiled file."""
    copy = tmp_path / "translations"
    shutil.copytree(i18n.TRANSLATIONS, copy, ignore=shutil.ignore_patterns("*.mo"))
    return copy


def polish(folder):
    return Translations.load(str(folder), ["pl"]).gettext("Log in")


def test_a_checkout_compiles_its_catalogues_beside_them(source):
    assert i18n.compile_catalogues(source) == source
    assert sorted(p.parts[-3] for p in source.glob("*/LC_MESSAGES/messages.mo")) == ["ar", "pl", "ru", "uk"]
    assert polish(source) == "Zaloguj"


def test_a_fresh_catalogue_is_not_compiled_again_and_a_stale_one_is(source):
    i18n.compile_catalogues(source)
    mo = source / "pl" / "LC_MESSAGES" / "messages.mo"
    po = mo.with_suffix(".po")
    os.utime(mo, (po.stat().st_mtime + 10,) * 2)
    before = mo.stat().st_mtime
    i18n.compile_catalogues(source)
    assert mo.stat().st_mtime == before
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Zaloguj"', 'msgstr "Wejdź"'), encoding="utf-8")
    os.utime(po, (before + 20,) * 2)
    i18n.compile_catalogues(source)
    assert polish(source) == "Wejdź"


def test_a_package_that_cannot_be_written_compiles_elsewhere(source, monkeypatch, tmp_path):
    monkeypatch.setattr(i18n.os, "access", lambda path, mode: False)
    monkeypatch.setattr(i18n.tempfile, "gettempdir", lambda: str(tmp_path / "tmp"))
    target = i18n.compile_catalogues(source)
    assert target.parent == tmp_path / "tmp" and not list(source.glob("*/LC_MESSAGES/*.mo"))
    assert polish(target) == "Zaloguj"


@pytest.mark.parametrize("asked, spoken", [("pl", "pl"), ("ar", "ar"), ("de", None), ("", None), (None, None)])
def test_only_shipped_languages_are_known(asked, spoken):
    assert i18n.known(asked) == spoken


def test_outside_a_request_the_archive_speaks_english_unless_a_job_speaks_another():
    assert i18n.interface_language() == "en"
    with i18n.speaking("uk"):
        assert i18n.interface_language() == "uk"
        with i18n.speaking("xx"):  # not shipped: English
            assert i18n.interface_language() == "en"
    assert i18n.interface_language() == "en"


@pytest.mark.parametrize("language, written", [("en", "12,345"), ("pl", "12\xa0345"), ("uk", "12\xa0345"),
                                               ("ar", "12,345")])
def test_counts_are_written_as_the_language_writes_them(language, written):
    with i18n.speaking(language):
        assert i18n.number(12345) == written
        assert i18n.number(7) == "7"
        assert i18n.number("–") == "–"  # an empty cell's dash stays a dash


@pytest.mark.parametrize("language, syria, arabic", [("en", "Syria", "Arabic"), ("pl", "Syria", "arabski"),
                                                     ("ru", "Сирия", "арабский"), ("ar", "سوريا", "العربية")])
def test_countries_and_languages_are_named_in_the_readers_language(language, syria, arabic):
    from archive import value_words
    with i18n.speaking(language):
        assert value_words.country("SY") == syria
        assert i18n.language_name("ar", "Arabic") == arabic
        assert value_words.country("XX") == "XX"  # not a country: as it is


@pytest.mark.parametrize("value, language, written", [
    (12345, "en", "12,345"), (12345, "pl", "12\xa0345"), (12345, "en", "12,345"), (1, "en", "1"),
    (1, "en", "1"), ("—", "pl", "—"), (None, "en", None)])
def test_a_count_is_written_as_its_language_writes_it_however_often_it_is_asked(value, language, written):
    assert i18n.number(value, language) == written  # a kept format is its language's only
