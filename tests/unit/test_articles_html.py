"""ui/articles.py on tiny inputs: the header's count and dates, the article table (escaped, filtered, asking
before a removal, no Remove when read-only) and the outcome of an upload."""
from __future__ import annotations

from rag.manifest import DocumentEntry
from ui.articles import articles_html, date_range, file_choices, header_html, outcome_html, summary_line


def _doc(source: str, title: str = "", date: str = "", chunks: int = 1) -> DocumentEntry:
    return DocumentEntry(source, f"/corpus/{source}", "sha", [f"c{i}" for i in range(chunks)], title, date)


DOCS = {"a.txt": _doc("a.txt", "Harbour <b>board</b> minutes", "2024-05-02", 3),
        "b.md": _doc("b.md", "Sourdough notes", ""),
        'x"<img src=y onerror=alert(1)>.txt': _doc('x"<img src=y onerror=alert(1)>.txt', "<script>alert(1)</script>",
                                                    "2023-11-30 08:15", 2)}


def test_date_range_and_header_follow_the_documents():
    assert date_range(DOCS) == ("2023-11-30", "2024-05-02")
    assert date_range({"b.md": DOCS["b.md"]}) == ("", "")
    assert "3 articles indexed, dated 2023-11-30 to 2024-05-02" in header_html(DOCS)
    assert "1 article indexed<" in header_html({"b.md": DOCS["b.md"]})
    assert "dated 2024-05-02<" in header_html({"a.txt": DOCS["a.txt"]})
    assert "0 articles indexed" in header_html({})


def test_article_table_escapes_names_and_titles():
    html = articles_html(DOCS)
    assert "<script>" not in html and "<img" not in html and "<b>board" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "Harbour &lt;b&gt;board&lt;/b&gt; minutes" in html
    assert 'data-source="x&quot;&lt;img src=y onerror=alert(1)&gt;.txt"' in html
    assert html.count('data-action="open"') == 3 and html.count('data-action="ask-remove"') == 3
    assert ">3</td>" in html and "2024-05-02" in html


def test_removal_asks_first_and_read_only_offers_none():
    html = articles_html(DOCS, confirm="b.md")
    assert html.count('class="rag-art-confirm"') == 1 and 'data-action="remove" data-source="b.md"' in html
    assert 'data-action="remove"' not in articles_html(DOCS)
    read_only = articles_html(DOCS, confirm="b.md", read_only=True)
    assert "ask-remove" not in read_only and 'data-action="remove"' not in read_only and "Open" in read_only


def test_search_keeps_matching_names_or_titles():
    assert 'data-source="b.md"' in articles_html(DOCS, query="sourDOUGH") and "a.txt" not in articles_html(
        DOCS, query="sourdough")
    assert "No article name or title contains “zebra”" in articles_html(DOCS, query="zebra")
    assert "holds no article" in articles_html({})


def test_outcome_lists_each_file_and_the_ingest_line():
    result = {"added": ["a.txt"], "updated": [], "removed": [], "unchanged": ["b.md"], "renamed": [],
              "skipped": [{"path": "p<.png", "reason": "binary file, not text"}], "chunks": 4, "embedded": 3,
              "seconds": 0.42,
              "files": [{"name": "../a.txt", "status": "added", "source": "a.txt", "reason": ""},
                        {"name": "p<.png", "status": "skipped", "source": "", "reason": "binary file, not text"}]}
    html = outcome_html(result)
    assert '<li class="rag-outcome-added">' in html and "<code>../a.txt</code> → <code>a.txt</code>" in html
    assert "p&lt;.png" in html and "binary file, not text" in html
    assert summary_line(result) == ("1 added, 0 updated, 0 removed, 1 unchanged, 0 renamed, 1 skipped; 4 chunks in "
                                    "the index (3 embedded in 0.4 s)")
    # Chunks the vector index had stranded and the ingest wrote again (ingest.reachability) are said, when any.
    assert summary_line({**result, "relinked": 2}).endswith("(3 embedded in 0.4 s); 2 written again so vector "
                                                            "search finds them")
    assert outcome_html({"error": "a <b>busy</b> index"}).count("&lt;b&gt;busy") == 1
    assert 'data-run="' in html and outcome_html({**result, "seconds": 1.0}) != html  # each run a new value


def test_file_choices_label_by_title_and_name_in_name_order():
    long = _doc("c.txt", "A title " + "x" * 80)
    choices = file_choices({"b.md": DOCS["b.md"], "a.txt": DOCS["a.txt"], "c.txt": long, "d.txt": _doc("d.txt")})
    assert [source for _, source in choices] == ["a.txt", "b.md", "c.txt", "d.txt"]
    assert choices[0][0] == "Harbour <b>board</b> minutes — a.txt"  # escaped where it is shown, not here
    assert choices[2][0].endswith("… — c.txt") and len(choices[2][0]) < 80
    assert choices[3] == ("d.txt", "d.txt")
