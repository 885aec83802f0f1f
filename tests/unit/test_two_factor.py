"""The rules of two-factor login without the web: which step a code belongs to, the drift allowed,
recovery codes as typed, and who must use it by default (from the permission table)."""
import pyotp
import pytest

from archive.security import access, two_factor
from archive.store.db import write_transaction

SECRET = pyotp.random_base32()
NOW = 1_796_000_015.0  # mid-step: no step boundary can fall between the phone's code and the check


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(two_factor, "clock", lambda: NOW)


@pytest.mark.parametrize("steps_away, accepted", [(-2, False), (-1, True), (0, True), (1, True), (2, False)])
def test_a_code_is_accepted_one_step_either_side(steps_away, accepted):
    now = two_factor.clock()
    code = pyotp.TOTP(SECRET).at(now + steps_away * two_factor.STEP_SECONDS)
    step = two_factor._matching_step(SECRET, code)
    assert (step == int(now // two_factor.STEP_SECONDS) + steps_away) if accepted else step is None


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", "12 34 5x"])
def test_what_is_not_six_digits_is_no_code(typed):
    assert two_factor._matching_step(SECRET, typed) is None


def test_spaces_inside_a_code_do_not_matter():
    code = pyotp.TOTP(SECRET).at(two_factor.clock())
    assert two_factor._matching_step(SECRET, f" {code[:3]} {code[3:]} ") is not None


@pytest.mark.parametrize("typed", ["abcd-efgh-jkmn-pqrs", "ABCD EFGH JKMN PQRS", "abcdefghjkmnpqrs",
                                   " abcd efgh-jkmn pqrs "])
def test_a_recovery_code_is_compared_without_case_spaces_or_dashes(typed):
    assert two_factor._recovery_form(typed) == "abcdefghjkmnpqrs"


def test_by_default_those_who_read_identities_and_those_who_grant_roles():
    readers, _ = access.PERMISSIONS["read_identity"]
    granters, _ = access.PERMISSIONS["manage_users"]
    assert set(two_factor.default_required_roles()) == set(readers) | set(granters) == {"admin", "reviewer", "lawyer"}


def test_recovery_codes_are_ten_distinct_with_79_bits_each(db):
    import math

    from archive.security import accounts

    with write_transaction(db):
        user_id = accounts.add_user(db, "marta", "coder", "a long enough password")
        codes = two_factor.new_recovery_codes(db, user_id)
    assert len(set(codes)) == 10 and all(len(two_factor._recovery_form(code)) == 16 for code in codes)
    assert 16 * math.log2(len(two_factor.RECOVERY_ALPHABET)) > 79
    assert two_factor.recovery_codes_left(db, user_id) == 10


def test_an_unknown_role_cannot_be_required(db):
    with pytest.raises(two_factor.TwoFactorError, match="unknown role"):
        two_factor.set_required_roles(db, ["superuser"])
