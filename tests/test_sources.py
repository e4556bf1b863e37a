"""The input readers: every input kind, every bad-input case, the published-date rule.

All texts here are invented for these tests.
"""
from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from frontlines.model import Document, content_id
from frontlines.sources import DEFAULT_MAX_BYTES, InputError, read_inputs

REPORT = (
    "Government forces shelled the villages of Tel Amir and Kafr Sahel overnight, a monitoring "
    "group said, and at least four people were killed when a mortar round hit a house near the "
    "market. The rebels said they had taken two hills overlooking the road to the Kestrel bridge."
)


def read(*paths: str | Path, **kwargs: object) -> list[Document | InputError]:
    return list(read_inputs([str(p) for p in paths], **kwargs))  # type: ignore[arg-type]


def one_document(*paths: str | Path, **kwargs: object) -> Document:
    items = read(*paths, **kwargs)
    assert len(items) == 1, items
    assert isinstance(items[0], Document), items[0]
    return items[0]


def one_error(*paths: str | Path, **kwargs: object) -> InputError:
    items = read(*paths, **kwargs)
    assert len(items) == 1, items
    assert isinstance(items[0], InputError), items[0]
    return items[0]


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


# --- plain text ---------------------------------------------------------------------


def test_text_title_is_first_line_and_stays_in_the_text(tmp_path: Path) -> None:
    f = write(tmp_path / "a.txt", "Rebels seize Kestrel bridge\n\n" + REPORT + "\n")
    doc = one_document(f)
    assert doc.title == "Rebels seize Kestrel bridge"
    assert doc.text.startswith("Rebels seize Kestrel bridge\n\nGovernment forces")
    assert doc.text.endswith("Kestrel bridge.")  # outer whitespace trimmed
    assert doc.origin == str(f)
    assert doc.id == content_id(doc.text)
    assert doc.url is None and doc.outlet is None


@pytest.mark.parametrize(
    "first_lines",
    [
        "Rebels seized the Kestrel bridge on Sunday.\n\n",  # a sentence: ends with a full stop
        "Rebels seize Kestrel bridge\nGovernment forces regrouped.\n\n",  # no blank line after
        "Rebels seize " + "very " * 45 + "bridge\n\n",  # longer than 200 characters
    ],
)
def test_text_without_a_title(tmp_path: Path, first_lines: str) -> None:
    doc = one_document(write(tmp_path / "a.txt", first_lines + REPORT))
    assert doc.title is None
    assert doc.text.startswith(first_lines.split("\n")[0])


def test_markdown_heading_marks_are_not_part_of_the_title(tmp_path: Path) -> None:
    doc = one_document(write(tmp_path / "a.md", "# Siege of Northbridge tightens\n\n" + REPORT))
    assert doc.title == "Siege of Northbridge tightens"
    assert doc.text.startswith("# Siege of Northbridge tightens")


def test_crlf_bom_and_nfc_are_normalised_and_offsets_point_into_the_text(tmp_path: Path) -> None:
    raw = "\ufeffClashes near Kestrel\r\n\r\nFighters entered Sare\u0301 on Monday.\rTwo were killed.\r\n"
    f = tmp_path / "a.txt"
    f.write_bytes(raw.encode("utf-8"))
    doc = one_document(f)
    assert doc.text == "Clashes near Kestrel\n\nFighters entered Saré on Monday.\nTwo were killed."
    assert "\r" not in doc.text and "\ufeff" not in doc.text
    assert doc.title == "Clashes near Kestrel"
    start = doc.text.index("Saré")
    # One code point for é after NFC, so a span of four characters is the whole name.
    assert doc.text[start : start + 4] == "Saré"
    assert doc.text[start + 4] == " "
    # The same content with LF endings is the same document (same content hash).
    g = write(tmp_path / "b.txt", "Clashes near Kestrel\n\nFighters entered Saré on Monday.\nTwo were killed.\n")
    assert one_document(g).id == doc.id


# --- HTML ---------------------------------------------------------------------------

