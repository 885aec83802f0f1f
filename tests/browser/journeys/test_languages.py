"""The archive in Polish, Ukrainian and Arabic, walked: a reviewer arrives on the English login page,
picks her language in the switcher at its foot, logs in with her password and her phone's code, finds
a testimony from the search box, codes a passage of it through the pickers, and exports the search as
a PDF case summary, reading every label, button and message in her language. In Arabic the page runs
right to left while the English statement keeps its own direction; axe-core checks each page in each
language."""
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.journeys.test_researcher import codes_of
from tests.factories import PASSWORD, phone_code, secret_for

pytestmark = pytest.mark.browser

# What she reads, in each language (archive/translations/<lang>/LC_MESSAGES/messages.po).
WORDS = {
    "pl": {"name": "Polski", "language": "Język interfejsu", "change": "Zmień język", "user": "Nazwa użytkownika",
           "password": "Hasło", "log_in": "Zaloguj", "code": "Kod", "continue": "Dalej",
           "search": "Szukaj relacji", "find": "Znajdź fragment", "code_selection": "Koduj zaznaczenie",
           "new_code": "Nowy kod", "abuse_type": "Rodzaj naruszenia", "term": "pobili", "beating": "Bicie",
           "chosen": "Wybrano: Bicie", "perpetrators": "Sprawcy", "unit": "Żołnierze / siły specjalne",
           "save": "Zapisz kod", "saved": "Zapisano.", "codes": "Kody", "back": "← Wróć do wyników",
           "export_one": "Eksportuj ten wynik", "format": "Format", "pdf": "Podsumowanie sprawy (PDF)",
           "export": "Eksportuj", "ready": "Twój PDF jest gotowy", "download": "Pobierz",
           "pdf_title": "Wyszukiwanie: %s"},
    "uk": {"name": "Українська", "language": "Мова інтерфейсу", "change": "Змінити мову", "user": "Ім'я користувача",
           "password": "Пароль", "log_in": "Увійти", "code": "Код", "continue": "Далі",
           "search": "Шукати свідчення", "find": "Знайти фрагмент", "code_selection": "Кодувати виділене",
           "new_code": "Новий код", "abuse_type": "Вид порушення", "term": "побили", "beating": "Побиття",
           "chosen": "Вибрано: Побиття", "perpetrators": "Порушники", "unit": "Військові / спецпризначенці",
           "save": "Зберегти код", "saved": "Збережено.", "codes": "Коди", "back": "← Назад до результатів",
           "export_one": "Експортувати 1 результат", "format": "Формат", "pdf": "Підсумок справи (PDF)",
           "export": "Експорт", "ready": "Ваш PDF готовий", "download": "Завантажити",
           "pdf_title": "Пошук: %s"},
    "ar": {"name": "العربية", "language": "لغة الواجهة", "change": "تغيير اللغة", "user": "اسم المستخدم",
           "password": "كلمة المرور", "log_in": "تسجيل الدخول", "code": "الرمز", "continue": "متابعة",
           "search": "البحث في الشهادات", "find": "ابحث عن مقطع", "code_selection": "ترميز التحديد",
           "new_code": "رمز جديد", "abuse_type": "نوع الانتهاك", "term": "ضرب", "beating": "الضرب",
           "chosen": "المختار: الضرب", "perpetrators": "الجهات المرتكبة", "unit": "جنود / قوات خاصة",
           "save": "حفظ الرمز", "saved": "حُفظ.", "codes": "الرموز", "back": "العودة إلى النتائج →",
           "export_one": "تصدير هذه النتيجة", "format": "الصيغة", "pdf": "ملخص القضية (PDF)",
           "export": "تصدير", "ready": "ملف PDF الخاص بك جاهز", "download": "تنزيل",
           "pdf_title": "بحث: %s"},
}
PHRASE = "beat my brother with batons"


