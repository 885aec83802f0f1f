"""schemathesis against the API's writes (intake, imports, codes, case files, exports as jobs), with a
reviewer's read-write token: every generated request answers as documented (no 5xx, a documented status,
content type and headers, a body matching its schema), operation by operation; then a short stateful run
over the document's OpenAPI links (POST a testimony -> GET it -> POST a code on it -> PATCH or DELETE it;
a case file -> its testimonies; an export -> its job -> its file).

Driven with hypothesis directly, as tests/robustness/test_api_contract.py is (schemathesis's pytest plugin
does not run under pytest 9). A few hundred cases in all, so it stays in the quick loop's budget.
"""
import collections
import itertools
import random

import pytest
import schemathesis
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from archive import create_app
from archive.cli import cli

EXAMPLES = 25      # per operation: 10 operations
STATEFUL = 20      # scenarios, each up to 5 linked calls
WRITES = ["POST /api/testimonies", "POST /api/imports", "POST /api/testimonies/{reference}/codes",
          "PATCH /api/testimonies/{reference}/codes/{code_id}", "DELETE /api/testimonies/{reference}/codes/{code_id}",
          "POST /api/case-files", "POST /api/case-files/{case_id}/testimonies",
          "DELETE /api/case-files/{case_id}/testimonies/{reference}", "POST /api/exports", "GET /api/exports/{job_id}",
          "GET /api/exports/{job_id}/file"]
# Not checked: that every schema-valid request is accepted. Some refusals depend on the archive's state or
# cannot be written in OpenAPI: a statement already archived, a reference taken, a passage's offsets
# against its statement's text, a day not in the calendar. Each is a 422 naming its field
# (tests/web/test_api_writes.py).
EXCLUDED = [positive_data_acceptance]
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
    return schema


def _before(case, fresh=False):
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


@pytest.mark.parametrize("name", WRITES)
def test_every_write_answers_as_documented(write_schema, name):
    operation = _operations(write_schema)[name]

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    def check(case):
        _before(case)
        case.call_and_validate(headers=write_schema.token_headers, excluded_checks=EXCLUDED)

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
            _before(case, fresh=True)
            called.append(f"{case.operation.method.upper()} {case.operation.path}")

        def get_call_kwargs(self, case):
            return {"headers": write_schema.token_headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, excluded_checks=EXCLUDED, headers=write_schema.token_headers,
                                   transport_kwargs=kwargs)

    # Generation only: the archive keeps what each scenario wrote, so a scenario replayed (to shrink it)
    # would not be the same scenario; a failure is reported as found.
    Writes.run(settings=settings(max_examples=STATEFUL, stateful_step_count=5, deadline=None, database=None,
                                 phases=[Phase.generate], suppress_health_check=list(HealthCheck)))
    print(sorted(collections.Counter(called).items()))
