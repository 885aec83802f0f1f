"""The interface's language, as a person meets it: English unless they ask otherwise; the browser's
Accept-Language; the switcher at the foot of every page (a cookie, before a login too); the choice
kept on the account, which follows them to another browser and wins over both. Arabic turns the page
right to left while each statement keeps its own direction. The codebook, dates, flash messages,
errors and exports follow the language; CSV column keys never do."""
import csv
import io
import re

import pytest

from archive import service
from archive.store import accounts
from tests import export_data
from tests.conftest import csrf_token, log_in, post_login
from tests.export_data import downloaded
from tests.factories import record


def html_tag(page):
    return re.search(r"<html[^>]*>", page).group(0)


def choose(client, language, next_page="/login"):
    """The footer's switcher, as a person submits it from `next_page`."""
    return client.post("/language", data={"language": language, "next": next_page,
                                          "csrf_token": csrf_token(client, next_page)})


def test_english_when_nothing_is_asked(anonymous):
    page = anonymous.get("/login").get_data(as_text=True)
    assert html_tag(page) == '<html lang="en" dir="ltr">'
    assert "<h1>Log in</h1>" in page


@pytest.mark.parametrize("header, lang, heading", [
    ("pl-PL,pl;q=0.9,en;q=0.5", "pl", "Zaloguj"),
    ("uk", "uk", "Увійти"),
    ("ru-RU", "ru", "Войти"),
    ("ar-SY,ar;q=0.8", "ar", "تسجيل الدخول"),
    ("de-DE,fr;q=0.8", "en", "Log in"),  # a language the archive does not speak: English
])
def test_the_browsers_language_when_no_choice_was_made(anonymous, header, lang, heading):
    page = anonymous.get("/login", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'lang="{lang}"' in html_tag(page)
    assert f"<h1>{heading}</h1>" in page


def test_the_switcher_keeps_the_choice_in_a_cookie_before_a_login(anonymous):
    response = choose(anonymous, "uk")
    assert response.status_code == 302 and response.location == "/login"
    assert "lang=uk" in response.headers["Set-Cookie"] and "HttpOnly" in response.headers["Set-Cookie"]
    page = anonymous.get("/login", headers={"Accept-Language": "pl"}).get_data(as_text=True)
    assert 'lang="uk"' in html_tag(page)  # the choice wins over the browser's language
    assert '<option value="uk" lang="uk" selected>Українська</option>' in page


def test_the_switcher_lists_each_language_in_its_own_words(anonymous):
    page = anonymous.get("/login").get_data(as_text=True)
    names = re.findall(r'<option value="(\w+)" lang="\w+"[^>]*>([^<]+)</option>', page)
    assert names == [("en", "English"), ("pl", "Polski"), ("uk", "Українська"), ("ru", "Русский"),
                     ("ar", "العربية")]


@pytest.mark.parametrize("language", ["de", "", "<script>"])
def test_an_unknown_language_is_refused_in_words(anonymous, language):
    response = choose(anonymous, language)
    assert response.status_code == 400
    assert "Choose one of the languages the list offers." in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers or "lang=" not in response.headers["Set-Cookie"]


def test_the_switcher_returns_only_to_a_page_of_this_archive(anonymous):
    response = anonymous.post("/language", data={"language": "pl", "next": "https://evil.example/",
                                                 "csrf_token": csrf_token(anonymous, "/login")})
    assert response.status_code == 302 and response.location == "/"


def test_the_choice_is_kept_on_the_account_and_follows_the_user(app, users, data_dir):
    first = app.test_client()
    log_in(first, "coder")
    assert choose(first, "ru", "/account").location == "/account"
    db = service.open_db(data_dir)
    try:
        assert accounts.user_named(db, "coder")["language"] == "ru"
    finally:
        db.close()
    account = first.get("/account").get_data(as_text=True)
    assert re.search(r'<label for="account-language">Ваш язык</label>', account)
    assert '<option value="ru" lang="ru" selected>Русский</option>' in account
    elsewhere = app.test_client()  # another browser: no cookie, another Accept-Language
    log_in(elsewhere, "coder")
    page = elsewhere.get("/", headers={"Accept-Language": "pl"}).get_data(as_text=True)
    assert 'lang="ru"' in html_tag(page) and "Искать свидетельства" in page


def test_a_wrong_password_is_said_in_the_chosen_language(anonymous, users):
    choose(anonymous, "pl")
    response = post_login(anonymous, "coder", "not the password")
    assert response.status_code == 401
    assert "Błędna nazwa użytkownika lub hasło." in response.get_data(as_text=True)


def test_a_flash_message_is_in_the_users_language(signed_in):
    client, token = signed_in("coder")
    choose(client, "uk", "/account")
    client.post("/account/tokens", data={"label": "notebook", "csrf_token": csrf_token(client, "/account")})
    token_id = re.search(r"/account/tokens/(\d+)/revoke", client.get("/account").get_data(as_text=True)).group(1)
    page = client.post(f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(client, "/account")},
                       follow_redirects=True).get_data(as_text=True)
    assert "Токен відкликано." in page


