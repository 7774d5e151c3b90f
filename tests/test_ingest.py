"""iter_inputs, parse_header and the date helpers. Every text here was written for these tests."""

from __future__ import annotations

import gzip
import io
import json
import logging
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extraction.readers import ingest
from extraction.readers.ingest import date_from_name, iter_inputs, parse_date, parse_header
from extraction.run.settings import Settings
from models.article import Article, Failure

BODY = "Officials said 40 tanks crossed the border on Monday.\n\nThe ministry put losses at 1,200 troops."
LINE = "The governor said 14 people were wounded in the strike on the depot."


def run(*paths: str | Path, **overrides: object) -> list[Article | Failure]:
    return list(iter_inputs([*paths], Settings(**overrides)))  # type: ignore[arg-type]


def write(directory: Path, name: str, content: str | bytes) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def jsonl(*records: object) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


# --- header variants ---------------------------------------------------------------------

GDELT = "2022-04-20T12:45:00Z (GDELT seendate) | country=US | outlet one of: "
TROOPS = "Troops advance near the river"
# fmt: off
HEADERS = {  # name: (text, (title, outlet, published, url))
    "corpus_one_of_three": (
        f"(no headline recorded in source)\n{GDELT}example.com | sample.org | test.net (note)\n\n{BODY}",
        (None, "example.com | sample.org | test.net", date(2022, 4, 20), None)),
    "corpus_one_of_one": (
        f"Tanks cross\n{GDELT}example.pl\n\n{BODY}", ("Tanks cross", "example.pl", date(2022, 4, 20), None)),
    "corpus_one_of_unknown": (
        f"(no headline recorded in source)\n{GDELT}unknown (early query, no domain)\n\n{BODY}",
        (None, None, date(2022, 4, 20), None)),
    "corpus_outlet_key": (
        f"Tanks cross border\n2024-08-15 | outlet=Daily Example | note\n\n{BODY}",
        ("Tanks cross border", "Daily Example", date(2024, 8, 15), None)),
    "corpus_undated_name": (
        f"Firm hires\n2004-2005 (exact date not in dataset) | Example News | category=business\n\n{BODY}",
        ("Firm hires", "Example News", None, None)),
    "corpus_scraped_domain_url": (
        f"Aid plan\nunknown (scraped 2026-02-28) | www.example.org | https://www.example.org/a/b\n\n{BODY}",
        ("Aid plan", "www.example.org", None, "https://www.example.org/a/b")),
    "corpus_url_only": (
        f"Talks end\n2026-02-24 | https://www.example.com/news/talks-end\n\n{BODY}",
        ("Talks end", "example.com", date(2026, 2, 24), "https://www.example.com/news/talks-end")),
    "corpus_name_with_notes": (
        f"Border closed\n2024-07-01 | Example Radio (plain news), English translation (Tool) | bulletin: TV"
        f" | Monday 1 July 2024\n\n{BODY}", ("Border closed", "Example Radio", date(2024, 7, 1), None)),
    "block_outlet_title_timestamp": (
        f"Example Daily\n\n{TROOPS}\n\n2024-11-20 07:00:02\n\n{BODY}",
        (TROOPS, "Example Daily", date(2024, 11, 20), None)),
    "block_without_blank_lines": (
        f"{TROOPS}\nNov 20, 2024 7:00 am\n{BODY}", (TROOPS, None, date(2024, 11, 20), None)),
    "block_byline_and_long_date": (
        f"{TROOPS}\nBy Jane Roe\nPublished 20 November 2024, 07:00 GMT\n\n{BODY}",
        (TROOPS, None, date(2024, 11, 20), None)),
    "block_date_first": (f"2024-11-20\n\n{TROOPS}\n\n{BODY}", (TROOPS, None, date(2024, 11, 20), None)),
    "headline_line": (f"{TROOPS}\n{BODY}", (TROOPS, None, None, None)),
    "headline_with_question": (f"Will it hold?\n\n{BODY}", ("Will it hold?", None, None, None)),
    "no_header": (BODY, (None, None, None, None)),
    "lowercase_first_line": (f"and then the column moved on\n{BODY}", (None, None, None, None)),
    "one_line_only": (TROOPS, (None, None, None, None)),
    "list_first": (f"- 40 tanks crossed\n{BODY}", (None, None, None, None)),
}
# fmt: on


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_ingest_parse_header_variants(name: str) -> None:
    text, expected = HEADERS[name]
    header = parse_header(text)
    assert (header.title, header.outlet, header.published, header.url) == expected
    assert text[header.body_offset :] == header.body
    assert header.body == (text if expected == (None, None, None, None) else BODY)


