"""The researcher's journey: add a testimony, code its passages with the pickers, edit and remove a
code with a reason, take or leave suggestions, and move the testimony's status forward."""
import re

import pytest
from playwright.sync_api import expect

from archive import store
from tests.browser.journeys import steps
from tests.browser.journeys.steps import log_in, search_from_the_box

pytestmark = pytest.mark.browser

STATEMENTS = {  # language: (statement, the passage the coder codes)
    "en": ("At night the Belarusian soldiers chased us to the fence near Bruzgi. They beat my brother with "
           "batons and took our phones.", "beat my brother with batons"),
    "ru": ("Ночью белорусские солдаты гнали нас к забору. Они избили моего брата дубинками и забрали "
           "телефоны.", "избили моего брата дубинками"),
    "ar": ("في الليل طاردنا الجنود البيلاروسيون إلى السياج. ضربوا أخي بالهراوات وأخذوا هواتفنا.",
           "ضربوا أخي بالهراوات"),
}


def open_testimony(person, reference):
    """Find a testimony through the search box by its reference, and open it."""
    search_from_the_box(person, reference, "the testimony found by its reference")
    person.click_and_arrive(person.page.get_by_role("article").get_by_role("link").first, "the testimony")
    return person


def select_passage(person, phrase):
    """With the mouse, drag over the words; with the keyboard, find them and press Code selection."""
    if person.keyboard:
        person.type_into(person.field("Find a passage"), phrase, enter=True)
        person.activate(person.button("Code selection"))
    else:
        person.select_text(phrase)
    expect(person.page.get_by_role("heading", name="New code")).to_be_visible()


def save_code(person, what="code saved"):
    with person.timed("code save"):
        person.activate(person.button("Save code"))
        person.page.wait_for_selector("#find-status:has-text('Saved'), #code-form-error:not([hidden])")
    return person.arrive(what)


def codes_of(journey_server, reference):
    db = journey_server.db()
    try:
        testimony = store.get_testimony(db, reference)
        return store.codes_of(db, [testimony["id"]]).get(testimony["id"], [])
    finally:
        db.close()


@pytest.mark.parametrize("language", STATEMENTS)
def test_researcher_codes_a_passage_with_the_pickers(person, journey_server, variant, language):
    text, phrase = STATEMENTS[language]
    reference = journey_server.add_testimony(f"{text} ({variant})", language=language)
    coder = log_in(person(), "coder")
    page = coder.page
    open_testimony(coder, reference)
    select_passage(coder, phrase)
    expect(page.locator("#passage-preview")).to_have_text(phrase)
    chosen = steps.chosen(coder, "abuse_type")

    # A word that matches nothing leaves nothing chosen, says so, and Save stores nothing.
    coder.type_into(coder.field("Abuse type"), "xyzzy")
    expect(page.get_by_text("No abuse type matches")).to_be_visible()
    expect(chosen).to_have_text("Chosen: none yet")
    coder.activate(coder.button("Save code"))
    expect(page.locator("#code-form-error")).to_be_visible()
    expect(page.locator(".field-error").filter(has_text="choose an abuse type")).to_be_visible()
    assert codes_of(journey_server, reference) == []

    # "threat" lists Threats before the dog attack that mentions threats; Enter takes it, and says so.
    coder.type_into(coder.field("Abuse type"), "threat")
    options = page.get_by_label("Abuse types").locator("option").all_inner_texts()
    assert options[0] == "Threats"
    page.keyboard.press("Enter")
    expect(chosen).to_have_text("Chosen: Threats")

    # A term in the statement's language finds its type; choosing it replaces the first choice.
    term = {"en": "beaten", "ru": "избили", "ar": "ضرب"}[language]
    coder.type_into(coder.field("Abuse type"), term)
    expect(chosen).to_have_text("Chosen: none yet")  # Threats is not listed for this word
    coder.choose(page.get_by_label("Abuse types"), "Beating")
    expect(chosen).to_have_text("Chosen: Beating")

    coder.choose(coder.field("Perpetrators"), "Soldiers / special forces")
    expect(steps.chosen(coder, "perpetrators")).to_have_text("Chosen: Belarus: Soldiers / special forces")
    coder.type_into(coder.field("Place"), "Брузги")
    coder.type_into(coder.field("Date"), "2021-11-08~")
    expect(page.locator("#date-precision")).to_have_text("Precision: approximate (± 7 days).")
    coder.arrive("the code form, filled in")
    save_code(coder)

    codes = codes_of(journey_server, reference)
    assert [(c["abuse_type"], c["passage_text"], c["place_id"], c["date_text"]) for c in codes] == [
        ("beating", phrase, "bruzgi", "2021-11-08~")]
    assert codes[0]["perpetrators"] == ["by_military_special"]
    listed = page.get_by_role("region", name=re.compile(r"^Codes"))
    expect(listed.get_by_text("Beating", exact=True)).to_be_visible()


