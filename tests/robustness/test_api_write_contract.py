"""schemathesis against the API's writes (intake, imports, codes, incidents, consent, case files, exports
as jobs), with a reviewer's read-write token and every check schemathesis has: no 5xx, a documented status,
content type and headers, a body matching its schema, every request the document allows accepted
(`positive_data_acceptance`) and every other refused; operation by operation, then a short stateful run
over the document's OpenAPI links (POST a testimony -> GET it -> POST a code on it -> PATCH or DELETE it;
a case file -> its testimonies; an export -> its job -> its file).

What the archive holds is no schema's to say: a request right in itself that does not fit it (a statement
already archived, a passage past its statement's end, a consent it already has) is a 409, which the check
counts as accepted. The rules across fields that OpenAPI cannot state (an order between two values) are
left out of the allowed requests (tests/robustness/api_rules.py, which a run from outside uses too); each
is a 422 naming its field (tests/web/test_api_writes.py, test_incident_api.py).

Driven with hypothesis directly, as tests/robustness/test_api_contract.py is (schemathesis's pytest plugin
does not run under pytest 9). A few hundred cases in all, so it stays in the quick loop's budget.
"""
import collections
import itertools
import random
import zlib

import pytest
import schemathesis
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, assume, given, settings
from schemathesis import GenerationMode
from schemathesis.core.parameters import ParameterLocation

from archive import create_app
from archive.cli import cli
from tests.robustness.api_rules import out_of_order

# Per operation (17): requests the document allows, then requests it does not (which must be refused).
EXAMPLES = {GenerationMode.POSITIVE: 15, GenerationMode.NEGATIVE: 8}
STATEFUL = 20      # scenarios, each up to 5 linked calls
WRITES = ["POST /api/testimonies", "POST /api/imports", "POST /api/testimonies/{reference}/codes",
          "PATCH /api/testimonies/{reference}/codes/{code_id}", "DELETE /api/testimonies/{reference}/codes/{code_id}",
          "POST /api/case-files", "POST /api/case-files/{case_id}/testimonies",
          "DELETE /api/case-files/{case_id}/testimonies/{reference}", "POST /api/exports", "GET /api/exports/{job_id}",
          "GET /api/exports/{job_id}/file", "POST /api/incidents", "PATCH /api/incidents/{incident_id}",
          "POST /api/incidents/{incident_id}/legs", "POST /api/incidents/{incident_id}/sources",
          "POST /api/testimonies/{reference}/candidates/decisions", "POST /api/testimonies/{reference}/consent"]
_UNIQUE = itertools.count(1)


@pytest.fixture(scope="module")
def write_schema(tmp_path_factory):
    data = tmp_path_factory.mktemp("write-contract") / "archive-data"
    runner = CliRunner()
    assert runner.invoke(cli, ["--data", str(data), "demo"]).exit_code == 0
    token = runner.invoke(cli, ["--data", str(data), "user", "token", "demo-reviewer", "--label", "contract",
                                "--scope", "write"]).output.strip()
    app = create_app({"TESTING": True, "DATA": str(data)})
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app, headers=headers)
    schema.token_headers = headers
    schema.held = _held(app, headers)
    return schema


def _held(app, headers):
    """What the demo archive holds, for a request's path to name (a random number names nothing, and a 404
    judges no body): its testimonies with their codes, its incidents (one made here), a case file and an
    export job of the reviewer's."""
    from archive import service

    client = app.test_client()
    case_file = client.post("/api/case-files", json={"name": "Contract", "references": ["T-2021-0001"]},
                            headers=headers).get_json()["id"]
    job = client.post("/api/exports", json={"format": "json", "case_file": case_file}, headers=headers).get_json()["id"]
    client.post("/api/incidents", json={"title": "Push-back at Kuźnica", "group_size": "20-30", "date": "2021-11",
                                        "testimony": "T-2021-0001"}, headers=headers)
    db = service.open_db(app.config["DATA_DIR"])
    try:
        codes = collections.defaultdict(list)
        for reference, code_id in db.execute("SELECT t.reference, c.id FROM code c JOIN testimony t "
                                             "ON t.id = c.testimony_id ORDER BY c.id"):
            codes[reference].append(code_id)
        return {"reference": [r for (r,) in db.execute("SELECT reference FROM testimony ORDER BY id")],
                "incident_id": [i for (i,) in db.execute("SELECT id FROM incident_record ORDER BY id")],
                "case_id": [case_file], "job_id": [job], "codes": codes}
    finally:
        db.close()


