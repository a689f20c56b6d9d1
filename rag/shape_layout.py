"""Pure: how a shaped Answer is laid out for a reader, shared by the chat (ui/render.py) and the memo
(rag/memo.py): a timeline as dated entries, a comparison as one block per source, a yes/no answer with its
verdict first. Other shapes, and answers whose sentences carry no labels (an answerer that does not shape),
have no layout: they are shown as running text."""
from __future__ import annotations

import calendar
from dataclasses import dataclass

from rag.language import MONTHS
from rag.types import Answer, Citation, Sentence

VERDICT = "verdict"  # Sentence.label of a yes/no answer's opening sentence
QUOTED = "quoted"  # Sentence.label of a quote under a generated answer (rag.answering.llm_quotes)
QUOTED_HEADING = "From the articles"


@dataclass(frozen=True)
class Group:
    """Sentences shown under one label: a date (timeline), a source file (comparison) or the verdict."""

    label: str
    sentences: tuple[Sentence, ...]


@dataclass(frozen=True)
class Layout:
    """A shaped answer as intro sentences, labelled groups in reading order, then the rest (outro)."""

    shape: str
    intro: tuple[Sentence, ...]
    groups: tuple[Group, ...]
    outro: tuple[Sentence, ...]


def layout(answer: Answer) -> Layout | None:
    """The layout of a shaped answer, or None when it reads as running text.

    Example: a "timeline" answer with sentences labelled "2024-05-01", "2024-06" -> two dated groups.
    """
    sentences = tuple(answer.sentences)
    if answer.abstained or not sentences:
        return None
    if any(s.label == QUOTED for s in sentences):
        # A generated answer, then the quotes it rests on under their own heading.
        return Layout(QUOTED, tuple(s for s in sentences if s.label != QUOTED),
                      (Group(QUOTED, tuple(s for s in sentences if s.label == QUOTED)),), ())
    if answer.shape == "yesno":
        verdict = tuple(s for s in sentences if s.label == VERDICT)
        if not verdict:
            return None
        # The verdict leads even if the answerer put evidence first; the evidence keeps its order below it.
        return Layout("yesno", (), (Group(VERDICT, verdict),), tuple(s for s in sentences if s.label != VERDICT))
    if answer.shape not in ("timeline", "comparison") or not any(s.label for s in sentences):
        return None
    first = next(i for i, s in enumerate(sentences) if s.label)
    intro = sentences[:first]
    labelled = [s for s in sentences[first:] if s.label]
    outro = tuple(s for s in sentences[first:] if not s.label)
    if answer.shape == "timeline":
        groups = _runs(labelled)  # the answerer orders events; a date repeated later stays where it was put
    else:
        groups = _by_label(labelled)  # one block per source, even when the answerer interleaves them
    return Layout(answer.shape, intro, groups, outro)


def _runs(sentences: list[Sentence]) -> tuple[Group, ...]:
    """Consecutive sentences with the same label, as groups. Example: labels a, a, b, a -> [a a], [b], [a]."""
    groups: list[Group] = []
    for s in sentences:
        if groups and groups[-1].label == s.label:
            groups[-1] = Group(s.label, groups[-1].sentences + (s,))
        else:
            groups.append(Group(s.label, (s,)))
    return tuple(groups)


def _by_label(sentences: list[Sentence]) -> tuple[Group, ...]:
    """Sentences grouped by label, groups in order of first appearance. Example: a, b, a -> [a a], [b]."""
    order: dict[str, list[Sentence]] = {}
    for s in sentences:
        order.setdefault(s.label, []).append(s)
    return tuple(Group(label, tuple(group)) for label, group in order.items())


def source_citation(answer: Answer, source: str) -> Citation | None:
    """The first citation of ``source`` in the answer (its title and date head a comparison block), or None.

    Example: ``source_citation(answer, "b.txt").title`` -> the title the citation of b.txt carries.
    """
    return next((c for c in answer.citations if c.source == source), None)


# English names whatever the process locale (calendar.month_name follows LC_TIME).
_MONTHS = tuple(m.capitalize() for m in list(MONTHS)[:12])


def date_words(label: str) -> str:
    """An ISO date or partial date in words; anything else unchanged.

    Example: ``date_words("2024-05-07")`` -> '7 May 2024'; ``date_words("2024-05")`` -> 'May 2024'.
    """
    parts = label.strip().split("-")
    if len(parts) > 3 or [len(p) for p in parts] != [4, 2, 2][:len(parts)] or not all(p.isdecimal() for p in parts):
        return label
    year, month, day = parts + [""] * (3 - len(parts))
    if not month:
        return year
    if not 1 <= int(month) <= 12:
        return label
    name = _MONTHS[int(month) - 1]
    if not day:
        return f"{name} {year}"
    if not 1 <= int(day) <= calendar.monthrange(int(year), int(month))[1]:
        return label
    return f"{int(day)} {name} {year}"
