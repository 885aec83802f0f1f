"""Templates compiled once a process (archive/templating.py): shared where the code is the same, never
where a setting or the source makes it differ."""
import jinja2
import pytest

from archive import create_app, templating
from archive.templating import CompiledOnce


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "page.html").write_text("{% if yes %}\n  <p>{{ word }}</p>\n{% endif %}\n", encoding="utf-8")
    return tmp_path


def environment(folder, cache, **options):
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)), bytecode_cache=cache, **options)


def compiles(env, monkeypatch):
    """How many times `env` compiles a template source from now on."""
    counted = []
    real = env.compile
    monkeypatch.setattr(env, "compile", lambda *a, **k: counted.append(1) or real(*a, **k))
    return counted


def test_a_second_environment_renders_without_compiling_again(folder, monkeypatch):
    cache = CompiledOnce()
    assert environment(folder, cache).get_template("page.html").render(yes=True, word="dogs").strip() == \
        "<p>dogs</p>"
    second = environment(folder, cache)
    counted = compiles(second, monkeypatch)
    assert second.get_template("page.html").render(yes=True, word="psy").strip() == "<p>psy</p>"
    assert counted == []


def test_an_edited_template_is_compiled_again(folder):
    cache = CompiledOnce()
    environment(folder, cache).get_template("page.html").render(yes=True, word="dogs")
    (folder / "page.html").write_text("<b>{{ word }}</b>", encoding="utf-8")
    assert environment(folder, cache).get_template("page.html").render(word="psy") == "<b>psy</b>"


def test_settings_that_change_the_code_are_not_shared(folder):
    cache = CompiledOnce()
    plain = environment(folder, cache).get_template("page.html").render(yes=True, word="x")
    trimmed = environment(folder, cache, trim_blocks=True, lstrip_blocks=True).get_template("page.html")
    assert trimmed.render(yes=True, word="x") == "  <p>x</p>\n" != plain
    with_i18n = environment(folder, cache, extensions=["jinja2.ext.i18n"])
    (folder / "said.html").write_text("{% trans %}Saved.{% endtrans %}", encoding="utf-8")
    with_i18n.install_null_translations(newstyle=True)
    assert with_i18n.get_template("said.html").render() == "Saved."
    old_style = environment(folder, cache, extensions=["jinja2.ext.i18n"])
    old_style.install_null_translations(newstyle=False)
    assert old_style.get_template("said.html").render() == "Saved."
    assert len(cache._code) == 4  # page twice (plain, trimmed), said twice (new- and old-style gettext)


def test_every_app_and_pdf_export_uses_the_process_cache(data_dir):
    from archive.export import pdf

    assert create_app({"TESTING": True, "DATA": str(data_dir.root)}).jinja_env.bytecode_cache is templating.COMPILED
    assert pdf.environment("pl").bytecode_cache is templating.COMPILED