@pytest.mark.parametrize("name", ["corpus_one_of_three", "block_outlet_title_timestamp", "headline_line"])
def test_ingest_text_file_gets_header_fields_and_body(tmp_path: Path, name: str) -> None:
    text, expected = HEADERS[name]
    path = write(tmp_path, "a.txt", text)
    [article] = run(path)
    assert isinstance(article, Article)
    assert (article.path, article.text) == (str(path), BODY)
    assert (article.title, article.outlet, article.published, article.url) == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("20220420T124500_US_7d015e6984.txt", date(2022, 4, 20)),
        ("F_2026-02-23_example_org_1a2b3c.txt", date(2026, 2, 23)),
        ("20240815_02_Border_closed.txt", date(2024, 8, 15)),
        ("P_nodate_example_org_1a2b3c.txt", None),
        ("story_12345678.txt", None),
        ("x20220420.txt", None),
    ],
)
def test_ingest_date_from_name(name: str, expected: date | None) -> None:
    assert date_from_name(name) == expected


def test_ingest_filename_date_when_header_has_none(tmp_path: Path) -> None:
    [article] = run(write(tmp_path, "20240815_02_Border.txt", "Border closed\n" + BODY))
    assert isinstance(article, Article) and article.published == date(2024, 8, 15)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2022-04-20", date(2022, 4, 20)),
        ("2022-04-20T12:45:00Z", date(2022, 4, 20)),
        ("2022-04-20 12:45:00+03:00", date(2022, 4, 20)),
        ("20220420T124500Z", date(2022, 4, 20)),
        ("20220420", date(2022, 4, 20)),
        ("Wed, 20 Apr 2022 12:45:00 GMT", date(2022, 4, 20)),
        ("April 20, 2022", date(2022, 4, 20)),
        ("20.04.2022", date(2022, 4, 20)),
        (1650458700, date(2022, 4, 20)),
        (1650458700000, date(2022, 4, 20)),
        ("1650458700", date(2022, 4, 20)),
        ("not a date", None),
        ("", None),
        (None, None),
        (True, None),
        ({"y": 2022}, None),
        ("9999-99-99", None),
    ],
)
def test_ingest_parse_date(value: object, expected: date | None) -> None:
    assert parse_date(value) == expected


# --- formats -------------------------------------------------------------------------------


def test_ingest_jsonl_uses_configured_field_names(tmp_path: Path) -> None:
    record = {
        "story": LINE,
        "hed": "Depot hit",
        "when": "2024-05-01T10:00:00Z",
        "pub": "example.com",
        "href": "https://example.com/a",
        "text": "not this field",
    }
    path = write(tmp_path, "dump.jsonl", jsonl(record))
    [article] = run(
        path,
        text_fields=["story"],
        title_fields=["hed"],
        date_fields=["when"],
        outlet_fields=["pub"],
        url_fields=["href"],
    )
    assert isinstance(article, Article)
    assert (article.path, article.text, article.title, article.outlet, article.published, article.url) == (
        f"{path}:1",
        LINE,
        "Depot hit",
        "example.com",
        date(2024, 5, 1),
        "https://example.com/a",
    )


def test_ingest_jsonl_first_present_field_wins(tmp_path: Path) -> None:
    path = write(tmp_path, "dump.jsonl", jsonl({"body": LINE, "content": "second", "headline": "Depot hit"}))
    [article] = run(path)
    assert isinstance(article, Article) and (article.text, article.title) == (LINE, "Depot hit")


FORMATS = {
    "dump.jsonl": lambda: jsonl({"text": LINE}, {"text": BODY}).encode(),
    "dump.ndjson": lambda: jsonl({"text": LINE}, {"text": BODY}).encode(),
    "dump.jsonl.gz": lambda: gzip.compress(jsonl({"text": LINE}, {"text": BODY}).encode()),
    "dump.gz": lambda: gzip.compress(jsonl({"text": LINE}, {"text": BODY}).encode()),
    "list.json": lambda: json.dumps([{"text": LINE}, {"text": BODY}]).encode(),
    "list.json.gz": lambda: gzip.compress(json.dumps([{"text": LINE}, {"text": BODY}]).encode()),
}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_ingest_reads_format(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, name, FORMATS[name]())
    articles = run(path)
    assert [a.path for a in articles] == [f"{path}:1", f"{path}:2"]
    assert [a.text for a in articles if isinstance(a, Article)] == [LINE, BODY]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("one.json", json.dumps({"text": LINE, "title": "Depot hit"}).encode()),
        ("one.txt.gz", gzip.compress(f"Depot hit\n{LINE}".encode(), mtime=0)),  # mtime=0: the same bytes
        ("one.gz", gzip.compress(f"Depot hit\n{LINE}".encode(), mtime=0)),      # (and test id) every run
        ("one.md", f"Depot hit\n{LINE}".encode()),
    ],
)
def test_ingest_reads_single_article(tmp_path: Path, name: str, content: bytes) -> None:
    path = write(tmp_path, name, content)
    [article] = run(path)
    assert isinstance(article, Article)
    assert (article.path, article.title, article.text) == (str(path), "Depot hit", LINE)