PAGE = """<!doctype html>
<html><head><title>Shelling hits Northbridge market | Valley Herald</title>
<meta property="og:site_name" content="Valley Herald">
<meta property="og:url" content="https://valley.example/og/17">
<link rel="canonical" href="https://valley.example/world/northbridge-market">
<meta property="article:published_time" content="2019-03-04T10:00:00+02:00">
</head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<div class="wrap"><main><article>
<h1>Shelling hits Northbridge market</h1>
<p>Artillery fire struck the central market of Northbridge on Sunday, killing at least six
civilians, local medics said.</p>
<figure><img src="smoke.jpg" alt="smoke"><figcaption>Smoke rises over the Northbridge grain
depot after the strike. <span class="credit">Photo: Staff</span></figcaption></figure>
<p>The Eastern Brigade denied responsibility and blamed government forces for the attack.</p>
<div class="wp-caption"><img src="b.jpg"><p class="wp-caption-text">Displaced families wait
at the Kestrel checkpoint</p></div>
<p>Residents said the shelling continued into the evening as families fled toward the river
crossing, and aid groups warned that food in the besieged district would last ten days.</p>
</article></main>
<aside class="sidebar"><h3>Related</h3><figure><img src="r.jpg"><figcaption>Tanks enter
Westport in an older story</figcaption></figure>
<ul><li><a href="/x">Other story about the war</a></li></ul></aside></div>
<footer>Copyright Valley Herald</footer></body></html>
"""


def test_html_main_text_metadata_and_captions_in_document_order(tmp_path: Path) -> None:
    doc = one_document(write(tmp_path / "page.html", PAGE))
    text = doc.text
    assert doc.title == "Shelling hits Northbridge market"
    assert text.startswith("Shelling hits Northbridge market\n\n")
    assert doc.url == "https://valley.example/world/northbridge-market"  # canonical wins
    assert doc.outlet == "Valley Herald"
    assert (doc.published, doc.published_basis) == (date(2019, 3, 4), "metadata")
    # The figcaption and the caption-classed paragraph are kept, each where it stood.
    caption = "Smoke rises over the Northbridge grain depot after the strike."
    assert caption in text
    assert "Displaced families wait at the Kestrel checkpoint" in text
    assert (
        text.index("killing at least six")
        < text.index(caption)
        < text.index("The Eastern Brigade")
        < text.index("Displaced families")
        < text.index("Residents said")
    )
    # Boilerplate and the sidebar's caption are not.
    assert "Tanks enter" not in text
    assert "Sport" not in text and "Copyright" not in text
    assert "<" not in text
    # Paragraphs are separated by blank lines, so a caption without a full stop
    # cannot run into the next sentence.
    assert "Displaced families wait at the Kestrel checkpoint\n\nResidents said" in text


def test_html_without_metadata_uses_given_then_inferred_date_and_given_outlet(tmp_path: Path) -> None:
    page = (
        "<html><head><title>Clashes near Kestrel</title></head><body><article>"
        "<p>Fighting broke out near Kestrel on July 30, 2016, residents said, and went on the next day.</p>"
        "<p>By 31 July 2016 the rebels held two hills above the road, a commander said by phone.</p>"
        "</article></body></html>"
    )
    f = write(tmp_path / "p.htm", page)
    given = one_document(f, published=date(2016, 8, 2), outlet="Kestrel Times")
    assert (given.published, given.published_basis) == (date(2016, 8, 2), "given")
    assert given.outlet == "Kestrel Times"
    assert given.title == "Clashes near Kestrel"
    assert given.text.startswith("Clashes near Kestrel\n\n")  # the title leads the text
    inferred = one_document(f)
    assert (inferred.published, inferred.published_basis) == (date(2016, 7, 31), "inferred")
    assert inferred.outlet is None


def test_html_metadata_outlet_beats_the_given_one(tmp_path: Path) -> None:
    doc = one_document(write(tmp_path / "page.html", PAGE), outlet="Someone Else")
    assert doc.outlet == "Valley Herald"


def test_html_with_no_main_text_is_an_error(tmp_path: Path) -> None:
    f = write(tmp_path / "menu.html", '<html><body><nav><a href="/">Home</a></nav></body></html>')
    err = one_error(f)
    assert err.origin == str(f)
    assert "no main text" in err.reason


def test_html_declared_legacy_charset_is_decoded(tmp_path: Path) -> None:
    page = (
        '<html><head><meta charset="windows-1252"><title>Caf\xe9 strike</title></head><body><article>'
        "<p>A drone struck the Caf\xe9 Lumi\xe8re near the Kestrel bridge on Sunday, killing two guards.</p>"
        "</article></body></html>"
    )
    f = tmp_path / "legacy.html"
    f.write_bytes(page.encode("cp1252"))
    doc = one_document(f)
    assert "Café Lumière" in doc.text