SUGGESTED = ("On 8 November 2021 the Belarusian soldiers beat us with batons near Kuźnica. Then the dogs came "
             "and bit my cousin. We were many, twenty people or more.")


def test_researcher_takes_and_leaves_suggestions_edits_removes_and_moves_the_status(person, journey_server, variant):
    reference = journey_server.add_testimony(f"{SUGGESTED} ({variant})")
    coder = log_in(person(), "coder")
    page = coder.page
    open_testimony(coder, reference)
    suggestions = page.get_by_role("region", name=re.compile(r"^Suggestions"))

    # Accept: the code form opens with the sentence and what it says, for the coder to check.
    coder.activate(suggestions.get_by_role("button", name="Accept Beating"))
    expect(page.get_by_role("heading", name="New code, from a suggestion")).to_be_visible()
    sentence = "On 8 November 2021 the Belarusian soldiers beat us with batons near Kuźnica."
    expect(page.locator("#passage-preview")).to_have_text(sentence)
    expect(steps.chosen(coder, "abuse_type")).to_have_text("Chosen: Beating")
    expect(steps.chosen(coder, "perpetrators")).to_have_text("Chosen: Belarus: Soldiers / special forces")
    assert coder.field("Place").input_value() == "Kuźnica"
    assert coder.field("Date").input_value() == "2021-11-08"
    assert coder.field("Perpetrators").evaluate("s => Array.from(s.selectedOptions, o => o.value)") == [
        "by_military_special"]
    coder.arrive("a suggestion opened in the code form")
    save_code(coder, "the suggestion saved as a code")
    [code] = codes_of(journey_server, reference)
    assert (code["abuse_type"], code["passage_text"], code["place_id"], code["date_text"], code["perpetrators"]) == (
        "beating", sentence, "kuznica", "2021-11-08", ["by_military_special"])
    expect(suggestions.get_by_role("button", name="Accept Beating")).to_have_count(0)

    # Dismiss another, with a reason; it can be brought back.
    dog = suggestions.get_by_role("listitem").filter(has_text="Dog attack")
    coder.type_into(dog.get_by_label("Reason (optional)"), "the dogs did not attack him")
    coder.click_and_arrive(dog.get_by_role("button", name=re.compile("^Dismiss")), "a suggestion dismissed")
    expect(page.get_by_role("status").filter(has_text="Dismissed: Dog attack")).to_be_visible()

    # Edit the code with a reason, then remove it with a reason.
    codes = page.get_by_role("region", name=re.compile(r"^Codes"))
    coder.activate(codes.get_by_role("button", name="Edit"))
    expect(page.get_by_role("heading", name="Edit code")).to_be_visible()
    coder.type_into(coder.field("Victims"), "20")
    coder.type_into(coder.field("Why the change"), "the statement says twenty people")
    with coder.timed("code save"):
        coder.activate(coder.button("Save changes"))
        page.wait_for_selector("#find-status:has-text('Saved'), #code-form-error:not([hidden])")
    coder.arrive("the code changed")
    assert codes_of(journey_server, reference)[0]["victims"] == 20

    coder.activate(codes.get_by_text("Remove", exact=True))
    coder.type_into(codes.get_by_label("Why remove it"), "coded twice by mistake")
    coder.click_and_arrive(codes.get_by_role("button", name="Remove code"), "the code removed")
    assert codes_of(journey_server, reference) == []

    # Move the status forward.
    expect(page.locator(".status")).to_have_text("In progress")
    coder.click_and_arrive(coder.button("Mark coded"), "marked coded")
    expect(page.locator(".status")).to_have_text("Coded")



