"""Pure: HTML of the Articles panel (the indexed articles, the outcome of an upload or a removal) and of the
header that counts them. Every name, title and reason is escaped."""
from __future__ import annotations

import hashlib
import json

from ui.render import esc, squash

LIST_LIMIT = 400  # rows shown; a longer corpus is narrowed with the panel's search box
_STATUS = {"added": ("Added", "rag-ok"), "updated": ("Updated", "rag-ok"), "unchanged": ("Unchanged", "rag-same"),
           "skipped": ("Skipped", "rag-skip"), "removed": ("Removed", "rag-ok")}


def date_range(documents: dict) -> tuple[str, str]:
    """Earliest and latest ISO date among the documents (``("", "")`` when none is dated).

    Example: ``date_range({"a": Doc(date="2025-04-04"), "b": Doc(date="")})`` -> ('2025-04-04', '2025-04-04').
    """
    dates = sorted(d.date[:10] for d in documents.values() if (d.date or "")[:4].isdigit())
    return (dates[0], dates[-1]) if dates else ("", "")


def file_choices(documents: dict) -> list[tuple[str, str]]:
    """(label, source) pairs for the file filter, in name order: title and file name.

    Example: ``file_choices({"a.txt": DocumentEntry("a.txt", "/c/a.txt", "ab12", [], "Port fees")})``
    -> [("Port fees — a.txt", "a.txt")].
    """
    out = []
    for source, doc in sorted(documents.items()):
        title = squash(doc.title or "")
        out.append((f"{title[:60]}{'…' if len(title) > 60 else ''} — {source}" if title else source, source))
    return out


def header_html(documents: dict) -> str:
    """The page title and what the index holds: how many articles, from when to when.

    Example: 2 articles dated 2025 and 2026 -> '<h1>...</h1><p>2 articles indexed, dated 2025-04-04 to 2026-01-06 · ...'.
    """
    n = len(documents)
    first, last = date_range(documents)
    dated = (f", dated {first}" + (f" to {last}" if last != first else "")) if first else ""
    return (f'<h1>News research assistant</h1><p><span id="rag-count">{n} article{"s" if n != 1 else ""} indexed'
            f'{dated}</span> · each sentence cites the passage behind it: hover or click a numbered marker to '
            f'read it</p>')


def _button(action: str, source: str, label: str, cls: str = "") -> str:
    return (f'<button type="button" class="rag-art-act {cls}" data-action="{action}" data-source="{esc(source)}">'
            f'{label}</button>')


def articles_html(documents: dict, confirm: str = "", query: str = "", read_only: bool = False) -> str:
    """The table of indexed articles: file name, title, date, chunks; Open, and Remove (asking first when
    ``confirm`` names the article). ``query`` keeps the rows whose name or title contains it.

    Example: ``articles_html({})`` -> a note that the index holds no article.
    """
    needle = squash(query).lower()
    rows = [d for _, d in sorted(documents.items())
            if not needle or needle in d.source.lower() or needle in (d.title or "").lower()]
    if not documents:
        return '<div class="rag-articles-empty">The index holds no article yet: add some above.</div>'
    if not rows:
        return f'<div class="rag-articles-empty">No article name or title contains “{esc(query)}”.</div>'
    body = []
    for d in rows[:LIST_LIMIT]:
        actions = _button("open", d.source, "Open")
        if not read_only:
            actions += _button("ask-remove", d.source, "Remove", "rag-art-danger")
        cells = (f'<td class="rag-art-name"><code>{esc(d.source)}</code></td>'
                 f'<td class="rag-art-title"><div>{esc(squash(d.title or ""))}</div></td>'
                 f'<td class="rag-art-date">{esc(d.date or "")}</td><td class="rag-art-chunks">{len(d.chunk_ids)}</td>'
                 f'<td class="rag-art-actions">{actions}</td>')
        body.append(f'<tr data-source="{esc(d.source)}">{cells}</tr>')
        if d.source == confirm and not read_only:
            body.append(f'<tr class="rag-art-confirm"><td colspan="5" role="alert">Remove <b>{esc(d.source)}</b>? '
                        f'The file is deleted from the corpus folder and its passages leave the index. '
                        f'{_button("remove", d.source, "Yes, remove it", "rag-art-danger")}'
                        f'{_button("cancel", d.source, "Cancel")}</td></tr>')
    more = (f'<p class="rag-muted">Showing {LIST_LIMIT} of {len(rows):,}: narrow the list with the search box.</p>'
            if len(rows) > LIST_LIMIT else "")
    return (f'<div class="rag-articles"><table class="rag-art-table"><thead><tr><th>File</th><th>Title</th>'
            f'<th>Date</th><th>Chunks</th><th></th></tr></thead><tbody>{"".join(body)}</tbody></table>{more}</div>')


def summary_line(result: dict) -> str:
    """The `rag ingest` summary line for a summary object. Example: '1 added, 0 updated, ... (3 embedded in 0.9 s)'."""
    from dataclasses import fields

    from rag.types import IngestReport

    known = {f.name for f in fields(IngestReport)}  # the CLI's own line, from the fields the summary object has
    report = IngestReport(**{k: v for k, v in result.items() if k in known and v is not None})
    report.seconds = float(report.seconds)
    return report.summary_line()


def outcome_html(result: dict) -> str:
    """What an upload or a removal did, file by file, then the ingest's summary line; or its one-line error.

    Example: ``outcome_html({"error": "index busy"})`` -> '<div class="rag-outcome rag-error" role="alert">...'.
    """
    run = hashlib.sha1(json.dumps(result, sort_keys=True, default=str).encode()).hexdigest()[:12]  # a new run, a new value
    if "error" in result:
        return f'<div class="rag-outcome rag-error" role="alert" data-run="{run}">{esc(result["error"])}</div>'
    rows = []
    for f in result.get("files", []):
        label, cls = _STATUS.get(f["status"], (f["status"], "rag-same"))
        saved = f' → <code>{esc(f["source"])}</code>' if f.get("source") and f["source"] != f["name"] else ""
        note = f'<div class="rag-outcome-why">{esc(f["reason"])}</div>' if f.get("reason") else ""
        rows.append(f'<li class="rag-outcome-{esc(f["status"])}"><span class="rag-status {cls}">{label}</span> '
                    f'<code>{esc(f["name"])}</code>{saved}{note}</li>')
    return (f'<div class="rag-outcome" role="status" data-run="{run}"><ul>{"".join(rows)}</ul>'
            f'<p class="rag-muted">{esc(summary_line(result))}</p></div>')
