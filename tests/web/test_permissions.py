"""Every route, as every role and anonymously, against the one written table of permissions.

ROUTES names, for each endpoint, a request to make and the permission it needs (None: open to
all, e.g. the login page; "pending:code" and "pending:enrol": only a login whose password was right
and whose second factor is to come, at that step). A new route must be added here, or test_every_route_is_listed fails.
The roles that hold each permission are archive.access.PERMISSIONS, which docs/admin-guide.md also shows.
"""
import pytest

from archive.security import access
from tests.conftest import PASSWORD, archive_template, csrf_token, post_login
from tests.factories import record

ROUTES = {
    "static": ("GET", "/static/archive.css", None),
    "favicon": ("GET", "/favicon.ico", None),
    "api-docs.openapi_json": ("GET", "/api/openapi.json", "search"),
    "auth.login": ("GET", "/login", None),
    "auth.logout": ("POST", "/logout", None),
    "auth.account": ("GET", "/account", "search"),
    "language.choose": ("POST", "/language", None),  # the switcher of every page, before a login too
    "auth.create_token": ("POST", "/account/tokens", "search"),
    "auth.revoke_token": ("POST", "/account/tokens/999/revoke", "search"),
    "admin.users": ("GET", "/admin/users", "manage_users"),
    "admin.add_user": ("POST", "/admin/users", "manage_users"),
    "admin.change_user": ("POST", "/admin/users/nobody", "manage_users"),
    "admin.issue_token": ("POST", "/admin/tokens", "manage_users"),
    # two-factor login (tests/web/test_two_factor.py has the flows)
    "two_factor.code": ("GET", "/login/code", "pending:code"),
    "two_factor.enrol_at_login": ("GET", "/login/enrol", "pending:enrol"),
    "two_factor.setup": ("GET", "/account/two-factor", "search"),
    "two_factor.start": ("POST", "/account/two-factor", "search"),
    "two_factor.confirm": ("POST", "/account/two-factor/confirm", "search"),
    "two_factor.renew_recovery_codes": ("POST", "/account/two-factor/recovery-codes", "search"),
    "two_factor.disable": ("POST", "/account/two-factor/disable", "search"),
    "admin.require_two_factor": ("POST", "/admin/two-factor", "manage_users"),
    "admin.reset_two_factor": ("POST", "/admin/users/nobody/reset-2fa", "manage_users"),
    # the audit view (tests/web/test_audit_view.py has the flows)
    "audit_log.index": ("GET", "/admin/audit?user=admin", "audit"),
    "audit_log.check": ("POST", "/admin/audit/check", "audit"),
    "audit_log.export_csv": ("POST", "/admin/audit/export.csv", "audit"),
    "search.index": ("GET", "/?q=dogs", "search"),
    "testimonies.show": ("GET", "/testimonies/T-2021-0001", "search"),
    "testimonies.identity": ("GET", "/testimonies/T-2021-0001/identity", "read_identity"),
    "intake.new": ("GET", "/testimonies/new", "add_testimony"),
    "intake.import_file": ("POST", "/testimonies/import", "add_testimony"),
    # REFI-QDA exchange: the codebook as .qdc, and an admin's mapping of a foreign codebook
    "exchange.codebook_file": ("GET", "/codebook.qdc", "search"),
    "exchange.codebook_page": ("GET", "/codebook/exchange", "manage_codebook"),
    "exchange.map_codebook": ("POST", "/codebook/exchange", "manage_codebook"),
    "exchange.save_decisions": ("POST", "/codebook/exchange/decisions", "manage_codebook"),
    "coding.add": ("POST", "/testimonies/T-2021-0001/codes", "code"),
    "coding.edit": ("PATCH", "/testimonies/T-2021-0001/codes/999", "code"),
    "coding.remove": ("POST", "/testimonies/T-2021-0001/codes/999/remove", "code"),
    "coding.status": ("POST", "/testimonies/T-2021-0001/status", "code"),
    "coding.language": ("POST", "/testimonies/T-2021-0001/language", "code"),
    "api.Search": ("GET", "/api/search?q=dogs", "search"),
    "api.Testimony": ("GET", "/api/testimonies/T-2021-0001", "search"),
    # suggestions and the codebook browser
    "suggestions.index": ("GET", "/testimonies/T-2021-0001/suggestions", "code"),
    "suggestions.accept": ("POST", "/testimonies/T-2021-0001/suggestions/accept", "code"),
    "suggestions.dismiss": ("POST", "/testimonies/T-2021-0001/suggestions/dismiss", "code"),
    "suggestions.restore": ("POST", "/testimonies/T-2021-0001/suggestions/restore", "code"),
    "codebook.index": ("GET", "/codebook", "search"),
    "codebook.abuse_type": ("GET", "/codebook/abuse-types/beating", "search"),
    "codebook.places": ("GET", "/codebook/places", "search"),
    "codebook.place": ("GET", "/codebook/places/kuznica", "search"),
    "codebook.perpetrators": ("GET", "/codebook/perpetrators", "search"),
    # Exports (tests/web/test_export_web.py has the flows); 999 is no case file: a 404 once allowed in.
    "exports.stats": ("GET", "/stats?q=dogs", "search"),
    "exports.export_search": ("POST", "/export", "export"),
    "exports.job": ("GET", "/exports/999", "export"),
    "exports.job_progress": ("GET", "/exports/999/progress", "export"),
    "exports.job_file": ("GET", "/exports/999/file", "export"),
    "case_files.index": ("GET", "/case-files", "export"),
    "case_files.create": ("POST", "/case-files", "export"),
    "case_files.show": ("GET", "/case-files/999", "export"),
    "case_files.rename": ("POST", "/case-files/999/rename", "export"),
    "case_files.add": ("POST", "/case-files/add", "export"),
    "case_files.remove": ("POST", "/case-files/999/remove", "export"),
    "case_files.export": ("POST", "/case-files/999/export", "export"),
    "case_files.share": ("POST", "/case-files/999/share", "export"),
    "case_files.unshare": ("POST", "/case-files/999/unshare", "export"),
    # double coding (tests/web/test_agreement_pages.py checks what each page shows to whom)
    "agreement.overview": ("GET", "/agreement", "review"),
    "agreement.testimony": ("GET", "/agreement/testimonies/T-2021-0001", "code"),
    "agreement.assign": ("POST", "/agreement/assign/T-2021-0001", "review"),
    "agreement.assign_ticked": ("POST", "/agreement/assign-ticked", "review"),
    "agreement.submit": ("POST", "/agreement/submit/T-2021-0001", "code"),
    "agreement.settle_page": ("GET", "/agreement/settle/T-2021-0001", "review"),
    "agreement.settle": ("POST", "/agreement/settle/T-2021-0001", "review"),
    # a witness's consent over time (tests/web/test_consent.py, tests/web/test_purge.py have the flows)
    "consent.change": ("POST", "/testimonies/T-2021-0001/consent", "change_consent"),
    "api.Consent": ("POST", "/api/testimonies/T-2021-0001/consent", "change_consent"),
    "api.Suggestions": ("GET", "/api/testimonies/T-2021-0001/suggestions", "code"),
    "consent.withdrawals": ("GET", "/withdrawals", "handle_withdrawals"),
    "consent.purge_testimony": ("POST", "/withdrawals/T-2021-0001/purge", "purge"),
    # incidents (tests/web/test_incident_pages.py has the flows); 999 is no incident: a 404 once allowed in
    "incidents.index": ("GET", "/incidents", "search"),
    "incidents.show": ("GET", "/incidents/999", "search"),
    "incidents.add_leg": ("POST", "/incidents/999/legs", "link_incidents"),
    "incidents.edit": ("GET", "/incidents/999/edit", "link_incidents"),
    "incidents.update": ("POST", "/incidents/999/edit", "link_incidents"),
    "incidents.remove_leg": ("POST", "/incidents/999/legs/1/remove", "link_incidents"),
    "incidents.move_leg": ("POST", "/incidents/999/legs/1/move", "link_incidents"),
    "incidents.unlink": ("POST", "/incidents/999/sources/1/remove", "link_incidents"),
    "incidents.for_testimony": ("GET", "/testimonies/T-2021-0001/incidents", "link_incidents"),
    "incidents.create": ("POST", "/testimonies/T-2021-0001/incidents", "link_incidents"),
    "incidents.link": ("POST", "/testimonies/T-2021-0001/incidents/link", "link_incidents"),
    "incidents.decide": ("POST", "/testimonies/T-2021-0001/incidents/decide", "review"),
    # the incidents' JSON API (tests/web/test_incident_api.py); POST /api/incidents needs link_incidents
    # (its view checks it after the class's "search": Incidents is one endpoint for GET and POST)
    "api_incidents.Incidents": ("GET", "/api/incidents", "search"),
    "api_incidents.Incident": ("GET", "/api/incidents/999", "search"),
    "api_incidents.Legs": ("POST", "/api/incidents/999/legs", "link_incidents"),
    "api_incidents.Sources": ("POST", "/api/incidents/999/sources", "link_incidents"),
    "api_incidents.TestimonyIncidents": ("GET", "/api/testimonies/T-2021-0001/incidents", "search"),
    "api_incidents.Candidates": ("GET", "/api/testimonies/T-2021-0001/candidates", "link_incidents"),
    "api_incidents.Decisions": ("POST", "/api/testimonies/T-2021-0001/candidates/decisions", "review"),
    # the API's reads (tests/web/test_api_reads.py, tests/web/test_api_case_files.py); 999 is no case file
    "api_codebook.Codebook": ("GET", "/api/codebook", "search"),
    "api_testimony_parts.Codes": ("GET", "/api/testimonies/T-2021-0001/codes", "search"),
    "api_testimony_parts.History": ("GET", "/api/testimonies/T-2021-0001/history", "review"),
    "api_case_files.CaseFiles": ("GET", "/api/case-files", "export"),
    "api_case_files.CaseFile": ("GET", "/api/case-files/999", "export"),
    "api_statistics.Statistics": ("GET", "/api/statistics?q=dogs", "search"),
    "api_agreement.Agreement": ("GET", "/api/agreement", "review"),
    # the API's writes (tests/web/test_api_writes.py has the flows, a write token per role); 999: none such
    "api_intake.Testimonies": ("POST", "/api/testimonies", "add_testimony"),
    "api_intake.Imports": ("POST", "/api/imports", "add_testimony"),
    "api_codes.Codes": ("POST", "/api/testimonies/T-2021-0001/codes", "code"),
    "api_codes.Code": ("DELETE", "/api/testimonies/T-2021-0001/codes/999?reason=r", "code"),
    "api_case_file_writes.CaseFiles": ("POST", "/api/case-files", "export"),
    "api_case_file_writes.CaseFileTestimonies": ("POST", "/api/case-files/999/testimonies", "export"),
    "api_case_file_writes.CaseFileTestimony": ("DELETE", "/api/case-files/999/testimonies/T-2021-0001", "export"),
    "api_exports.Exports": ("POST", "/api/exports", "export"),
    "api_exports.ExportJob": ("GET", "/api/exports/999", "export"),
    "api_exports.ExportFile": ("GET", "/api/exports/999/file", "export"),
}
WHO = [None, "admin", "coder", "reviewer", "lawyer", "viewer"]


