"""schemathesis against /api/openapi.json: every GET operation, with every check, answers as documented.

No 5xx, a documented status and content type, a body that matches its schema, and every request the
document allows accepted (`positive_data_acceptance`): the schemas say exactly what the server takes
(tests/web/test_api_contract_findings.py checks the patterns against the rules they state), but for the
one rule OpenAPI cannot state here, a period that ends before it starts (tests/robustness/api_rules.py; a
422 naming `to`). Driven with hypothesis directly (schemathesis's own pytest plugin does not run under
pytest 9).
"""
import re
import urllib.parse

import pytest
import schemathesis
from click.testing import CliRunner
from hypothesis import HealthCheck, assume, given, settings
from schemathesis import GenerationMode
from schemathesis.core.parameters import ParameterLocation

from archive import create_app
from archive.cli import cli
from tests.factories import PASSWORD
from tests.robustness.api_rules import out_of_order

# Per operation: requests the document allows, then requests it does not (which must be refused, 4xx:
# `negative_data_rejection`). The whole file stays within about three minutes on the shared machine.
EXAMPLES = {GenerationMode.POSITIVE: 60, GenerationMode.NEGATIVE: 30}


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    """The demo archive, read by a reviewer's token: the role that may call every GET operation (history and
    agreement are for reviewers), with a case file of their own holding two testimonies."""
    data = tmp_path_factory.mktemp("contract") / "archive-data"
    result = CliRunner().invoke(cli, ["--data", str(data), "demo"])
    assert result.exit_code == 0, result.output
    assert CliRunner().invoke(cli, ["--data", str(data), "user", "add", "contract", "--role", "reviewer",
                                    "--password-stdin"], input=PASSWORD + "\n").exit_code == 0
    token = CliRunner().invoke(cli, ["--data", str(data), "user", "token", "contract", "--label", "contract test"])
    app = create_app({"TESTING": True, "DATA": str(data)})
    _case_file(app, "contract", ["T-2021-0001", "T-2021-0002"])
    headers = {"Authorization": f"Bearer {token.output.strip()}"}  # the document needs a login, as the API does
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app, headers=headers)
    schema.token = token.output.strip()
    return schema


def _case_file(app, owner, references):
    from archive import service, store
    from archive.store.db import write_transaction

    db = service.open_db(app.config["DATA_DIR"])
    try:
        with write_transaction(db):
            case_id = store.insert_case_file(db, "Contract", owner)
            store.add_to_case_file(db, case_id, [store.get_testimony_row(db, r)["id"] for r in references], owner)
    finally:
        db.close()


def _operations(schema):
    return {f"{op.method.upper()} {op.path}": op for op in (result.ok() for result in schema.get_all_operations())}


READS = ["GET /api/search", "GET /api/testimonies/{reference}", "GET /api/testimonies/{reference}/suggestions",
         "GET /api/incidents", "GET /api/incidents/{incident_id}", "GET /api/testimonies/{reference}/incidents",
         "GET /api/testimonies/{reference}/candidates", "GET /api/codebook", "GET /api/testimonies/{reference}/codes",
         "GET /api/testimonies/{reference}/history", "GET /api/case-files", "GET /api/case-files/{case_id}",
         "GET /api/statistics", "GET /api/agreement", "GET /api/exports/{job_id}", "GET /api/exports/{job_id}/file"]


def test_every_get_operation_is_tested(api_schema):
    assert sorted(name for name in _operations(api_schema) if name.startswith("GET ")) == sorted(READS)


def _allowed_as_sent(case, url):
    """A negative case whose query, as the query string carries it (every value text, a repeated parameter a
    list of them), is one the document allows: schemathesis judges the value it generated (`place: [false,
    {"5": …}]`), the server reads the text sent (`place=false&place={'5': …}`), which is valid. Only when the
    query is all the case makes wrong (the token is the test's own, whatever header was generated)."""
    if any(case.meta.is_negative_at(where) for where in (ParameterLocation.PATH, ParameterLocation.BODY)):
        return False
    sent = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query, keep_blank_values=True)
    declared = {parameter.name: parameter for parameter in case.operation.query}
    if set(sent) - set(declared) or any(p.is_required and name not in sent for name, p in declared.items()):
        return False
    for name, texts in sent.items():
        schema = declared[name].validation_schema
        repeatable = schema.get("type") == "array" or any(b.get("type") == "array" for b in schema.get("anyOf", []))
        value = texts if repeatable else (texts[0] if len(texts) == 1 else texts)
        if schema.get("type") == "integer":
            if not re.fullmatch(r"-?[0-9]+", value if isinstance(value, str) else ""):
                return False
            value = int(value)
        if not declared[name].get_validator().is_valid(value):
            return False
    return True


@pytest.mark.parametrize("mode", list(EXAMPLES), ids=lambda mode: mode.value)
@pytest.mark.parametrize("name", READS)
def test_every_answer_is_documented_and_every_request_judged_as_documented(api_schema, name, mode):
    """Every check schemathesis has: no 5xx, documented statuses, content types and headers, bodies that match
    their schemas, the allowed requests accepted and the others refused."""
    operation = _operations(api_schema)[name]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES[mode], deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    def check(case):
        assume(not out_of_order(case))
        headers = {"Authorization": f"Bearer {api_schema.token}"}
        response = case.call(headers=headers)
        if mode is GenerationMode.NEGATIVE and _allowed_as_sent(case, response.request.url):
            return  # not a request the document refuses, once on the wire
        case.validate_response(response, headers=headers)

    check()