# --- feeds --------------------------------------------------------------------------

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Frontier Wire</title>
  <id>urn:frontier-wire</id>
  <updated>2020-05-02T12:00:00Z</updated>
  <entry>
    <title>Militia retakes Tel Amir</title>
    <link href="https://wire.example/tel-amir"/>
    <id>urn:1</id>
    <published>2020-05-01T22:30:00-04:00</published>
    <updated>2020-05-02T08:00:00Z</updated>
    <content type="html">&lt;p&gt;A local militia retook &lt;b&gt;Tel Amir&lt;/b&gt; after a night of fighting.&lt;/p&gt;&lt;figure&gt;&lt;img src="x.jpg"&gt;&lt;figcaption&gt;Fighters at the Tel Amir school&lt;/figcaption&gt;&lt;/figure&gt;&lt;p&gt;Three fighters were wounded.&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Convoy reaches Northbridge</title>
    <link href="https://wire.example/convoy"/>
    <id>urn:2</id>
    <updated>2020-05-02T09:15:00Z</updated>
    <summary>An aid convoy of twelve trucks reached besieged Northbridge on Saturday.</summary>
  </entry>
</feed>
"""

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
  <title>Valley Radio</title>
  <link>https://radio.example/</link>
  <description>News from the valley</description>
  <item>
    <title>Bridge closed after shelling</title>
    <link>https://radio.example/bridge</link>
    <pubDate>Sun, 03 Mar 2019 23:30:00 -0500</pubDate>
    <description>&lt;p&gt;The Kestrel bridge was closed after overnight shelling damaged its eastern span.&lt;/p&gt;</description>
  </item>
  <item>
    <title>Empty bulletin</title>
    <link>https://radio.example/empty</link>
    <pubDate>Mon, 04 Mar 2019 08:00:00 +0000</pubDate>
  </item>
  <item>
    <title>Curfew in Westport</title>
    <description>Authorities imposed a curfew in Westport.</description>
  </item>
</channel></rss>
"""


def test_atom_feed_gives_one_document_per_entry(tmp_path: Path) -> None:
    f = write(tmp_path / "wire.atom", ATOM)
    first, second = read(f)
    assert isinstance(first, Document) and isinstance(second, Document)
    assert first.title == "Militia retakes Tel Amir"
    assert first.url == "https://wire.example/tel-amir"
    assert first.outlet == "Frontier Wire"
    # The date as written in its own time zone, not converted to UTC (May 2).
    assert (first.published, first.published_basis) == (date(2020, 5, 1), "metadata")
    assert first.text == (
        "Militia retakes Tel Amir\n\n"
        "A local militia retook Tel Amir after a night of fighting.\n\n"
        "Fighters at the Tel Amir school\n\n"
        "Three fighters were wounded."
    )
    assert first.origin == f"{f}#1"
    assert second.text.startswith("Convoy reaches Northbridge\n\nAn aid convoy of twelve trucks")
    assert second.published == date(2020, 5, 2)  # only <updated>: still the entry's metadata
    assert second.origin == f"{f}#2"


def test_rss_feed_entry_without_text_is_an_error_naming_it(tmp_path: Path) -> None:
    f = write(tmp_path / "radio.rss", RSS)
    items = read(f, published=date(2019, 1, 1), outlet="Ignored Outlet")
    assert [type(i).__name__ for i in items] == ["Document", "InputError", "Document"]
    bridge, empty, curfew = items
    assert isinstance(bridge, Document) and isinstance(curfew, Document)
    assert bridge.text == (
        "Bridge closed after shelling\n\n"
        "The Kestrel bridge was closed after overnight shelling damaged its eastern span."
    )
    assert (bridge.published, bridge.published_basis) == (date(2019, 3, 3), "metadata")
    assert bridge.outlet == "Valley Radio"
    assert str(empty) == f'{f}#2: feed entry 2 "Empty bulletin" has no text (no content or summary)'
    # No date on the third entry: the given one fills in.
    assert (curfew.published, curfew.published_basis) == (date(2019, 1, 1), "given")
    assert curfew.url is None


def test_malformed_feed_is_an_error(tmp_path: Path) -> None:
    f = write(tmp_path / "broken.rss", "<?xml version='1.0'?><rss><channel><title>Half a feed</ti")
    err = one_error(f)
    assert err.origin == str(f)
    assert err.reason.startswith("malformed feed")


# --- JSON Lines ---------------------------------------------------------------------