@pytest.mark.parametrize("buffered", [True, False])
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("\n  " + jsonl({"text": LINE}, {"text": BODY}), ["-:2", "-:3"]),
        ("Depot hit\n" + LINE, ["-"]),
    ],
)
def test_ingest_stdin(
    monkeypatch: pytest.MonkeyPatch, content: str, expected: list[str], buffered: bool
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(content.encode())) if buffered else io.StringIO(content)
    monkeypatch.setattr(sys, "stdin", stdin)
    articles = run("-")
    assert [a.path for a in articles] == expected
    assert all(isinstance(a, Article) for a in articles)


def test_ingest_walks_directories_sorted_and_skips_hidden(tmp_path: Path) -> None:
    write(tmp_path, "b.txt", LINE)
    write(tmp_path, "a/z.jsonl", jsonl({"text": LINE}))
    write(tmp_path, "a/y.txt", BODY)
    write(tmp_path, "c/deep/er/x.json", json.dumps({"text": LINE}))
    write(tmp_path, ".hidden.txt", LINE)
    write(tmp_path, ".git/HEAD.txt", LINE)
    write(tmp_path, "notes.md", LINE)
    write(tmp_path, "image.png", b"\x89PNG\x00\x00")
    (tmp_path / "link").symlink_to(tmp_path / "a", target_is_directory=True)
    paths = [a.path for a in run(tmp_path)]
    assert paths == [str(tmp_path / p) for p in ("a/y.txt", "a/z.jsonl:1", "b.txt", "c/deep/er/x.json")]


def test_ingest_walks_huge_directory_unsorted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ingest, "_SORT_LIMIT", 3)
    for i in range(7):
        write(tmp_path, f"{i}.txt", f"{LINE} Number {i}.")
    assert sorted(a.path for a in run(tmp_path)) == sorted(str(tmp_path / f"{i}.txt") for i in range(7))


def test_ingest_directory_named_like_a_file_is_walked(tmp_path: Path) -> None:
    write(tmp_path, "x.txt/inner.txt", LINE)
    assert [a.path for a in run(tmp_path / "x.txt")] == [str(tmp_path / "x.txt" / "inner.txt")]