def test_an_error_page_is_in_the_chosen_language(signed_in):
    client, _ = signed_in("viewer")
    choose(client, "ru", "/")
    response = client.get("/admin/users")
    assert response.status_code == 403
    assert "Ошибка 403" in response.get_data(as_text=True)
    assert "<h1>Недоступно для вашей роли</h1>" in response.get_data(as_text=True)  # its heading too
    response = client.get("/testimonies/T-1999-0404")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert "<h1>Не найдено</h1>" in body and "Not found" not in body


@pytest.fixture
def stated(import_records, users):
    """One English and one Arabic statement, with an incident dated 8 November 2021."""
    report = import_records([record(1, incident_date_from="2021-11-08"),
                             record(2, language="ar", text="ضربونا على الحدود وأخذوا هواتفنا. ثم جاءت الكلاب.",
                                    title="شهادة من الحدود")])
    assert len(report.imported) == 2


def test_arabic_mirrors_the_page_but_statements_keep_their_direction(signed_in, stated):
    client, _ = signed_in("coder")
    choose(client, "ar", "/")
    page = client.get("/testimonies/T-2021-0001").get_data(as_text=True)
    assert html_tag(page) == '<html lang="ar" dir="rtl">'
    assert re.search(r'<div id="statement" class="statement" dir="auto" lang="en"', page)
    arabic = client.get("/testimonies/T-2021-0002").get_data(as_text=True)
    assert re.search(r'<div id="statement" class="statement" dir="auto" lang="ar"', arabic)


def test_dates_and_the_codebook_follow_the_language(signed_in, stated):
    client, _ = signed_in("coder")
    choose(client, "pl", "/")
    page = client.get("/testimonies/T-2021-0001").get_data(as_text=True)
    assert "8 listopada 2021" in page          # the incident's date, by Babel
    assert "Atak psa lub zastraszanie psami" in page  # the codebook's label, in Polish
    search = client.get("/?q=dogs").get_data(as_text=True)
    assert "Rodzaj naruszenia" in search and "Pogryzienie" not in search
    assert "Bicie" in search                     # a facet value in Polish
    assert re.search(r"Wyszukano też jako\s*<span class=\"concept\">“<span dir=\"auto\">dogs</span>” = kod "
                     r"<strong dir=\"auto\">Atak psa lub zastraszanie psami</strong>", search)
    stats = client.get("/stats").get_data(as_text=True)
    assert "listopad 2021" in stats and "November" not in stats  # the month grid and the timeline
    assert "<caption>Rodzaj naruszenia: relacje, zdarzenia i osoby</caption>" in stats