def test_jsonl_reads_good_lines_and_reports_bad_ones_by_line(tmp_path: Path) -> None:
    lines = [
        '{"text": "Rebels shelled Tel Amir on Monday.", "title": "Tel Amir shelled", '
        '"url": "https://x.example/1", "outlet": "Wire One", "published": "2021-06-07"}',
        '{"text": "Two soldiers were killed near Westport.", "published": "2021-06-08T05:00:00Z"',
        "",
        '{"title": "No text here"}',
        '["not", "an", "object"]',
        '{"text": "A curfew was imposed in Northbridge.", "published": "last week"}',
        '{"text": "Aid reached Kestrel.\\r\\nThe bridge reopened."}',
    ]
    f = write(tmp_path / "dump.jsonl", "\n".join(lines) + "\n")
    items = read(f, outlet="Fallback Outlet")
    assert [type(i).__name__ for i in items] == [
        "Document", "InputError", "InputError", "InputError", "InputError", "Document"
    ]
    good, bad_json, no_text, not_object, bad_date, last = items
    assert isinstance(good, Document) and isinstance(last, Document)
    assert good.text == "Rebels shelled Tel Amir on Monday."
    assert (good.title, good.url, good.outlet) == ("Tel Amir shelled", "https://x.example/1", "Wire One")
    assert (good.published, good.published_basis) == (date(2021, 6, 7), "metadata")
    assert good.origin == f"{f}:1"
    assert str(bad_json).startswith(f"{f}:2: malformed JSON")
    assert str(no_text) == f'{f}:4: no "text" field'
    assert str(not_object) == f"{f}:5: expected a JSON object, got list"
    assert str(bad_date).startswith(f"{f}:6: \"published\" is not a date: 'last week'")
    assert last.text == "Aid reached Kestrel.\nThe bridge reopened."  # CRLF inside JSON too
    assert last.outlet == "Fallback Outlet"
    assert last.origin == f"{f}:7"


def test_pretty_printed_json_is_one_clear_error(tmp_path: Path) -> None:
    f = write(tmp_path / "dump.json", '[\n  {"text": "Rebels shelled Tel Amir."}\n]\n')
    err = one_error(f)
    assert "not JSON Lines" in err.reason


# --- standard input and sniffing ------------------------------------------------------


def test_stdin_text_stream() -> None:
    doc = one_document("-", stdin=io.StringIO("Curfew in Westport\n\n" + REPORT))
    assert doc.origin == "-"
    assert doc.title == "Curfew in Westport"


def test_stdin_bytes_are_sniffed_as_html_feed_or_jsonl() -> None:
    html = one_document("-", stdin=io.BytesIO(PAGE.encode()))
    assert "Smoke rises over the Northbridge grain depot" in html.text
    feed = read("-", stdin=io.BytesIO(ATOM.encode()))
    assert [d.title for d in feed if isinstance(d, Document)] == [
        "Militia retakes Tel Amir", "Convoy reaches Northbridge"
    ]
    jsonl = read("-", stdin=io.BytesIO(b'{"text": "Rebels took Tel Amir."}\n{"text": "Army left Westport."}\n'))
    assert [d.origin for d in jsonl] == ["-:1", "-:2"]


def test_stdin_larger_than_the_limit_is_an_error() -> None:
    err = one_error("-", stdin=io.BytesIO(b"Rebels shelled the town. " * 100), max_bytes=1000)
    assert err.origin == "-"
    assert "larger than the 1000 bytes limit" in err.reason


def test_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    feed = write(tmp_path / "export.dat", RSS)
    assert read(feed)[0].title == "Bridge closed after shelling"  # type: ignore[union-attr]
    plain = write(tmp_path / "NOTES", REPORT)
    assert one_document(plain).text == REPORT
    xml = write(tmp_path / "data.xml", "<?xml version='1.0'?><inventory><item>bread</item></inventory>")
    assert "neither an RSS nor an Atom feed" in one_error(xml).reason


# --- directories, order, missing paths --------------------------------------------------


def test_directory_is_walked_recursively_in_sorted_order_skipping_hidden(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / "b_sub" / "deeper").mkdir(parents=True)
    (root / ".hidden_dir").mkdir()
    write(root / "c.txt", "Report C\n\n" + REPORT)
    write(root / "a.txt", "Report A\n\n" + REPORT)
    write(root / "b_sub" / "deeper" / "d.md", "Report D\n\n" + REPORT)
    write(root / "b_sub" / "b.txt", "Report B\n\n" + REPORT)
    write(root / ".secret.txt", "Hidden\n\n" + REPORT)
    write(root / ".hidden_dir" / "e.txt", "Hidden E\n\n" + REPORT)
    (root / "b_sub" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0\0\0JFIF")
    titles = [d.title for d in read(root)]  # type: ignore[union-attr]
    assert titles == ["Report A", "Report B", "Report D", "Report C"]


def test_empty_directory_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "nothing").mkdir()
    assert "no input files" in one_error(tmp_path / "nothing").reason


