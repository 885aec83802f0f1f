"""The double-coding pages through the Flask test client, as each role, with CSRF on."""
import re

import pytest

from archive import double_coding, store
from archive.store.db import write_transaction
from tests.double_coding_setup import CODER, CODER2, REVIEWER, code_blind, double_coded

SETTLE = "/agreement/settle/T-2021-0001"
CODING = "/agreement/testimonies/T-2021-0001"
DECISIONS = {"decision:abuse_type:beating": "accept", "decision:abuse_type:theft": "reject",
             "decision:side:PL": "reject"}


@pytest.fixture
def testimony(db, users, import_records):
    return double_coded(db, import_records)


def page(client, url):
    response = client.get(url)
    return response.status_code, response.get_data(as_text=True)


def test_a_coder_sees_only_their_own_blind_codes(client, login, testimony):
    login(client, "coder")
    status, html = page(client, CODING)
    assert status == 200
    assert "They beat us with batons" in html and "took our phones" not in html
    login(client, "coder2")
    status, html = page(client, CODING)
    assert "took our phones" in html and "They beat us with batons" not in html


def test_a_coder_not_assigned_sees_neither_coding(client, login, db, testimony):
    from tests.double_coding_setup import add_account
    add_account(db, "coder3", "coder")
    login(client, "coder3")
    status, html = page(client, CODING)
    assert status == 200 and "not assigned to code this testimony" in html
    assert "They beat us" not in html and "took our phones" not in html and "coder2" not in html


def test_only_reviewers_are_shown_the_agreement_link(client, login, testimony):
    assert 'href="/agreement"' in page(client, "/")[1]  # `client` is a reviewer
    login(client, "coder")
    assert 'href="/agreement"' not in page(client, "/")[1]


@pytest.mark.parametrize("url", ["/agreement", SETTLE])
def test_a_coder_cannot_see_the_agreement(client, login, testimony, url):
    login(client, "coder")
    status, html = page(client, url)
    assert status == 403 and "took our phones" not in html


@pytest.mark.parametrize("name", ["lawyer", "viewer", "admin"])
def test_other_roles_see_no_double_coding(client, login, testimony, name):
    login(client, name)
    assert client.get("/agreement").status_code == 403
    assert client.get(CODING).status_code == 403
    assert client.get(SETTLE).status_code == 403


def test_anonymous_is_sent_to_log_in(anonymous, testimony):
    response = anonymous.get("/agreement")
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]


def test_overview_per_type_and_side(client, login, testimony):
    login(client, "reviewer")
    status, html = page(client, "/agreement")
    assert status == 200
    for label in ("Beating", "Dog attack", "Theft or confiscation", "Poland", "Belarus"):
        assert label in html
    assert "not defined" in html  # one unit: kappa and alpha are 0 / 0 for the agreed dog attack
    assert "ready to settle" in html


def test_overview_says_a_handful_of_testimonies_concludes_nothing(client, login, testimony):
    login(client, "reviewer")
    _, html = page(client, "/agreement")
    assert ('<p class="notice caution"><strong>Too few double-coded testimonies to conclude: α rests on 1 testimony '
            '(at least 10 are needed for an interval).</strong>') in html
    assert html.count('<span class="undefined">too few testimonies</span>') == 5  # each row: no interval
    assert '<th scope="col">α, 95% interval</th>' in html and "percentile bootstrap over testimonies" in html


def test_overview_gives_the_interval_once_there_are_enough(client, login, db, import_records, testimony):
    """Sixteen more: both coders code a beating in six, neither in six (both code a theft), only coder in four."""
    import_records([{"text": f"Statement {n}: they beat us with batons.", "reference": f"T-2021-{n:04d}"}
                    for n in range(2, 18)])
    for n in range(2, 18):
        found = store.get_testimony_row(db, f"T-2021-{n:04d}")
        double_coding.assign(db, found, ["coder", "coder2"], REVIEWER)
        for coder in (CODER, CODER2):
            if n < 8 or (n >= 14 and coder is CODER):
                code_blind(db, found["id"], coder["name"], "beating", "They beat us with batons", ["by_border_guard"])
            elif 8 <= n < 14:
                code_blind(db, found["id"], coder["name"], "theft", "took our phones", ["by_border_guard"])
            double_coding.submit(db, found, coder)
    login(client, "reviewer")
    _, html = page(client, "/agreement")
    assert "Too few double-coded testimonies" not in html
    row = re.search(r'<tr>\s*<th scope="row" data-label="Abuse type">Beating.*?</tr>', html, re.S).group()
    assert '<td data-label="Testimonies (n)" class="number">17</td>' in row
    low, high = map(float, re.search(r'<span class="interval">(-?[\d.]+) – (-?[\d.]+)</span>', row).groups())
    alpha = float(re.search(r'data-label="Krippendorff.s α" class="number">(-?[\d.]+)', row).group(1))
    assert low <= alpha <= high
    assert '<span class="caution">Too uncertain to conclude: α rests on 17 testimonies, and its 95% interval is' in row


