"""A generated answer to a yes/no question leads with the checked verdict, not the model's own "Yes"/"No".

Why: the test model (a 1.5B local model) opened with the right word for 2 of the 5 yes/no questions of
eval/gold_shapes.jsonl where the extractive answerer's fitted verdict (rag.answering.shaped.verdict: each claim
checked by rag.support against the passages) got 5 (bench.llm, 2026-12-07). So the verdict sentence of the
extractive answer on the same hits leads, cited, and the model's opening word is taken off its sentence; when
the two differed, a notice says so. The verdict is computed after the model's reply, never before its first token.
"""
from __future__ import annotations

from rag.answering.citations import Numbering
from rag.shape_layout import VERDICT
from rag.types import Answer, Sentence

_WORDS = ("yes", "no")


def opening_word(text: str) -> str | None:
    """"yes"/"no" when ``text`` opens with it as a word. Example: ``opening_word("No, the pier was shut.")`` -> 'no';
    ``opening_word("Nobody came.")`` -> None."""
    first = text.split(maxsplit=1)[0] if text.strip() else ""
    word = first.strip(" ,.:;!-").lower()
    return word if word in _WORDS and (len(first) == len(word) or first[len(word)] in ",.:;!-") else None


def without_opening_word(text: str) -> str:
    """``text`` without its opening yes/no (and the punctuation after it), capitalised again; "" when nothing else
    is left. Example: ``without_opening_word("Yes, the ferry ran on time.")`` -> 'The ferry ran on time.'."""
    if opening_word(text) is None:
        return text
    rest = text.split(maxsplit=1)[1] if len(text.split(maxsplit=1)) > 1 else ""
    rest = rest.lstrip(" ,.:;!-")
    return rest[:1].upper() + rest[1:] if any(ch.isalnum() for ch in rest) else ""


def verdict_lead(reference: Answer | None, numbering: Numbering) -> tuple[Sentence | None, str | None]:
    """The reference answer's verdict sentence, its citations in ``numbering`` (extended in place), and its word
    ("yes", "no", or None when the articles do not settle it); (None, None) without one.
    Example: a reference opening "No: the articles state otherwise." [2] -> (that sentence cited [1], 'no')."""
    if reference is None or reference.abstained:
        return None, None
    verdict = next((s for s in reference.sentences if s.label == VERDICT), None)
    if verdict is None:
        return None, None
    by_marker = {c.marker: c for c in reference.citations}
    cites = tuple(numbering.marker_of(by_marker[m]) for m in verdict.citations if m in by_marker)
    return Sentence(verdict.text, cites, verdict.support, verdict.supported, VERDICT), opening_word(verdict.text)


def disagreement_notice(model_word: str | None, checked_word: str | None) -> str:
    """One line when the model's own yes/no differed from the checked verdict ("" when they agree or the model
    gave none). Example: ``disagreement_notice("yes", None)`` -> 'The model answered "Yes"; ... does not settle
    it, so the model's word was left out.'"""
    if model_word is None or model_word == checked_word:
        return ""
    said = model_word.capitalize()
    if checked_word is None:
        return f'The model answered "{said}"; the evidence checked against the articles does not settle it, so ' \
               "the model's word was left out."
    return f'The model answered "{said}"; the evidence checked against the articles says ' \
           f'"{checked_word.capitalize()}", which leads the answer.'