def test_bad_inputs_do_not_stop_the_batch_and_order_is_kept(tmp_path: Path) -> None:
    good1 = write(tmp_path / "1.txt", "First report\n\n" + REPORT)
    empty = write(tmp_path / "2.txt", "")
    good2 = write(tmp_path / "3.txt", "Second report\n\n" + REPORT)
    items = read(good1, tmp_path / "missing.txt", empty, good2)
    assert [type(i).__name__ for i in items] == ["Document", "InputError", "InputError", "Document"]
    assert str(items[1]) == f"{tmp_path / 'missing.txt'}: no such file or directory"
    assert [i.origin for i in items] == [str(good1), str(tmp_path / "missing.txt"), str(empty), str(good2)]


# --- bad input ----------------------------------------------------------------------------


def test_empty_and_whitespace_only_files(tmp_path: Path) -> None:
    assert one_error(write(tmp_path / "e.txt", "")).reason == "empty file"
    assert one_error(write(tmp_path / "w.txt", " \n\t\r\n  ")).reason == "empty file (only whitespace)"
    assert "empty" in one_error(write(tmp_path / "w.html", "\n\n")).reason


def test_binary_file(tmp_path: Path) -> None:
    f = tmp_path / "image.txt"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)) * 4)
    assert one_error(f).reason.startswith("binary file")


def test_invalid_utf8_names_the_byte_offset(tmp_path: Path) -> None:
    f = tmp_path / "latin1.txt"
    f.write_bytes("Rebels took Saré on Monday.".encode("utf-8")[:15] + "é and more".encode("latin-1"))
    err = one_error(f)
    assert err.reason.startswith("invalid UTF-8 at byte 15")
    assert str(err) == f"{f}: {err.reason}"


def test_file_larger_than_the_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    f = tmp_path / "huge.txt"
    with f.open("wb") as out:
        out.truncate(50 * 1024 * 1024)  # sparse: 50 MB on paper, nothing written
    err = one_error(f)
    assert err.reason == "file is 50.0 MB, larger than the 512.0 KB limit (max_bytes)"
    assert DEFAULT_MAX_BYTES == 512 * 1024
    small = write(tmp_path / "small.txt", REPORT)
    assert "larger than the 100 bytes limit" in one_error(small, max_bytes=100).reason


FRENCH = (
    "Les rebelles ont pris le contrôle de la ville après trois jours de combats intenses, selon "
    "une source militaire. Au moins douze civils ont été tués dans les bombardements de la nuit "
    "dernière, et des centaines de familles ont fui vers le nord."
)
# English dense with transliterated names: n-gram models tend to call such text non-English.
ENGLISH_WITH_NAMES = (
    "Fighters from Hay'at Tahrir al-Sham and Jaish al-Izza shelled positions near Kafr Nabudah, "
    "al-Habit, Khan Shaykhun and Maarat al-Numan on Tuesday, while army units advanced from "
    "Qalaat al-Madiq toward Tell Sukayk, al-Hamamiyat and Jabal Shashabo, according to the "
    "Syrian Observatory. Deir ez-Zor, al-Mayadin, al-Bukamal, Hajin and al-Shafa were quiet."
)


def test_non_english_text_is_skipped_naming_the_language(tmp_path: Path) -> None:
    err = one_error(write(tmp_path / "fr.txt", FRENCH))
    assert "French (fr)" in err.reason
    assert err.reason.startswith("not English")
    arabic = "سيطر المتمردون على المدينة بعد ثلاثة أيام من القتال العنيف، وفق مصدر عسكري. " * 3
    assert "Arabic (ar)" in one_error(write(tmp_path / "ar.txt", arabic)).reason
    jl = write(tmp_path / "mixed.jsonl", '{"text": "%s"}\n{"text": "%s"}\n' % (FRENCH, REPORT))
    first, second = read(jl)
    assert isinstance(first, InputError) and first.origin == f"{jl}:1" and "French" in first.reason
    assert isinstance(second, Document)