def test_ingest_normalises_line_endings_and_bom(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", b"\xef\xbb\xbfDepot hit\r\n" + BODY.replace("\n", "\r\n").encode())
    [article] = run(path)
    assert isinstance(article, Article) and (article.title, article.text) == ("Depot hit", BODY)


def test_ingest_removes_boilerplate_from_body(tmp_path: Path) -> None:
    page = "Home\nNews\nWorld\nSport\n" + LINE + "\nShare\nFacebook\nEmail\n© 2026 Example Media"
    [article] = run(write(tmp_path, "a.jsonl", jsonl({"text": page})))
    assert isinstance(article, Article) and article.text == LINE


# --- bad input -------------------------------------------------------------------------------

BAD = {
    "empty": ("a.txt", b"", "empty"),
    "whitespace": ("a.txt", b"  \n\t\n  ", "empty"),
    "header_only": ("a.txt", b"Title\n2024-01-01 | example.com\n\n", "empty"),
    "only_furniture": ("a.txt", b"Home\nNews\nWorld\nSport\nShare", "empty"),
    "binary_nul": ("a.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    "binary_controls": ("a.txt", bytes(range(1, 9)) * 20, "binary"),
    "binary_jsonl": ("a.jsonl", b"\x00\x01\x02\x03" * 10, "binary"),
    "invalid_utf8": ("a.txt", b"Troops \x81\x8d\x90 advanced 5 km.\n", "encoding"),
    "mostly_high_bytes": ("a.txt", bytes(range(0xA1, 0xC0)) * 3, "encoding"),
    "json_broken": ("a.json", b'{"text": "unterminated', "json"),
    "json_not_object": ("a.json", b"[1, 2, 3]", "missing_text"),
    "json_without_text": ("a.json", b'{"title": "Depot hit"}', "missing_text"),
    "json_empty_file": ("a.json", b"", "empty"),
    "jsonl_scalar": ("a.jsonl", b"42\n", "json"),
    "jsonl_blank_text": ("a.jsonl", b'{"text": "   "}\n', "empty"),
    "jsonl_deep_nesting": ("a.jsonl", b"[" * 100_000 + b"\n", "json"),
    "gzip_corrupt": ("a.jsonl.gz", b"\x1f\x8b\x08\x00garbage", "unreadable"),
    "gzip_not_gzip": ("a.txt.gz", b"plain text, not gzip", "unreadable"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_ingest_bad_input_becomes_failure(tmp_path: Path, name: str) -> None:
    filename, content, reason = BAD[name]
    path = write(tmp_path, filename, content)
    results = run(path, write(tmp_path, "good.txt", LINE))
    failure, good = results
    assert isinstance(failure, Failure) and isinstance(good, Article)
    assert (failure.path, failure.stage, failure.reason) == (str(path), "ingest", reason)
    where = f"{path}:{failure.line}" if failure.line is not None else str(path)
    assert failure.one_line().startswith(f"{where}: ingest error") and failure.one_line().count(str(path)) == 1
    assert "\n" not in failure.message


def test_ingest_broken_json_line_keeps_lines_around_it(tmp_path: Path) -> None:
    dump = (
        jsonl({"text": LINE}) + '{"text": "broken\n' + "\n" + jsonl({"title": "no text"}, [1], {"text": BODY})
    )
    path = write(tmp_path, "dump.jsonl", dump)
    results = run(path)
    assert [(type(r).__name__, getattr(r, "reason", None)) for r in results] == [
        ("Article", None),
        ("Failure", "json"),
        ("Failure", "missing_text"),
        ("Failure", "json"),
        ("Article", None),
    ]
    assert [r.path for r in results if isinstance(r, Article)] == [f"{path}:1", f"{path}:6"]
    broken = results[1]
    assert isinstance(broken, Failure) and broken.line == 2
    assert broken.one_line().startswith(f"{path}:2: ingest error (json): invalid JSON")


def test_ingest_json_list_items_fail_alone(tmp_path: Path) -> None:
    path = write(tmp_path, "list.json", json.dumps([{"text": LINE}, {"title": "x"}, "text", {"text": BODY}]))
    results = run(path)
    assert [(r.path, getattr(r, "line", None), getattr(r, "reason", None)) for r in results] == [
        (f"{path}:1", None, None),
        (str(path), 2, "missing_text"),
        (str(path), 3, "json"),
        (f"{path}:4", None, None),
    ]


@pytest.mark.parametrize("encoding", ["cp1252", "cp1251"])
def test_ingest_legacy_encoding_is_decoded_with_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, encoding: str
) -> None:
    text = {
        "cp1252": "Café owners said the “new” tax of €5 per day was naïve — and unfair.",
        "cp1251": "Президент заявил, что войска отступили на двадцать километров от границы.",
    }[encoding]
    path = write(tmp_path, "a.txt", text.encode(encoding))
    with caplog.at_level(logging.WARNING, logger="extraction.readers.ingest"):
        [article] = run(path)
    assert isinstance(article, Article) and article.text == text
    assert encoding in caplog.text and str(path) in caplog.text


def test_ingest_utf16_with_bom(tmp_path: Path) -> None:
    [article] = run(write(tmp_path, "a.txt", LINE.encode("utf-16")))
    assert isinstance(article, Article) and article.text == LINE


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a.txt", "Depot hit\n" + "Troops advanced. " * 20),
        ("a.jsonl", jsonl({"text": "Troops advanced. " * 20})),
        ("a.json", json.dumps({"text": "Troops advanced. " * 20})),
    ],
)
def test_ingest_too_long_article(tmp_path: Path, name: str, content: str) -> None:
    path = write(tmp_path, name, content)
    [failure] = run(path, max_article_chars=100)
    assert isinstance(failure, Failure) and failure.reason == "too_large"
    [article] = run(path, max_article_chars=1000)
    assert isinstance(article, Article)


def test_ingest_too_long_jsonl_line_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, "a.jsonl", jsonl({"text": "x" * 5000}, {"text": LINE}))
    results = run(path, max_article_chars=100, max_file_bytes=1000)
    assert [getattr(r, "reason", "article") for r in results] == ["too_large", "article"]
    assert results[0].line == 1  # type: ignore[union-attr]


