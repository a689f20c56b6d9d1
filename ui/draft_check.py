"""The "Check a draft" box: a pasted draft checked sentence by sentence against the corpus (rag.drafts), shown
as escaped HTML: each sentence's status, score and the exact quote of the passage behind it."""
from __future__ import annotations

from html import escape as esc

from rag.drafts import check_draft

MAX_DRAFT_CHARS = 20_000
_BADGES = {"supported": "rag-badge", "unsupported": "rag-badge rag-badge-warn",
           "contradicted": "rag-badge rag-badge-warn"}


def draft_html(rows) -> str:
    """Markup for checked sentences (rag.drafts.CheckedSentence); every text escaped.

    Example: ``draft_html([CheckedSentence("A <b>.", "unsupported", 0.1)])`` shows ``A &lt;b&gt;.``.
    """
    if not rows:
        return '<p class="rag-muted">Paste a draft above and press Check.</p>'
    items = []
    for row in rows:
        quote = ""
        for c in row.citations:
            quote += (f'<blockquote class="rag-draft-quote">{esc(" ".join(c.quote.split()))}'
                      f'<br><span class="rag-muted">{esc(c.source)} {c.start}-{c.end}</span></blockquote>')
        items.append(f'<li class="rag-draft-{row.status}"><span class="{_BADGES[row.status]}">{row.status}</span> '
                     f'<span class="rag-muted">{row.score:.2f}</span> {esc(row.text)}{quote}</li>')
    return f'<ol class="rag-draft">{"".join(items)}</ol>'


def check_text(draft: str, assistant) -> str:
    """Check a pasted draft against ``assistant``'s index; a message instead when there is nothing to check."""
    draft = str(draft or "")[:MAX_DRAFT_CHARS]
    if not any(ch.isalnum() for ch in draft):
        return '<p class="rag-muted">The draft is empty: paste sentences to check.</p>'
    assistant.refresh()
    return draft_html(check_draft(draft, assistant.retrieval, assistant.embedder, assistant.settings))