def test_the_codebook_page_shows_each_abuse_type_in_every_language(client):
    page = client.get("/codebook/abuse-types/pushback").get_data(as_text=True)
    for label in ("Push-back", "Push-back (wywózka)", "Видворення (push-back)", "Выдворение (push-back)",
                  "الإعادة القسرية (push-back)"):
        assert f">{label}</strong>" in page
    assert '<strong lang="ar" dir="rtl">' in page


@pytest.fixture
def exported(data_dir, users):
    export_data.populate(data_dir)
    return data_dir


def test_csv_keeps_its_column_keys_and_translates_its_labels(app, exported):
    client = app.test_client()
    token = log_in(client, "lawyer")
    english = downloaded(client, client.post("/export", data={"csrf_token": token, "format": "csv"}))
    choose(client, "pl", "/")
    polish = downloaded(client, client.post("/export", data={"csrf_token": csrf_token(client, "/"),
                                                               "format": "csv"}))
    english_rows = list(csv.DictReader(io.StringIO(english.get_data(as_text=True))))
    polish_rows = list(csv.DictReader(io.StringIO(polish.get_data(as_text=True))))
    assert list(polish_rows[0]) == list(english_rows[0])  # the header: keys for importers and analysis
    assert [r["abuse_types"] for r in polish_rows] == [r["abuse_types"] for r in english_rows]
    labelled = [(e["abuse_type_labels"], p["abuse_type_labels"]) for e, p in zip(english_rows, polish_rows)
                if "Beating" in e["abuse_type_labels"]]
    assert labelled and all("Bicie" in p and "Beating" not in p for _, p in labelled)


@pytest.mark.parametrize("language, contents, label, title", [
    ("pl", "Spis treści", "Bicie", "Wyszukiwanie w archiwum"), ("ar", "المحتويات", "الضرب", "بحث في الأرشيف")])
def test_the_pdf_speaks_the_exporters_language(app, exported, tmp_path, language, contents, label, title):
    """The job that lays out the PDF runs outside the request: it keeps the language it was started in,
    for the furniture (title, running header, "Page x of y"), the codebook's labels and the progress the
    job's page shows."""
    from pypdf import PdfReader

    from tests.web.test_export_jobs import finished, started

    client = app.test_client()
    log_in(client, "lawyer")
    choose(client, language, "/")
    page = started(client, csrf_token(client, "/"))
    ready = finished(client, page)
    assert f'lang="{language}"' in html_tag(ready)
    warnings = ready.split("<ul", 1)[1].split("</ul>", 1)[0]  # "Read before sharing", made by the job
    assert "<li>" in warnings and "others in the archive" not in warnings and "left out:" not in warnings
    response = client.get(page + "/file")
    (tmp_path / "case.pdf").write_bytes(response.get_data())
    response.close()
    reader = PdfReader(tmp_path / "case.pdf")
    text = " ".join(p.extract_text() for p in reader.pages)
    assert contents in text and label in text
    assert "Contents" not in text
    assert reader.metadata.title == title
    for english in ("Page 1 of", "for legal use", "Search of the archive"):
        assert english not in text
    if language == "pl":  # Arabic comes out of the text layer in visual order: its words are checked above
        assert f"Strona 2 z {len(reader.pages)}" in text and "Poufne · do użytku prawnego" in text


def test_the_history_is_told_in_the_readers_language(signed_in, stated):
    """A reviewer reads the testimony's history (archive/coding/history_words.py) in her language, the
    file's name and the coder's words as they were."""
    client, _ = signed_in("reviewer")
    choose(client, "uk", "/")
    page = client.get("/testimonies/T-2021-0001").get_data(as_text=True)
    assert re.search(r"імпортував\(ла\) його з файлу <strong>import-\d+\.json</strong> \(партія \d+\)", page)
    assert "Згода Правове використання, конфіденційність Обмежене" in page  # the values in the form's words too
    assert "imported it from the file" not in page
