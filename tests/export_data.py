"""An archive to export from, built through the real import: statements in English, Arabic, Polish
and Russian, formula-looking cells, witnesses' names, redactions, coded passages, and consents that
must never leave (internal, withdrawn). `FACTS` says what each export must and must not contain."""
import time

from archive import service, store
from archive.store.db import write_transaction
from tests import factories

ARABIC = "ضربنا الجنود بالهراوات قرب كوزنيتسا وأخذوا هواتفنا. اسمي أحمد الخالدي وأنا من حلب."
RUSSIAN = "Пограничники избили нас дубинками возле Кузницы и отобрали телефоны. Меня зовут Олег Петренко."
POLISH = "Funkcjonariusze Straży Granicznej użyli gazu pieprzowego w Białowieży. Nazywam się Łucja Wróbel."
FORMULA_TEXT = "\t=cmd|' /C calc'!A0 they pushed us back over the wire at night."

RECORDS = [
    factories.record(1, title="=HYPERLINK(\"http://evil.example\",\"open\")", source="+1 555 0100",
                     organisation="-2 Border Aid", witness_pseudonym="@SUM(A1:A9)", witness_name="Karim Haddad",
                     witness_contact="+48 600 100 200"),
    factories.record(2, text=ARABIC, language="ar", title="ضربونا قرب الحدود", witness_name="أحمد الخالدي",
                     witness_nationality="IQ", witness_age=19, perpetrators=["by_border_guard"],
                     abuse_types=["beating", "theft"], incident_date_from="2021-10-03"),
    factories.record(3, text=RUSSIAN, language="ru", title="Избили у границы", witness_name="Олег Петренко",
                     witness_nationality="UA", witness_age=41, perpetrators=["pl_border_guard", "by_border_guard"],
                     abuse_types=["beating", "pushback"], incident_date_from="2021-09"),
    factories.record(4, text=POLISH, language="pl", title="Gaz pieprzowy w Białowieży", witness_name="Łucja Wróbel",
                     witness_gender="female", perpetrators=["pl_border_guard"], abuse_types=["pepper_spray"],
                     location="Białowieża", incident_date_from="2021-11-16~", consent="publication"),
    factories.record(5, text=FORMULA_TEXT, title="Pushed back at night", witness_name="Samir Nouri",
                     abuse_types=["pushback"], perpetrators=["pl_border_guard"], confidentiality="confidential"),
    factories.record(6, title="Internal only", witness_name="Hidden Internal", consent="internal"),
    factories.record(7, title="Withdrawn statement", witness_name="Hidden Withdrawn", consent="withdrawn"),
]
EXPORTED = ["T-2021-0001", "T-2021-0002", "T-2021-0003", "T-2021-0004", "T-2021-0005"]
NEVER = ["T-2021-0006", "T-2021-0007"]
NAMES = ["Karim Haddad", "+48 600 100 200", "أحمد الخالدي", "Олег Петренко", "Łucja Wróbel", "Samir Nouri",
         "Hidden Internal", "Hidden Withdrawn"]
# (reference, words of the statement marked "identifying - redact")
REDACTIONS = [("T-2021-0002", "أحمد الخالدي"), ("T-2021-0003", "Олег Петренко"), ("T-2021-0004", "Łucja Wróbel")]
# (reference, passage quoted by a coder, abuse type); the Russian and Polish passages overlap a redaction
PASSAGES = [
    ("T-2021-0001", "A dog bit my brother's leg.", "dog_attack"),
    ("T-2021-0002", "ضربنا الجنود بالهراوات قرب كوزنيتسا", "beating"),
    ("T-2021-0003", "Меня зовут Олег Петренко.", "pushback"),
    ("T-2021-0003", "Пограничники избили нас дубинками возле Кузницы", "beating"),
    ("T-2021-0004", "użyli gazu pieprzowego w Białowieży", "pepper_spray"),
]
QUOTED = {"A dog bit my brother's leg.", "ضربنا الجنود بالهراوات قرب كوزنيتسا", "Меня зовут [redacted].",
          "Пограничники избили нас дубинками возле Кузницы", "użyli gazu pieprzowego w Białowieży"}


def build(root):
    """A new archive at `root` with RECORDS, their redactions and passages, and ACCOUNTS."""
    data = factories.archive(root, accounts=True)
    populate(data)
    return data


def populate(data):
    """Import RECORDS into the archive at `data`, then add their redactions and coded passages."""
    path = factories.write(data.root.parent / "export-records.json", RECORDS, "json")
    assert len(service.import_file(data, path, "tester").imported) == len(RECORDS)
    db = service.open_db(data)
    with write_transaction(db):
        for reference, words in REDACTIONS:
            testimony = store.get_testimony_row(db, reference)
            start = testimony["text"].index(words)
            db["redaction"].insert({"testimony_id": testimony["id"], "passage_start": start,
                                    "passage_end": start + len(words), "reason": "witness name",
                                    "coder": "coder", "created_at": store.now()})
        for reference, quote, abuse_type in PASSAGES:
            testimony = store.get_testimony_row(db, reference)
            start = testimony["text"].index(quote)
            store.insert_code(db, testimony["id"], {
                "abuse_type": abuse_type, "perpetrators": ["pl_border_guard"], "place_id": "kuznica",
                "passage_start": start, "passage_end": start + len(quote),
                "passage_text": quote, "codebook_version": "1.0"}, "coder", "test passage")
    db.close()
    service.reindex(data)


def downloaded(client, response, timeout=120):
    """The file an export answered with: at once (CSV, JSON), or, for a PDF, from its job's page
    once the job is done."""
    if response.status_code != 303:
        return response
    job = response.headers["Location"]
    deadline = time.monotonic() + timeout
    while "Your PDF is ready" not in client.get(job).get_data(as_text=True):
        assert time.monotonic() < deadline, "the PDF job did not finish"
        time.sleep(0.2)
    return client.get(job + "/file")