def test_english_with_many_transliterated_names_and_short_texts_are_kept(tmp_path: Path) -> None:
    assert one_document(write(tmp_path / "names.txt", ENGLISH_WITH_NAMES)).text == ENGLISH_WITH_NAMES
    names_only = "Kafr Nabl, Saraqib, Ariha, al-Bara, Kansafra, Maarat Harma, Hass, Kafruma, Hish, Babila."
    assert isinstance(read(write(tmp_path / "list.txt", names_only))[0], Document)
    # Too short to judge: kept, whatever its language.
    assert isinstance(read(write(tmp_path / "short.txt", "Les rebelles ont pris la ville."))[0], Document)


def test_input_error_is_one_line() -> None:
    err = InputError("a.html", "malformed feed: line 1\ncolumn 2")
    assert str(err) == "a.html: malformed feed: line 1 column 2"


# --- the published-date rule ------------------------------------------------------------


def test_published_rule_all_four_cases(tmp_path: Path) -> None:
    dated = "Clashes near Kestrel\n\nFighting began on 29 July 2016 and the town fell on July 31, 2016."
    # 1. metadata wins over the given date and the text.
    jl = write(tmp_path / "m.jsonl", '{"text": "%s", "published": "2016-08-05"}\n' % dated.replace("\n", "\\n"))
    meta = one_document(jl, published=date(2016, 8, 9))
    assert (meta.published, meta.published_basis) == (date(2016, 8, 5), "metadata")
    # 2. no metadata: the given date wins over the text.
    f = write(tmp_path / "d.txt", dated)
    given = one_document(f, published=date(2016, 8, 9))
    assert (given.published, given.published_basis) == (date(2016, 8, 9), "given")
    # 3. nothing given: the LATEST full date in the text (not the last one written).
    later_first = write(tmp_path / "l.txt", "On 2016-08-01 the siege was lifted; it began on July 2, 2016.")
    inferred = one_document(later_first)
    assert (inferred.published, inferred.published_basis) == (date(2016, 8, 1), "inferred")
    assert one_document(f).published == date(2016, 7, 31)
    # 4. no full date anywhere (a month and year is not one): unknown, never today.
    undated = write(tmp_path / "u.txt", "The town fell in July 2016, on a Sunday, after 31 days.")
    unknown = one_document(undated)
    assert (unknown.published, unknown.published_basis) == (None, "unknown")


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Sunday, July 31, 2016", date(2016, 7, 31)),
        ("Jul. 31st 2016", date(2016, 7, 31)),
        ("31 July 2016", date(2016, 7, 31)),
        ("the 31st of July, 2016", date(2016, 7, 31)),
        ("31 Sept 2016 or 30 Sept 2016", date(2016, 9, 30)),  # impossible dates are skipped
        ("posted 2016-07-31T10:00:00Z", date(2016, 7, 31)),
        ("February 30, 2016", None),
        ("in 2016-13-01", None),
    ],
)
def test_inferred_date_formats(tmp_path: Path, written: str, expected: date | None) -> None:
    doc = one_document(write(tmp_path / "a.txt", f"Rebels attacked the convoy ({written})."))
    assert doc.published == expected


def test_english_function_words_overrule_a_confident_wrong_classifier(monkeypatch: pytest.MonkeyPatch) -> None:
    from frontlines.sources import language

    class Confused:
        def classify(self, text: str) -> tuple[str, float]:
            return "bcl", 0.99  # what an n-gram model may say of a page of names

    monkeypatch.setattr(language, "_identifier", lambda: Confused())
    assert language.foreign_language(ENGLISH_WITH_NAMES) is None
    assert language.foreign_language(REPORT) is None
    assert language.foreign_language(FRENCH) == ("bcl", 0.99)  # no English words: trusted


def test_html_fragment_file_and_stdin_fragment(tmp_path: Path) -> None:
    fragment = "<h2>Kestrel</h2><p>Rebels shelled the Kestrel bridge on Sunday, killing two soldiers.</p>"
    doc = one_document(write(tmp_path / "frag.html", fragment))
    assert doc.text == "Kestrel\n\nRebels shelled the Kestrel bridge on Sunday, killing two soldiers."
    assert one_document("-", stdin=io.StringIO(fragment)).text == doc.text  # sniffed as HTML


def test_utf16_with_bom_is_decoded(tmp_path: Path) -> None:
    f = tmp_path / "notepad.txt"
    f.write_bytes("Curfew in Westport\r\n\r\n".encode("utf-16") + "x".encode("utf-16-le"))
    doc = one_document(f)
    assert doc.text == "Curfew in Westport\n\nx"