def test_the_settle_page_says_one_testimony_concludes_nothing(client, login, testimony):
    login(client, "reviewer")
    assert "These figures describe this one testimony only" in page(client, SETTLE)[1]


def test_overview_sorts_and_ignores_an_unknown_sort(client, login, db, testimony):
    login(client, "reviewer")
    _, html = page(client, "/agreement?sort=percent&order=desc")
    assert html.index("Dog attack") < html.index("Beating")  # 100 % before 0 %
    _, html = page(client, "/agreement?sort=percent&order=asc")
    assert html.index("Beating") < html.index("Dog attack")
    assert client.get("/agreement?sort=%3Cscript%3E").status_code == 200


def test_reviewer_settles_a_disagreement(client, login, db, testimony):
    token = login(client, "reviewer")
    status, html = page(client, SETTLE)
    assert status == 200 and 'name="decision:side:PL"' in html and "took our phones" in html
    response = client.post(SETTLE, data={**DECISIONS, "reason": "Phones are not in the statement",
                                         "csrf_token": token})
    assert response.status_code == 303
    coded = store.codes_of(db, [testimony["id"]])[testimony["id"]]
    assert sorted(c["abuse_type"] for c in coded) == ["beating", "dog_attack"]
    status, html = page(client, SETTLE)
    assert "Settled by reviewer" in html and html.count("superseded") >= 4
    assert 'name="decision:' not in html  # nothing left to settle


def test_settling_without_the_csrf_token_is_refused(client, login, db, testimony):
    login(client, "reviewer")
    response = client.post(SETTLE, data={**DECISIONS, "reason": "no token"})
    assert response.status_code == 400
    assert store.codes_of(db, [testimony["id"]]) == {}
    assert store.assignments_of(db, testimony["id"])[0]["settled_at"] is None