@pytest.mark.parametrize("language", WORDS)
def test_a_reviewer_works_in_her_language(person, journey_server, variant, language):
    words = WORDS[language]
    reference = journey_server.add_testimony(
        f"At night the soldiers chased us to the fence. They {PHRASE} and took our phones. ({language}, {variant})")
    she = person()
    page = she.page

    # The login page speaks English until she picks her language at its foot.
    she.open_archive("login page")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    she.choose(she.field("Interface language"), words["name"])
    she.click_and_arrive(she.button("Change language"), f"login page in {language}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("html")).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    expect(she.field(words["language"])).to_be_visible()

    # Her password, then the code her phone shows.
    she.type_into(she.field(words["user"]), "reviewer")
    she.type_into(she.field(words["password"]), PASSWORD)
    she.click_and_arrive(she.button(words["log_in"]), f"two-factor code page in {language}")
    she.type_into(she.field(words["code"]), phone_code(secret_for("reviewer")))
    she.click_and_arrive(she.button(words["continue"]), f"search page in {language}")

    # The testimony, found by its reference from the search box.
    started_search = page.url
    with page.expect_navigation():
        she.type_into(she.field(words["search"]), reference, enter=True)
    she.arrive(f"search for a reference in {language}")
    assert page.url != started_search
    she.click_and_arrive(page.get_by_role("article").get_by_role("link").first, f"the testimony in {language}")
    statement = page.locator("#statement")
    expect(statement).to_have_attribute("dir", "auto")
    expect(statement).to_have_attribute("lang", "en")  # the witness's words keep their own direction
    if language == "ar":
        assert statement.evaluate("e => getComputedStyle(e).direction") == "ltr"
        assert page.locator("body").evaluate("e => getComputedStyle(e).direction") == "rtl"

    # A passage coded through the pickers, every word of the form in her language.
    if she.keyboard:
        she.type_into(she.field(words["find"]), PHRASE, enter=True)
        she.activate(she.button(words["code_selection"]))
    else:
        she.select_text(PHRASE)
    expect(page.get_by_role("heading", name=words["new_code"])).to_be_visible()
    she.type_into(she.field(words["abuse_type"]), words["term"])
    she.choose(page.locator("#c-abuse_type"), words["beating"])
    expect(page.locator("#abuse-chosen")).to_have_text(words["chosen"])
    she.choose(she.field(words["perpetrators"]), words["unit"])
    she.arrive(f"the code form in {language}")
    she.activate(she.button(words["save"]))
    expect(page.locator("#find-status")).to_have_text(words["saved"])
    she.arrive(f"code saved in {language}")
    codes = codes_of(journey_server, reference)
    assert [(c["abuse_type"], c["passage_text"], c["perpetrators"]) for c in codes] == [
        ("beating", PHRASE, ["by_military_special"])]
    listed = page.get_by_role("region", name=re.compile(rf"^{re.escape(words['codes'])}"))
    expect(listed.get_by_role("link", name=words["beating"], exact=True)).to_be_visible()

    # Back to the results, and the search exported as a PDF case summary through its job page.
    she.click_and_arrive(she.link(words["back"]), f"back to the results in {language}")
    tools = page.locator(".export-tools")
    she.activate(tools.get_by_text(words["export_one"], exact=True))
    she.choose(tools.get_by_label(words["format"]), words["pdf"])
    she.click_and_arrive(tools.get_by_role("button", name=words["export"], exact=True), f"PDF job in {language}")
    expect(page.get_by_role("heading", name=words["ready"])).to_be_visible(timeout=120_000)
    she.arrive(f"the PDF ready in {language}")
    with page.expect_download() as download:
        she.activate(page.get_by_role("link", name=re.compile(rf"^{re.escape(words['download'])} ")))
    assert download.value.path().read_bytes()[:5] == b"%PDF-"
    # What she hands on is in her language too: its title on every page, its header and its page numbers.
    summary = PdfReader(download.value.path())
    assert summary.metadata.title == words["pdf_title"] % reference
    text = " ".join(sheet.extract_text() for sheet in summary.pages)
    assert "Page 1 of" not in text and "for legal use" not in text and "Search:" not in text
