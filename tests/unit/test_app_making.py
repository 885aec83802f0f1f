"""What makes an app cheap to make (archive/routing.py, archive/openapi.py) changes nothing it answers:
every URL is built as Werkzeug builds it, and the OpenAPI document is whole when it is first read."""
import pytest
from werkzeug.routing import Rule

from archive import create_app, routing

SAMPLE = {"IntegerConverter": 7, "PathConverter": "T-2021-007/part", "UnicodeConverter": "T-2021-007"}


def every_url(app):
    """{endpoint: URL} for every rule of the app, with sample values for its variables."""
    urls = {}
    for rule in app.url_map.iter_rules():
        values = {name: SAMPLE[type(converter).__name__] for name, converter in rule._converters.items()}
        adapter = app.url_map.bind("archive.test")
        urls[(rule.endpoint, rule.rule)] = (adapter.build(rule.endpoint, values, force_external=True),
                                             adapter.build(rule.endpoint, {**values, "q": "dogs é"}))
    return urls


def test_every_url_is_built_as_werkzeugs_own_rules_build_it(fresh_archive, monkeypatch):
    ours = every_url(create_app({"TESTING": True, "DATA": str(fresh_archive.root)}))
    monkeypatch.setattr(routing, "CompiledOnceRule", Rule)
    werkzeugs = every_url(create_app({"TESTING": True, "DATA": str(fresh_archive.root)}))
    assert ours == werkzeugs and len(ours) > 100
    assert ours[("testimonies.show", "/testimonies/<path:reference>")][1] == \
        "/testimonies/T-2021-007/part?q=dogs+%C3%A9"


def test_a_second_app_compiles_no_builder_and_builds_its_own_rules(fresh_archive):
    first = create_app({"TESTING": True, "DATA": str(fresh_archive.root)})
    compiled = len(routing.CompiledOnceRule._builders)
    second = create_app({"TESTING": True, "DATA": str(fresh_archive.root)})
    assert len(routing.CompiledOnceRule._builders) == compiled
    with second.test_request_context():
        from flask import url_for
        assert url_for("search.index", q="dogs") == "/?q=dogs"
    assert every_url(first) == every_url(second)


@pytest.mark.parametrize("read_first", ["document", "page"])
def test_the_openapi_document_is_whole_when_first_read(fresh_archive, read_first):
    app = create_app({"TESTING": True, "DATA": str(fresh_archive.root)})
    if read_first == "page":  # answering does not need the document, nor spoil it
        assert app.test_client().get("/login").status_code == 200
    api = app.extensions["archive.api"]
    document = api.spec.to_dict()
    assert api.spec.to_dict() == document  # written once: reading again adds nothing
    post = document["paths"]["/api/testimonies"]["post"]
    assert post["operationId"] == "post_api_testimonies" and post["x-token-scope"] == "write"
    assert "ReadTestimony" in post["responses"]["201"]["links"]
    assert {"ExportRecord", "ImportRow", "NewCode", "NewIncident"} <= set(document["components"]["schemas"])
    assert {"api", "api_incidents", "api_codes"} <= {tag["name"] for tag in document["tags"]}