def test_an_undecided_disagreement_is_named_and_nothing_is_written(client, login, db, testimony):
    token = login(client, "reviewer")
    response = client.post(SETTLE, data={"decision:abuse_type:beating": "reject", "reason": "partial",
                                         "csrf_token": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "undecided: abuse_type:theft, side:PL" in html
    assert 'value="reject" checked' in html  # the choice made is kept on the page
    assert store.codes_of(db, [testimony["id"]]) == {}


def test_a_coder_cannot_settle_even_with_a_token(client, login, db, testimony):
    token = login(client, "coder")
    response = client.post(SETTLE, data={**DECISIONS, "reason": "mine", "csrf_token": token})
    assert response.status_code == 403
    assert store.codes_of(db, [testimony["id"]]) == {}


def test_reviewer_assigns_coders(client, login, db, users, import_records):
    import_records([{"text": "A statement.", "reference": "T-2021-0007"}])
    token = login(client, "reviewer")
    url = "/agreement/testimonies/T-2021-0007"
    status, html = page(client, url)
    assert 'value="coder2"' in html and 'value="lawyer"' not in html
    response = client.post("/agreement/assign/T-2021-0007", data={"coder": ["coder"], "csrf_token": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "choose at least 2 coders" in html
    assert 'value="coder" checked' in html and 'value="coder2" checked' not in html  # the choice is kept
    response = client.post("/agreement/assign/T-2021-0007",
                           data={"coder": ["coder", "coder2"], "csrf_token": token})
    assert response.status_code == 303
    tid = store.get_testimony_row(db, "T-2021-0007")["id"]
    assert [(a["coder"], a["assigned_by"]) for a in store.assignments_of(db, tid)] == [
        ("coder", "reviewer"), ("coder2", "reviewer")]
    assert client.post("/agreement/assign/T-2021-0007", data={"coder": ["coder", "coder2"]}).status_code == 400


def test_a_coder_submits_their_coding(client, login, db, users, import_records):
    testimony = double_coded(db, import_records, submit=False)
    token = login(client, "coder")
    assert "Submit my coding" in page(client, CODING)[1]
    response = client.post("/agreement/submit/T-2021-0001", data={"csrf_token": token})
    assert response.status_code == 303
    assert double_coding.assignment(db, testimony["id"], "coder")["submitted_at"]
    status, html = page(client, CODING)
    assert "You submitted your coding" in html and "Submit my coding" not in html
    assert client.post("/agreement/submit/T-2021-0001", data={"csrf_token": token}).status_code == 400


def test_settle_page_waits_for_every_coder(client, login, db, users, import_records):
    testimony = double_coded(db, import_records, submit=False)
    double_coding.submit(db, testimony, CODER)
    login(client, "reviewer")
    status, html = page(client, SETTLE)
    assert status == 200 and "waiting for coder2" in html and 'name="decision:' not in html


def test_passages_are_escaped(client, login, db, users, import_records):
    text = 'He said <script>alert("x")</script> and hit me.'
    import_records([{"text": text, "reference": "T-2021-0001"}])
    testimony = store.get_testimony_row(db, "T-2021-0001")
    double_coding.assign(db, testimony, ["coder", "coder2"], {"name": "reviewer", "role": "reviewer"})
    start = text.index("<script>")
    with write_transaction(db):
        store.insert_code(db, testimony["id"], {
            "abuse_type": "beating", "passage_start": start, "passage_end": start + 30,
            "passage_text": text[start:start + 30], "codebook_version": store.codebook_version(db),
            "stage": double_coding.stage_for(db, testimony["id"], "coder")}, "coder", None)
    for coder in (CODER, CODER2):
        double_coding.submit(db, testimony, coder)
    login(client, "reviewer")
    _, html = page(client, SETTLE)
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def test_unknown_testimony_is_404(client, login, users):
    login(client, "reviewer")
    assert client.get("/agreement/settle/T-1999-0001").status_code == 404


def _without_tokens(html):
    import re
    return re.sub(r'(name="csrf_token" value|name="csrf-token" content)="[^"]*"', "", html)


def test_a_blind_coders_pages_do_not_change_when_the_other_coder_codes(client, login, db, users, import_records):
    """Nothing a blind coder sees (the testimony, the search, their double-coding page) tells them
    the other coder has coded: no code, count, status or history of theirs."""
    from archive import coding, service
    from schemas.code import CodeSchema
    from tests.double_coding_setup import TEXT
    import_records([__import__("tests.factories", fromlist=["record"]).record(
        1, abuse_types=None, perpetrators=None, location=None, incident_date_from=None, text=TEXT)])
    testimony = store.get_testimony_row(db, "T-2021-0001")
    double_coding.assign(db, testimony, ["coder", "reviewer"], {"id": 9, "name": "reviewer2", "role": "reviewer"})
    urls = ["/testimonies/T-2021-0001", "/?q=dogs", "/", CODING, "/?status=in_progress", "/?status=new"]
    for name in ("coder", "reviewer"):  # a reviewer coding blind sees no more than a coder
        login(client, name)
        before = {url: _without_tokens(page(client, url)[1]) for url in urls}
        other = {"coder": "reviewer", "reviewer": "coder"}[name]
        code = CodeSchema(service.load_codebook(), TEXT).load(
            {"start": TEXT.index("took our phones"), "end": TEXT.index("took our phones") + 15, "abuse_type": "theft"})
        current = store.get_testimony_row(db, "T-2021-0001")
        coding.add_code(db, current, code, {"id": 1, "name": other, "role": "coder"})
        login(client, name)
        after = {url: _without_tokens(page(client, url)[1]) for url in urls}
        for url in urls:
            assert after[url] == before[url], f"{name} sees {url} change when {other} codes"
    assert store.get_testimony_row(db, "T-2021-0001")["status"] == "new"  # blind codes move no status


def test_a_reviewer_reaches_double_coding_from_a_testimony_and_assigns_ticked_results(
        client, login, db, users, import_records):
    from tests.factories import record
    import_records([record(n, text=f"They pushed us back at night, number {n}.") for n in (1, 2, 3)])
    token = login(client, "reviewer")
    html = page(client, "/testimonies/T-2021-0001")[1]
    assert "Double coding:" in html and 'href="/agreement/testimonies/T-2021-0001">Assign coders' in html
    html = page(client, "/?q=pushed")[1]
    assert "Assign for double coding" in html and 'formaction="/agreement/assign-ticked"' in html
    response = client.post("/agreement/assign-ticked", data={
        "csrf_token": token, "reference": ["T-2021-0001", "T-2021-0002"], "coder": ["coder", "coder2"],
        "next": "/?q=pushed"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/?q=pushed")
    assert [a["coder"] for a in store.assignments_of(db, 1)] == ["coder", "coder2"]
    assert [a["coder"] for a in store.assignments_of(db, 3)] == []
    html = page(client, "/?q=pushed")[1]
    assert "Assigned 2 testimonies to coder and coder2" in html
    response = client.post("/agreement/assign-ticked", data={
        "csrf_token": token, "reference": ["T-2021-0001"], "coder": ["coder"], "next": "//evil.example"})
    assert response.headers["Location"].endswith("/")  # never off the site
    assert "T-2021-0001 was not assigned: coder already assigned" in page(client, "/")[1]
    login(client, "coder")
    html = page(client, "/")[1]
    assert "Assigned to you to code blind" in html and "T-2021-0001" in html and "T-2021-0003" not in html.split(
        "Assigned to you to code blind")[1].split("</section>")[0]
    assert "Submit my coding" in page(client, "/testimonies/T-2021-0001")[1]
