"""The testimony page as a reviewer reads it: history in sentences with readable times, the current
codes counted apart from blind and superseded ones, and nothing a person wrote left unescaped."""
import re

import pytest

from archive import double_coding, store
from tests.double_coding_setup import REVIEWER, double_coded

DECISIONS = {"abuse_type:beating": "accept", "abuse_type:theft": "reject", "side:PL": "reject"}


@pytest.fixture
def settled(db, import_records, data_dir, users):
    testimony = double_coded(db, import_records)
    double_coding.settle(db, testimony, DECISIONS, REVIEWER, "Phones: <not> in the statement", data_dir)
    return testimony["reference"]


def section(page, start, end):
    return page[page.index(start):page.index(end, page.index(start))]


def test_history_reads_in_sentences_with_readable_times(client, settled):
    page = client.get(f"/testimonies/{settled}").get_data(as_text=True)
    history = section(page, 'id="history-title"', "</section>")
    assert ("reviewer settled the double coding: accepted <strong>Beating</strong> from coder; rejected "
            "<strong>Theft or confiscation of belongings</strong> and the <strong>Poland</strong> side from coder2 "
            "— “<bdi>Phones: &lt;not&gt; in the statement</bdi>”") in history
    assert "Kept as superseded: 4 blind codes (2 of coder and 2 of coder2)" in history
    assert "reviewer assigned coder and coder2 to code it blind" in history
    assert not re.search(r"(settle|supersede|assign|create|update) (code|coding_assignment|testimony)\b", history)
    when = re.findall(r'<time datetime="([^"]+)" data-local="minute" title="([^"]+)">([^<]+)</time>', history)
    assert when and all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", iso) for iso, _, _ in when)
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC", text) for _, _, text in when)


def test_codes_counts_the_current_coding_and_folds_the_superseded_by_coder(client, db, settled):
    page = client.get(f"/testimonies/{settled}").get_data(as_text=True)
    codes = section(page, 'id="codes"', "</section>")
    assert 'Codes <span class="count">2</span>' in codes
    superseded = codes[codes.index('id="superseded-codes"'):]
    assert "Superseded in double coding (4)" in superseded
    assert re.findall(r'<h3 class="code-group-coder">(\w+) <span class="count">(\d)</span>', superseded) == [
        ("coder", "2"), ("coder2", "2")]
    assert 'class="to-passage"' not in superseded  # the statement marks only the current coding
    testimony_id = store.get_testimony_row(db, settled)["id"]
    current = {str(code["id"]) for code in store.codes_of(db, [testimony_id])[testimony_id]}
    assert set(re.findall(r'id="passage-(\d+)"', page)) == current


def test_blind_coding_in_progress_is_its_own_group_and_not_marked(client, db, import_records, users):
    testimony = double_coded(db, import_records, submit=False)
    page = client.get(f"/testimonies/{testimony['reference']}").get_data(as_text=True)
    codes = section(page, 'id="codes"', "</section>")
    assert 'Codes <span class="count">0</span>' in codes and "Not coded yet." in codes
    assert "Blind coding in progress: coder 2, coder2 2" in codes
    assert not re.search(r'id="passage-\d', page)


def test_times_are_readable_wherever_people_read_them(client, settled):
    page = client.get(f"/testimonies/{settled}").get_data(as_text=True)
    code_by = re.findall(r'<p class="code-by">(\w+), <time datetime="[^"]+" data-local="minute"', page)
    assert code_by and set(code_by) <= {"coder", "coder2"}
    agreement = client.get(f"/agreement/testimonies/{settled}").get_data(as_text=True)
    assert agreement.count("<time datetime=") >= 4 and "+00:00</td>" not in agreement
    settle = client.get(f"/agreement/settle/{settled}").get_data(as_text=True)
    assert re.search(r"Settled by reviewer on <time datetime=", settle)


def test_the_script_for_local_times_comes_only_with_a_time_to_show(client, settled):
    script = '<script src="/static/times.js" defer></script>'
    assert script in client.get(f"/testimonies/{settled}").get_data(as_text=True)
    assert script not in client.get("/?q=dogs").get_data(as_text=True)