def _aimed(case, held):
    """The path's parameters made to name what the archive holds, each picked by the value drawn (so a case
    drawn again is the same case): the body is then judged, not only the path. Not when the path is what a
    negative case makes wrong."""
    if case.meta is not None and case.meta.is_negative_at(ParameterLocation.PATH):
        return
    path = dict(case.path_parameters or {})
    for name, value in path.items():
        if held.get(name):
            path[name] = held[name][zlib.crc32(repr(value).encode()) % len(held[name])]
    if "code_id" in path and held["codes"].get(path.get("reference")):
        codes = held["codes"][path["reference"]]
        path["code_id"] = codes[zlib.crc32(repr(case.path_parameters["code_id"]).encode()) % len(codes)]
    case.path_parameters = path


def _prepared(case, fresh=False):
    """Hypothesis seeds the global `random` alike for every case, and Whoosh names new segments with it:
    reseeded from the system, each case's segment gets a name of its own, as in a server
    (docs/testing.md, robustness). A PDF is laid out by worker processes for seconds: the contract asks for
    JSON instead (the PDF job is tested in tests/web/test_export_jobs.py). `fresh` (the stateful run, whose
    scenarios share one archive): a statement or a case file's name made unique, so that a scenario that
    created something still does when hypothesis draws it again, rather than meet its own earlier copy."""
    random.seed()
    if not isinstance(case.body, dict):
        return
    if case.body.get("format") == "pdf":
        case.body = {**case.body, "format": "json"}
    if fresh and case.operation.path in ("/api/testimonies", "/api/case-files"):
        field = "text" if case.operation.path == "/api/testimonies" else "name"
        if isinstance(case.body.get(field), str) and case.body[field].strip():
            case.body = {**case.body, field: f"{case.body[field][:100]} {next(_UNIQUE)}"}


def _operations(schema):
    return {f"{op.method.upper()} {op.path}": op for op in (result.ok() for result in schema.get_all_operations())}


def test_the_writes_are_described_with_links(write_schema):
    document = write_schema.raw_schema
    created = document["paths"]["/api/testimonies"]["post"]["responses"]["201"]
    assert created["links"]["AddCode"]["operationId"] == "post_api_testimonies_reference_codes"
    assert document["paths"]["/api/testimonies"]["post"]["x-token-scope"] == "write"
    assert document["paths"]["/api/search"]["get"]["x-token-scope"] == "read"
    assert set(WRITES) <= set(_operations(write_schema))


@pytest.mark.parametrize("mode", list(EXAMPLES), ids=lambda mode: mode.value)
@pytest.mark.parametrize("name", WRITES)
def test_every_write_answers_as_documented(write_schema, name, mode):
    operation = _operations(write_schema)[name]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES[mode], deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    def check(case):
        assume(not out_of_order(case))
        _aimed(case, write_schema.held)
        _prepared(case)
        case.call_and_validate(headers=write_schema.token_headers)

    check()


def _with_intake_as_a_start(machine, schema):
    """The state machine, also starting from `POST /api/testimonies`. schemathesis's dependency analysis
    reads the intake's `witness_name` as a key to a 'Witness' resource nothing produces, and so never
    starts a scenario there; the chain that matters most (a testimony -> read it -> code it -> edit or
    remove the code) starts there. The rule is made as schemathesis makes its own roots."""
    from hypothesis.stateful import Bundle
    from schemathesis.generation.feedback import NO_FEEDBACK
    from schemathesis.generation.stateful.state_machine import StepInput
    from schemathesis.specs.openapi.stateful import _step_case_strategy, is_root_allowed, transition

    intake = _operations(schema)["POST /api/testimonies"]
    modes = schema.config.generation_for(operation=intake, phase="stateful").modes
    name = "RANDOM__POST_api_testimonies"
    rule = transition(name=name, target=Bundle("catch_all"), precondition=is_root_allowed(intake.label),
                      input=_step_case_strategy(intake, modes, feedback=NO_FEEDBACK).map(StepInput.initial))
    return type("WithIntake", (machine,), {name: rule, "root_rules": machine.root_rules | {name},
                                           "_root_labels": machine._root_labels | {intake.label}})


def test_linked_writes_answer_as_documented(write_schema):
    linked = write_schema.include(path_regex=r"^/api/(testimonies|imports|case-files|exports)")
    called = []

    class Writes(_with_intake_as_a_start(linked.as_state_machine(), linked)):
        def before_call(self, case):
            _prepared(case, fresh=True)
            called.append(f"{case.operation.method.upper()} {case.operation.path}")

        def get_call_kwargs(self, case):
            return {"headers": write_schema.token_headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            if out_of_order(case):  # a stateful step cannot be left out as it is drawn: its answer is not judged
                return
            case.validate_response(response, headers=write_schema.token_headers, transport_kwargs=kwargs)

    # Generation only: the archive keeps what each scenario wrote, so a scenario replayed (to shrink it)
    # would not be the same scenario; a failure is reported as found.
    Writes.run(settings=settings(max_examples=STATEFUL, stateful_step_count=5, deadline=None, database=None,
                                 phases=[Phase.generate], suppress_health_check=list(HealthCheck)))
    print(sorted(collections.Counter(called).items()))
