"""The codebook browser: every abuse type and place, with counts limited to what the reader may open."""
import re

import pytest

from tests.factories import record


@pytest.fixture
def coded_archive(import_records):
    """Two restricted testimonies with beatings, a confidential one with a beating and sexual
    violence, and a withdrawn one with a dog attack, at Kuźnica or Bruzgi."""
    import_records([
        record(1, abuse_types=["beating"], location="Kuznitsa"),
        record(2, abuse_types=["beating", "theft"], location="Kuźnica"),
        record(3, abuse_types=["beating", "sexual_violence"], confidentiality="confidential", location="Bruzgi"),
        record(4, abuse_types=["dog_attack"], consent="withdrawn", location="Bruzgi"),
    ])


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def count_of(html, abuse_type):
    """The count shown beside an abuse type in the tree: '3' or '0 / 5'."""
    found = re.search(rf'href="/codebook/abuse-types/{abuse_type}">[^<]*</a>\s*<span class="count"[^>]*>([^<]*)<',
                      html)
    return found.group(1).strip()


def test_the_tree_shows_every_abuse_type_with_its_definition(client, users, login, codebook):
    login(client, "viewer")
    html = page(client, "/codebook")
    for abuse in codebook.abuse_types.values():
        assert f'href="/codebook/abuse-types/{abuse["id"]}"' in html
    assert "Repeated blows with hands, fists, batons" in html
    assert not re.search(r"<script(?![^>]*\ssrc=)", html)  # no inline script (CSP)


@pytest.mark.parametrize("name, beating, sexual_violence, physical_violence", [
    ("viewer", "2", "0", "0 / 2"),     # may not open the confidential one, nor the withdrawn one
    ("lawyer", "3", "1", "0 / 3"),
    ("coder", "3", "1", "0 / 3"),
    ("reviewer", "3", "1", "0 / 4"),   # reviewers handle withdrawals, so they may open them
])
def test_counts_cover_only_testimonies_the_reader_may_open(client, users, login, coded_archive,
                                                           name, beating, sexual_violence, physical_violence):
    login(client, name)
    html = page(client, "/codebook")
    assert count_of(html, "beating") == beating
    assert count_of(html, "sexual_violence") == sexual_violence
    assert count_of(html, "physical_violence") == physical_violence
    places = page(client, "/codebook/places")
    bruzgi = re.search(r'href="/codebook/places/bruzgi">.*?<td class="count">(\d+)<', places, re.S).group(1)
    assert bruzgi == {"viewer": "0", "lawyer": "1", "coder": "1", "reviewer": "2"}[name]


def test_the_filter_works_without_javascript(client, users, login):
    login(client, "viewer")
    html = page(client, "/codebook?q=gaz+pieprzowy")
    listed = re.findall(r'href="/codebook/abuse-types/([a-z_]+)"', html.split('id="abuse-tree"')[1])
    assert listed == ["physical_violence", "pepper_spray"]  # the match, placed under its category
    assert 'class="depth-0 context"' in html
    assert "No abuse type matches" in page(client, "/codebook?q=zzzz")


def test_an_abuse_type_page(client, users, login, coded_archive):
    login(client, "coder")
    html = page(client, "/codebook/abuse-types/beating")
    assert "Repeated blows" in html
    assert 'href="/codebook/abuse-types/physical_violence">Physical violence' in html
    assert "Prohibition of torture and inhuman or degrading treatment" in html  # ECHR Art. 3's title
    assert re.search(r'<dd lang="ar" dir="rtl">.*هراوات', html)
    assert re.search(r'<dd lang="pl" dir="ltr">.*pałka', html)
    assert 'href="/?abuse_type=beating"' in html
    assert re.search(r"<dt>Codes</dt>\s*<dd>3\b", html)
    category = page(client, "/codebook/abuse-types/physical_violence")
    assert 'href="/codebook/abuse-types/dog_attack">Dog attack' in category
    assert "a top-level category" in category


def test_places_with_their_spellings_and_testimonies(client, users, login, coded_archive):
    login(client, "coder")
    listing = page(client, "/codebook/places?q=kuznica")
    assert re.findall(r'href="/codebook/places/([a-z_]+)"', listing) == ["kuznica", "kuznica_bruzgi_crossing"]
    html = page(client, "/codebook/places/kuznica")
    for spelling in ("Kuźnica", "Kuznitsa", "Кузница", "Kuźnica Białostocka"):
        assert spelling in html
    assert "53.51094, 23.64953" in html
    assert re.search(r"<dt>Testimonies</dt>\s*<dd>2 coded here", html)
    assert 'href="/?place=kuznica"' in html


def test_perpetrators(client, users, login, coded_archive):
    login(client, "coder")
    html = page(client, "/codebook/perpetrators")
    assert 'href="/?perpetrator=by_military_special"' in html and 'href="/?perpetrator=smugglers"' in html


@pytest.mark.parametrize("url", ["/codebook/abuse-types/nothing", "/codebook/places/atlantis"])
def test_unknown_ids_are_404(client, users, login, url):
    login(client, "viewer")
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/codebook", "/codebook/abuse-types/beating", "/codebook/places",
                                 "/codebook/places/kuznica", "/codebook/perpetrators"])
def test_anonymous_visitors_are_sent_to_log_in(anonymous, url):
    response = anonymous.get(url)
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]


def test_the_public_view_counts_only_published_testimonies(data_dir, import_records):
    from archive import create_app

    import_records([record(5, abuse_types=["beating"], consent="publication", confidentiality="public"),
                    record(6, abuse_types=["beating"])])  # restricted: not for the public
    public = create_app({"TESTING": True, "DATA": str(data_dir.root), "PUBLIC_VIEW": True}).test_client()
    assert count_of(page(public, "/codebook"), "beating") == "1"
