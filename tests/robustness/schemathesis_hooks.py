"""For a run of schemathesis from outside (docs/api.md, the contract is tested):
`SCHEMATHESIS_HOOKS=tests.robustness.schemathesis_hooks schemathesis run …` leaves out of the generated
requests those that break a rule the API document cannot state (tests/robustness/api_rules.py), as the
suite's contract tests do. Run from a checkout, with the archive importable (PYTHONPATH=.)."""
import schemathesis

from tests.robustness.api_rules import out_of_order


@schemathesis.hook
def filter_case(context, case):
    return not out_of_order(case)