def test_ingest_too_large_file(tmp_path: Path) -> None:
    [failure] = run(write(tmp_path, "a.txt", LINE * 3), max_file_bytes=50)
    assert (
        isinstance(failure, Failure) and failure.reason == "too_large" and "max_file_bytes" in failure.message
    )


def test_ingest_real_50mb_inputs_fail_fast(tmp_path: Path) -> None:
    big_text = tmp_path / "big.txt"
    with big_text.open("wb") as out:
        out.write(b"Title\n\n")
        for _ in range(50):
            out.write((b"Troops advanced 5 km on Monday. " * 32768)[: 1 << 20])
    big_dump = tmp_path / "big.jsonl"
    with big_dump.open("wb") as out:
        out.write(b'{"text": "')
        for _ in range(50):
            out.write(b"y" * (1 << 20))
        out.write(b'"}\n' + jsonl({"text": LINE}).encode())
    start = time.perf_counter()
    results = run(big_text, big_dump)
    assert [getattr(r, "reason", "article") for r in results] == ["too_large", "too_large", "article"]
    assert time.perf_counter() - start < 5


def test_ingest_unreadable_paths(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(tmp_path / "gone.txt")
    folder = tmp_path / "folder"
    write(folder, "ok.txt", LINE)
    (folder / "vanished.jsonl").symlink_to(tmp_path / "gone.jsonl")
    results = run(missing, dangling, folder)
    assert [(r.path, getattr(r, "reason", None)) for r in results] == [
        (str(missing), "unreadable"),
        (str(dangling), "unreadable"),
        (str(folder / "ok.txt"), None),
        (str(folder / "vanished.jsonl"), "unreadable"),
    ]
    assert "no such file" in results[0].message and "dangling" in results[1].message  # type: ignore[union-attr]



SUFFIXES = [".txt", ".jsonl", ".json", ".gz", ".jsonl.gz", ".md"]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    content=st.one_of(
        st.binary(max_size=3000),
        st.text(max_size=1500).map(str.encode),
        st.lists(
            st.dictionaries(
                st.sampled_from(["text", "title", "date", "url", "x"]),
                st.one_of(st.text(max_size=50), st.integers(), st.none()),
            ),
            max_size=5,
        ).map(lambda rs: jsonl(*rs).encode()),
    ),
    suffix=st.sampled_from(SUFFIXES),
)
def test_ingest_arbitrary_bytes_never_raise(content: bytes, suffix: str) -> None:
    """Any bytes under any name: no exception, and what comes out is well formed and repeatable."""
    fuzz_settings = Settings(max_article_chars=2000, max_file_bytes=20_000)
    with tempfile.TemporaryDirectory() as directory:
        path = write(Path(directory), "input" + suffix, content)
        results = list(iter_inputs([path], fuzz_settings))
        assert results == list(iter_inputs([path], fuzz_settings))  # the same bytes read the same way
        if suffix == ".txt":  # one article a file: one article or one failure, never silence
            assert len(results) == 1
        for result in results:
            assert isinstance(result, Article | Failure)
            assert result.path.startswith(str(path))  # it names its input (and line, in a dump)
            if isinstance(result, Article):
                assert result.text.strip() and len(result.text) <= 2000
            else:
                assert result.stage == "ingest" and result.reason.replace("_", "").isalpha() and result.reason.islower()
                assert "\n" not in result.one_line()


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_ingest_parse_header_body_is_a_suffix(text: str) -> None:
    header = parse_header(text)
    assert text[header.body_offset :] == header.body


def test_ingest_legacy_encoding_in_dump_warns_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    texts = [f"Café number {i} paid €{i}." for i in range(3)]
    dump = "\n".join(json.dumps({"text": t}, ensure_ascii=False) for t in texts)
    path = write(tmp_path, "a.jsonl", dump.encode("cp1252"))
    with caplog.at_level(logging.WARNING, logger="extraction.readers.ingest"):
        articles = run(path)
    assert [a.text for a in articles if isinstance(a, Article)] == texts
    assert len(caplog.records) == 1 and f"{path}:1" in caplog.text


def test_ingest_failure_messages_are_one_line() -> None:
    failure = Failure(path="a.txt", stage="extract", reason="extractor", message="Error\n  detail\n" + "x" * 900)
    assert "\n" not in failure.one_line() and len(failure.message) <= 500
