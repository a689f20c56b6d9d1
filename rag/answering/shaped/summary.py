"""Pure: a summary: several distinct facts about the question's subject from several files, near-duplicates
merged (maximal marginal relevance over the stored sentence vectors), sentences with figures and names
preferred. Example: summing up a film's release, "It took $40m in its first week." and "Critics praised the
score." are both kept; a second file restating the first is a corroborating citation, not a new sentence."""
from __future__ import annotations

from rag.answering.extractive import Candidate
from rag.answering.shaped.common import Block, blocks_of, relative, spread_pick
from rag.names import name_runs
from rag.readers.claims import numbers
from rag.readers.cues import enumerates
from rag.tuning import TUNING


def informative(sentence: str) -> float:
    """How much a sentence states beyond words: figures and multi-word names (0, 0.5 or 1).
    Example: ``informative("Acme Corp sold 40 units.")`` -> 1.0."""
    return 0.5 * bool(numbers(sentence)) + 0.5 * any(" " in name for name, _, _ in name_runs(sentence, 1, parts=True))


def compose_summary(candidates: list[Candidate], k: int = TUNING.summary_sentences) -> list[Block]:
    """Up to ``k`` distinct facts, spread over files, figures and names preferred."""
    rel = relative(candidates)
    value = {id(c): rel[id(c)] + TUNING.figure_bonus * informative(c.text) for c in candidates}
    return blocks_of(spread_pick(candidates, value, k, TUNING.shape_floor,
                                 cover_floor=TUNING.cover_floor), candidates)


def compose_list(candidates: list[Candidate], k: int = TUNING.list_sentences,
                 places: dict[int, float] | None = None) -> list[Block]:
    """Several items: relevant sentences that enumerate (or name) things, spread over files (files are not
    covered first: a "which N" list is usually stated in one passage; see TUNING.cover_floor). ``places``: each
    candidate's place (``relative``) among a larger pool it was taken from, when not among ``candidates``."""
    rel = places or relative(candidates)
    value = {id(c): rel[id(c)] + TUNING.enumeration_bonus * enumerates(c.text)
             + TUNING.figure_bonus * informative(c.text) / 2 for c in candidates}
    return blocks_of(spread_pick(candidates, value, k, TUNING.list_floor), candidates)
