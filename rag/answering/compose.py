"""Pure: the extractive answerer's Selection -> an Answer. Citations numbered in reading order, the disagreement
opening ("The sources differ: A [1] vs B [2]"), minority reports, quotes shown as they read in an answer, and
the abstention wording. Example: ``compose(question, selection, retrieved, "", 0.5).answer``."""
from __future__ import annotations

from rag.answering.check import MINORITY_SAY, ONE_SOURCE_SAYS, SOURCES_DIFFER
from rag.answering.citations import Numbering
from rag.answering.extractive import Candidate
from rag.readers.claims import strip_markers, support_score
from rag.textspans import displayed as _display
from rag.types import Answer, Citation, Conflict, ConflictValue, Sentence

def compose(question: str, selection, retrieved, notice: str, threshold: float) -> Answer:
    """Turn a Selection into an Answer: number citations in reading order, write the disagreement sentence."""
    numbering = Numbering()

    def marker(cand: Candidate) -> int:
        return numbering.marker_of(citation_of(0, cand))

    sentences: list[Sentence] = []
    conflicts: list[Conflict] = []
    inline: list[str] = []  # how each sentence reads in the answer text, markers included
    if selection.conflict:
        opening, conflict = _disagreement(selection.conflict, selection.conflict_candidates, marker)
        conflicts.append(conflict)
        stated = [side for side in conflict.values]
        # Supported when every value stated really is in a passage cited for it.
        found = sum(1 for side in selection.conflict.sides
                    if any(side.value in selection.conflict_candidates[i].text for i in side.ids))
        support = found / len(selection.conflict.sides)
        all_marks = tuple(dict.fromkeys(m for side in stated for m in side.citations))
        sentences.append(Sentence(strip_markers(opening), all_marks, support, support >= threshold))
        inline.append(opening)
    for group in selection.sentences:
        marks = tuple(dict.fromkeys(marker(c) for c in group))
        head = group[0]
        # Quoted verbatim, so it supports itself fully; the score is still computed, not assumed.
        support = support_score(head.text, head.text, 1.0)
        sentences.append(Sentence(_display(head.text), marks, support, support >= threshold))
        inline.append(_display(head.text) + "".join(f"[{m}]" for m in marks))
    for group in selection.minority:
        marks = tuple(dict.fromkeys(marker(c) for c in group))
        head = group[0]
        text = f"{_minority_opener(len(group))}: “{_display(head.text)}”"
        support = support_score(head.text, head.text, 1.0)
        sentences.append(Sentence(text, marks, support, support >= threshold))
        inline.append(text + "".join(f"[{m}]" for m in marks))
    answer_text = " ".join(inline)
    ordered = tuple(numbering.citations)
    return Answer(question, answer_text, False, ordered, tuple(sentences), (), tuple(conflicts), retrieved,
                  "extractive", notice)


def _minority_opener(files: int) -> str:
    return ONE_SOURCE_SAYS if files == 1 else MINORITY_SAY


def _disagreement(found, candidates, marker) -> tuple[str, Conflict]:
    """The opening sentence (markers inline) and the Conflict of a disagreement: the adopted value(s) side by
    side, each cited; a minority value named as such."""
    sides, parts, minority = [], [], []
    for side in found.sides:
        marks = tuple(dict.fromkeys(marker(candidates[i]) for i in side.ids))
        sides.append(ConflictValue(side.value, marks, tuple(side.sources), side.minority))
        cited = f"{side.value} " + "".join(f"[{m}]" for m in marks)
        (minority if side.minority else parts).append((cited, len(side.sources)))
    text = f"{SOURCES_DIFFER}: " + " vs ".join(p for p, _ in parts)
    if len(parts) > 1 and not found.contradiction:
        text += " (the passages may be about different things)"
    if minority:
        text += "; " + "; ".join(f"{_minority_opener(n).lower()} {p}" for p, n in minority)
    return text + ".", Conflict(found.topic, tuple(sides))


_KIND_WORDS = {"share": "share", "money": "amount of money", "number": "number"}


def abstain_text(missing: list[str], silent: list[str] = (), absent_kind: str = "") -> str:
    """Why the answer is declined, in one sentence, then where the related reading is.
    Example: ``abstain_text([], [], "money")`` -> 'The corpus does not say: the passages about this state no
    amount of money. ...'."""
    if absent_kind:
        return (f"The corpus does not say: the passages about this state no {_KIND_WORDS.get(absent_kind, 'value')}. "
                "The closest passages are listed as related reading, not as support.")
    if silent:
        named = ", ".join(f"“{m}”" for m in silent[:3])
        return (f"The corpus does not say: no indexed article connects {named} with what the question asks "
                "about. The closest passages are listed as related reading, not as support.")
    if missing:
        named = ", ".join(f"“{m}”" for m in missing[:3])
        return (f"The corpus does not say: no indexed article mentions {named}. "
                "The closest passages are listed as related reading, not as support.")
    return ("The corpus does not say. None of the indexed articles answers this question; "
            "the closest passages are listed as related reading, not as support.")


def citation_of(marker: int, cand: Candidate) -> Citation:
    chunk = cand.chunk
    return Citation(marker, chunk.source, chunk.path, cand.start, cand.end, cand.text, chunk.title, chunk.date)