# Restricted, with consent to legal use: every role may open it, so only the permission decides.
template_archive = archive_template(
    [record(1, consent="legal", confidentiality="restricted", witness_name="Fictional Name 3")], accounts=True)


@pytest.fixture
def archive(data_dir, users):
    return data_dir


def test_every_route_is_listed(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(ROUTES) == set(), "add each new route to ROUTES with the permission it needs"
    assert set(ROUTES) - endpoints == set()


def denied(response, path):
    if response.status_code in (401, 403):
        return True
    return response.status_code == 302 and response.location.startswith("/login") and path != "/logout"


@pytest.mark.parametrize("endpoint", sorted(ROUTES))
@pytest.mark.parametrize("who", WHO, ids=lambda who: who or "anonymous")
def test_allowed_exactly_as_the_table_says(app, login, archive, endpoint, who):
    method, path, permission = ROUTES[endpoint]
    client = app.test_client()
    token = login(client, who) if who else csrf_token(client, "/login")
    if method == "GET":
        response = client.get(path)
    else:
        response = client.open(path, method=method, data={"csrf_token": token}, headers={"X-CSRFToken": token})
    expected = permission is None or (not permission.startswith("pending:")
                                      and access.can({"role": who} if who else None, permission))
    assert response.status_code < 500
    assert denied(response, path) is not expected, (who, endpoint, response.status_code)


@pytest.mark.parametrize("endpoint", sorted(ROUTES))
@pytest.mark.parametrize("step", ["code", "enrol"])
def test_nothing_opens_before_the_second_factor(app, archive, db, endpoint, step):
    """After the right password, before the code (an enrolled lawyer) or before enrolling (a reviewer
    without it, whose role requires it): every route is refused, but the login's own pages."""
    from archive.security import accounts
    from archive.store.db import write_transaction

    name = {"code": "lawyer", "enrol": "new-reviewer"}[step]
    if step == "enrol":
        with write_transaction(db):
            accounts.add_user(db, name, "reviewer", PASSWORD)
    client = app.test_client()
    response = post_login(client, name)
    assert response.status_code == 302 and response.location == f"/login/{step}"
    method, path, permission = ROUTES[endpoint]
    token = csrf_token(client, "/login")
    if method == "GET":
        response = client.get(path)
    else:
        response = client.open(path, method=method, data={"csrf_token": token}, headers={"X-CSRFToken": token})
    expected = permission is None or permission == f"pending:{step}"
    assert response.status_code < 500
    assert refused_before_second_factor(response, path, step) is not expected, (endpoint, response.status_code)


def refused_before_second_factor(response, path, step):
    """Denied as to anyone not logged in, or sent back to the second factor's own page."""
    if response.status_code == 302 and response.location == f"/login/{step}" and path != f"/login/{step}":
        return True
    return denied(response, path)


def test_the_admin_guide_shows_the_table():
    from tests.project.test_docs import ADMIN_GUIDE

    for permission, (roles, _) in access.PERMISSIONS.items():
        row = f"| `{permission}` | " + " | ".join("yes" if role in roles else "" for role in access.ROLES) + " |"
        assert row in ADMIN_GUIDE, row


def test_the_admin_guide_shows_the_case_file_rules():
    from tests.project.test_docs import ADMIN_GUIDE

    for what, who in access.CASE_FILE_RULES.items():
        row = f"| {what} | " + " | ".join("yes" if w in who else "" for w in ("owner", "shared with")) + " | |"
        assert row in ADMIN_GUIDE, row
