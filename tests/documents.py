"""Real upload files made in the test: Word documents through python-docx, PDFs written by hand,
and statements published as PDF reports are, rendered by WeasyPrint."""
import io
from dataclasses import dataclass

import docx


def docx_bytes(paragraphs, table=None):
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table):
            for cell, value in zip(row.cells, values):
                cell.text = value
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes(pages):
    """A PDF with one page per entry: a list of ASCII lines in Helvetica, or None for a page with no
    text layer at all (as a scan is, to a text extractor)."""
    objects = ["<< /Type /Catalog /Pages 2 0 R >>", None, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    kids = []
    for lines in pages:
        stream = "" if lines is None else "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(
            "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '" for line in lines) + " ET"
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
                       f"/Resources << /Font << /F1 3 0 R >> >> /Contents {len(objects)} 0 R >>")
        kids.append(f"{len(objects)} 0 R")
    objects[1] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(kids)} >>"
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    out.write("".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


@dataclass(frozen=True)
class Published:
    """A statement as an NGO publishes one: a heading, the paragraphs, a running header (the report's
    title; "Case BWC-2021-17" beside it) and a footer, which is CSS `content` so it can count pages."""
    language: str
    heading: str
    paragraphs: tuple
    header: str
    footer: str
    font: str = "Noto Serif"
    direction: str = "ltr"


STATEMENTS = {
    "pl": Published("pl", "Zeznanie świadka K.", (
        "Strażnicy graniczni zatrzymali nas w lesie niedaleko Białowieży, w nocy z ósmego na dziewiątego "
        "listopada 2021 roku.",
        "Funkcjonariusze zabrali nam telefony komórkowe i powerbanki, a potem zniszczyli je na naszych oczach.",
        "Mój mąż poprosił o ochronę międzynarodową. Jeden ze strażników uderzył go pałką w głowę, a drugi "
        "krzyczał, żebyśmy wracali na Białoruś.",
        "Wywieźli nas wojskową ciężarówką do ogrodzenia na granicy polsko-białoruskiej. Tam otworzyli bramę i "
        "wypchnęli nas na drugą stronę, razem z dziećmi.",
        "Po białoruskiej stronie czekali żołnierze z psami. Przez cztery dni nie mieliśmy jedzenia ani wody, a "
        "temperatura w nocy spadała poniżej zera.",
        "Nasza najmłodsza córka ma trzy lata. Zachorowała i do dzisiaj ma problemy z oddychaniem.",
        "Białoruscy żołnierze zaprowadzili nas z powrotem do ogrodzenia i kazali przejść przez rzekę. Woda "
        "sięgała mi do pasa.",
        "Po stronie polskiej znowu nas złapano. Tym razem nikt nie pytał o nasze nazwiska; strażnik powiedział "
        "tylko, że to jest push-back i że tak robią ze wszystkimi.",
        "Od tamtej pory byliśmy wypychani na granicy polsko-białoruskiej jeszcze cztery razy.",
        "Chcę, żeby świat wiedział, co się dzieje na tej granicy. Nikt nie powinien tak traktować ludzi "
        "szukających bezpieczeństwa.",
    ), "Grupa Granica — raport o wywózkach", '"Strona " counter(page) " z " counter(pages)'),
    "ru": Published("ru", "Показания свидетеля Р.", (
        "Нас задержали польские пограничники в лесу недалеко от Кузницы восьмого ноября 2021 года, около трёх "
        "часов ночи.",
        "Они забрали наши телефоны и разбили их камнями. Из-за этого мы не могли никому позвонить и сообщить, "
        "где находимся.",
        "Когда мой брат попросил убежища, один из пограничников ударил его дубинкой по спине, а другой натравил "
        "на нас собаку.",
        "Потом нас посадили в военный грузовик и отвезли к забору. Там открыли калитку и вытолкнули нас на "
        "белорусскую сторону, вместе с детьми.",
        "Белорусские солдаты не пускали нас обратно вглубь страны. Четыре дня мы провели в лесу без еды и воды, "
        "ночью было ниже нуля.",
        "Кто-то из нашей группы потерял сознание от холода. Мы несли его на руках, потому что идти он не мог.",
        "На пятый день нас снова задержали на польской стороне. Никто не спрашивал наших имён; пограничник "
        "сказал по-английски, что это пушбэк и что так делают со всеми.",
        "С тех пор нас выталкивали через границу ещё четыре раза, каждый раз ночью и каждый раз из-за забора.",
        "Я хочу, чтобы люди знали, что происходит на этой границе. Так нельзя обращаться с людьми, которые ищут "
        "безопасности.",
    ), "Группа «Граница» — отчёт о выдворениях", '"Страница " counter(page) " из " counter(pages)'),
    "uk": Published("uk", "Свідчення свідка О.", (
        "Польські прикордонники затримали нас у лісі біля Кузниці вночі з восьмого на дев'яте листопада.",
        "Вони забрали наші телефони й розбили їх. Через це ми не могли нікому зателефонувати.",
        "Мій чоловік попросив про міжнародний захист, але один із прикордонників ударив його кийком.",
        "Потім нас вивезли до паркану й виштовхнули на білоруський бік разом із дітьми.",
        "Білоруські солдати не пускали нас углиб країни. П'ять днів ми були в лісі без їжі та води.",
        "Я хочу, щоб люди знали, що відбувається на цьому кордоні.",
        "Наступного разу нас знову затримали на польському боці й знову вивезли до паркану, цього разу вдень.",
        "Тепер ми в центрі для іноземців, але мій чоловік досі не може спати через біль у спині.",
    ), "Група «Кордон» — звіт про видворення", '"Сторінка " counter(page) " з " counter(pages)'),
    "ar": Published("ar", "شهادة الشاهد س", (
        "في الليلة الأولى أوقفنا حرس الحدود البولنديون قرب الغابة وأخذوا هواتفنا وضربوا زوجي بالهراوات أمام "
        "الأطفال.",
        "ثم نقلونا في شاحنة عسكرية إلى السياج وأجبرونا على العبور إلى الجانب البيلاروسي رغم أننا طلبنا اللجوء "
        "مرتين.",
        "كان معنا ١٢ شخصاً بينهم ثلاثة أطفال، وبقينا في الغابة أربعة أيام بلا طعام ولا ماء في البرد الشديد.",
        "في اليوم الخامس أمسكوا بنا مرة أخرى على الجانب البولندي. لم يسألنا أحد عن أسمائنا، وقال أحد الحراس إن "
        "هذا هو القانون وإن علينا أن نعود من حيث جئنا.",
        "حدث ذلك يوم 8 نوفمبر 2021 قرب قرية كوزنيتسا، وكانت درجة الحرارة تحت الصفر.",
        "منذ ذلك الوقت أعدنا عبر الحدود أربع مرات أخرى، وفي كل مرة كان ذلك في الليل.",
        "في المرة الأخيرة كان معنا رجل من المخيم رقم BWC-17، وقال إن عناصر من Frontex كانوا هناك أيضاً.",
        "نحن الآن في مركز استقبال، لكن زوجي ما زال يعاني من آلام في ظهره ولا يستطيع النوم.",
        "أريد أن يعرف العالم ما يحدث على هذه الحدود. لا يجوز أن يعامل الناس الذين يبحثون عن الأمان بهذه "
        "الطريقة.",
    ), "تقرير مجموعة الحدود", '"صفحة " counter(page) " من " counter(pages)', "Noto Naskh Arabic", "rtl"),
}


def statement_pdf(statement, width="5cm", extra_css=""):
    """`statement` (a Published) rendered by WeasyPrint as such reports are: the heading, then the
    paragraphs in a narrow column on A7 pages, so lines wrap and `hyphens: auto` with the document's
    `lang` has pyphen hyphenate them; the header and footer in the page margins."""
    import html

    import weasyprint

    font = f"'{statement.font}'"
    css = f"""
      @page {{ size: A7; margin: 1.6cm 1cm;
        @top-left {{ content: "{statement.header}"; font: 6pt {font} }}
        @top-right {{ content: "Case BWC-2021-17"; font: 6pt {font} }}
        @bottom-center {{ content: {statement.footer}; font: 6pt {font} }} }}
      body {{ font: 9pt/1.35 {font}; hyphens: auto; width: {width}; margin: 0 }}
      h1 {{ font-size: 14pt; margin: 0 0 1em }}
      p {{ margin: 0 0 .6em }}
      {extra_css}"""
    body = f"<h1>{html.escape(statement.heading)}</h1>" + "".join(
        f"<p>{html.escape(paragraph)}</p>" for paragraph in statement.paragraphs)
    document = (f'<html lang="{statement.language}" dir="{statement.direction}"><head><style>{css}</style></head>'
                f"<body>{body}</body></html>")
    return weasyprint.HTML(string=document).write_pdf()