def test_researcher_sees_every_perpetrator_chosen_also_those_scrolled_out_of_the_list(person, journey_server,
                                                                                        variant):
    """The perpetrators' list shows six of its rows: a unit chosen far down it (Frontex) scrolls out of sight
    when another is chosen, and an Edit opens the list at its top. The form names every one chosen."""
    reference = journey_server.add_testimony(
        f"At the fence the militia took our money while a Frontex officer watched ({variant}).")
    coder = open_testimony(log_in(person(), "coder"), reference)
    page = coder.page
    select_passage(coder, "the militia took our money")
    coder.type_into(coder.field("Abuse type"), "extortion")
    page.keyboard.press("Enter")
    expect(steps.chosen(coder, "abuse_type")).to_have_text("Chosen: Extortion and bribery")
    perpetrators = steps.chosen(coder, "perpetrators")
    expect(perpetrators).to_have_text("Chosen: none yet")
    coder.choose(coder.field("Perpetrators"), "Frontex (European Border and Coast Guard Agency)")
    coder.choose(coder.field("Perpetrators"), "Police / militia")  # a plain choice replaces the first
    expect(perpetrators).to_have_text("Chosen: Belarus: Police / militia")
    steps.choose_also(coder, coder.field("Perpetrators"), "Frontex (European Border and Coast Guard Agency)")
    both = "Chosen: Belarus: Police / militia; European Union agency: Frontex (European Border and Coast Guard Agency)"
    expect(perpetrators).to_have_text(both)
    coder.arrive("two perpetrators chosen, far apart in the list")
    save_code(coder)
    assert sorted(codes_of(journey_server, reference)[0]["perpetrators"]) == ["by_police", "eu_frontex"]

    coder.activate(page.get_by_role("region", name=re.compile(r"^Codes")).get_by_role("button", name="Edit"))
    expect(page.get_by_role("heading", name="Edit code")).to_be_visible()
    expect(perpetrators).to_have_text(both)  # Frontex is below the list's visible rows, and still named
    coder.arrive("the code opened for editing, both perpetrators named")

def test_researcher_adds_a_pasted_statement_and_a_word_document(person, variant, tmp_path):
    import docx
    coder = log_in(person(), "coder")
    page = coder.page

    # Pasted text, with the incident as the witness told it.
    coder.click_and_arrive(coder.link("Add a testimony"), "the intake form")
    pasted = f"Они забрали наши телефоны и отвезли нас обратно к границе у Кузницы. ({variant})"
    coder.type_into(coder.field("Title"), "Телефоны отобрали у границы")
    coder.type_into(coder.field("Statement text"), pasted)
    coder.type_into(coder.field("Language"), "ru")
    coder.choose(coder.field("Consent"), "Legal")
    coder.type_into(coder.field("Place"), "Кузница")
    coder.type_into(coder.field("Date"), "2021-11")
    # Two perpetrators far apart in a list of eight rows: the form names both, the one scrolled away too.
    perpetrators = page.locator("#perpetrators-chosen")
    expect(perpetrators).to_have_text("Chosen: none yet")
    coder.choose(coder.field("Perpetrators"), "Poland: Border Guard (Straż Graniczna, SG)")
    steps.choose_also(coder, coder.field("Perpetrators"), "Latvia: State Border Guard")
    expect(perpetrators).to_have_text("Chosen: Poland: Border Guard (Straż Graniczna, SG); Latvia: State Border Guard")
    coder.click_and_arrive(coder.button("Add the testimony"), "the pasted testimony")
    expect(page.get_by_role("status").filter(has_text="Saved as")).to_be_visible()
    assert coder.heading() == "Телефоны отобрали у границы"
    assert page.locator("#statement").text_content() == pasted
    coder.activate(page.get_by_text("Interview, witness and consent"))
    expect(page.get_by_text(re.compile(r"Kuźnica · November 2021"))).to_be_visible()  # the stated incident
    expect(page.get_by_text("Not coded yet.", exact=False)).to_be_visible()  # and no pseudo-code

    # A Word document.
    document = docx.Document()
    document.add_paragraph(f"We crossed near Hrodna in October ({variant}).")
    document.add_paragraph("The guards beat us and sent us back over the wire.")
    path = tmp_path / "statement.docx"
    document.save(path)
    coder.click_and_arrive(coder.link("Add a testimony"), "the intake form again")
    coder.upload(coder.field("…or upload a file"), path)
    coder.choose(coder.field("Consent"), "Legal")
    coder.click_and_arrive(coder.button("Add the testimony"), "the uploaded Word statement")
    expect(page.get_by_role("status").filter(has_text="Saved as")).to_be_visible()
    assert page.locator("#statement").text_content() == (
        f"We crossed near Hrodna in October ({variant}).\nThe guards beat us and sent us back over the wire.")


def test_researcher_gives_the_language_of_a_statement_none_could_be_detected_in(person, journey_server, variant):
    # A Polish statement with an English note of the interviewer's: in two languages, so no guess is made.
    text = ("Straż Graniczna wywiozła nas nocą z powrotem na Białoruś, bili nas pałkami i zabrali nam telefony. "
            f"The interviewer notes that the witness was shaking and asked to stop twice ({variant}).")
    reference = journey_server.add_testimony(text, language=None)
    coder = open_testimony(log_in(person(), "coder"), reference)
    page = coder.page
    coder.activate(page.get_by_text("Interview, witness and consent"))
    expect(page.locator("#language")).to_contain_text("none could be detected")
    coder.choose(coder.field("Correct the language"), "Polish")
    coder.type_into(coder.field("Why this language"), "the witness spoke Polish")
    coder.click_and_arrive(coder.button("Save language"), "the testimony, its language corrected")
    expect(page.get_by_role("status").filter(has_text="Language saved")).to_have_text(
        "Language saved: Polish. The statement is searched and suggested in it from now on.")  # said, not guessed
    coder.activate(page.get_by_text("Interview, witness and consent"))
    expect(page.locator("#language")).to_contain_text("Polish")
    expect(page.locator("#statement")).to_have_attribute("lang", "pl")
    # The reviewer reads the correction in the history in words: the language's name, not its ISO code.
    reviewer = open_testimony(log_in(person(), "reviewer"), reference)
    history = reviewer.page.get_by_role("region", name="History")
    expect(history.get_by_role("listitem").filter(has_text="the witness spoke Polish")).to_contain_text(
        "coder changed the language from none to Polish — “the witness spoke Polish”")


def test_researcher_goes_back_to_the_results_after_changes_made_by_plain_forms(person, journey_server, variant):
    """A search, a result opened, a suggestion dismissed, the language corrected and the status moved: each
    reloads the page, and "← Back to the results" must still lead back to that search."""
    word = f"Vendrasklo{variant}"
    reference = journey_server.add_testimony(f"{SUGGESTED} {word} ({variant})")
    coder = log_in(person(), "coder")
    page = coder.page
    search_from_the_box(coder, word)
    coder.click_and_arrive(page.get_by_role("article").get_by_role("link").first, "the result opened")
    expect(coder.link("← Back to the results")).to_be_visible()

    suggestions = page.get_by_role("region", name=re.compile(r"^Suggestions"))
    dog = suggestions.get_by_role("listitem").filter(has_text="Dog attack")
    coder.click_and_arrive(dog.get_by_role("button", name=re.compile("^Dismiss")), "a suggestion dismissed")
    expect(page.get_by_role("status").filter(has_text="Dismissed: Dog attack")).to_be_visible()
    coder.activate(page.get_by_text("Interview, witness and consent"))
    coder.choose(coder.field("Correct the language"), "English")
    coder.click_and_arrive(coder.button("Save language"), "the language corrected")
    coder.click_and_arrive(coder.button("Mark in progress"), "marked in progress")
    expect(page.locator(".status")).to_have_text("In progress")

    coder.click_and_arrive(coder.link("← Back to the results"), "back at the results")
    assert coder.field("Search testimonies").input_value() == word
    expect(page.get_by_role("article").filter(has_text=reference)).to_be_visible()
