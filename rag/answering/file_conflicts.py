"""From the extractive answerer's candidate sentences to a disagreement: each file's passage answering what is
asked (stating a value of the asked kind, the one that says what is asked), the other passages that corroborate a
side, then ``conflicts.find_disagreement`` on them; and the answer's sentences without a minority's words.
Example: two files' best sentences "Profit was $4m." and "Profit was $5m." -> a Disagreement with two sides.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from rag.answering.categories import category_value
from rag.answering.conflicts import Disagreement, Passage, find_disagreement
from rag.readers.question_kind import FIGURE_KINDS, KINDS, NAME_KINDS, QUANTITY_KINDS, asked_kind, asked_predicate
from rag.readers.values import Value, same_value, values
from rag.textspans import TOKEN, content_terms
from rag.tuning import TUNING

if TYPE_CHECKING:
    from rag.answering.candidates import Candidate



def following_answer(question: str, chosen: list[list[Candidate]], conflict: Disagreement | None,
                      by_id: dict) -> list[list[Candidate]]:
    """Only sentences that do not state the minority's value: a detected disagreement reports it in its own
    words. (Other figures stay: several readings of one name each have their own.)"""
    return without_minority(chosen, conflict, by_id) if conflict else chosen


def other_values(question: str, chosen: list[list[Candidate]], conflict: Disagreement | None,
                 by_id: dict, similarity=None) -> tuple[list[list[Candidate]], list[list[Candidate]]]:
    """(kept, reported): beside a disagreement on a figure or a name, a further sentence from a file no adopted
    side cites that states yet another value of the asked kind is not adopted either: it is reported as what
    one source says, like a minority. Sentences of the adopted files, and ones stating an adopted value, stay.
    Example: adopted 1902 (files a, b); "The courthouse was built in 1885." of file c -> reported."""
    kind = asked_kind(question)
    if conflict is None or kind not in FIGURE_KINDS + NAME_KINDS + ("category",) or \
            kind == "category" and similarity is None:
        return chosen, []
    adopted = [v for side in conflict.majority for v in values(side.value, kind, question)] if kind != "category" \
        else [Value("category", side.value.casefold().rstrip("s"), side.value, 0, 0) for side in conflict.majority]
    adopted_sources = {s for side in conflict.majority for s in side.sources}
    heads = {id(by_id[i]) for side in conflict.sides for i in side.ids}
    kept, reported = [], []
    for group in chosen:
        head = group[0]
        stated = values(head.text, kind, question) if kind != "category" else \
            [v for v in [category_value(head.text, question, similarity)] if v is not None]
        if id(head) in heads or head.chunk.source in adopted_sources or not stated or \
                any(same_value(v, a) for v in stated for a in adopted):
            kept.append(group)
        else:
            reported.append(group)
    return kept, reported


def chosen_conflict(question: str, chosen: list[list[Candidate]]) -> tuple[Disagreement | None, dict]:
    """The answer's own sentences, from different files, stating different figures of the asked kind: a
    disagreement the answer would otherwise state without saying so (each sentence answers nearly as well as
    the best, so none is dismissed as being about something else)."""
    if asked_kind(question) not in FIGURE_KINDS or len({g[0].chunk.source for g in chosen}) < 2:
        return None, {}
    # Only sentences that say what is asked (a word of the question besides its names: "born", "built"): a date
    # in a list or an aside beside the subject's name is about something else.
    asked = set(content_terms(" ".join(w for w in TOKEN.findall(question) if not w[:1].isupper())))
    heads = [g[0] for g in chosen if asked & set(content_terms(g[0].text))]
    if len({c.chunk.source for c in heads}) < 2:
        return None, {}
    found = find_disagreement(question, [Passage(i, c.chunk.source, c.text, i, c.relevance)
                                         for i, c in enumerate(heads)])
    return (found, dict(enumerate(heads))) if found else (None, {})


def without_minority(chosen: list[list[Candidate]], conflict: Disagreement,
                      by_id: dict) -> list[list[Candidate]]:
    """The answer's sentences without the minority's words: a sentence stating a minority value (and no adopted
    one) is left to the minority report, and a minority file does not corroborate an adopted sentence."""
    majority = [side.value.casefold() for side in conflict.majority]
    minority = [side.value.casefold() for side in conflict.sides if side.minority]
    majority_sources = {s for side in conflict.majority for s in side.sources}
    minority_only = {s for side in conflict.sides if side.minority for s in side.sources} - majority_sources
    heads = {id(by_id[side.ids[0]]) for side in conflict.majority}
    kept = []
    for group in chosen:
        text = group[0].text.casefold()
        if id(group[0]) not in heads and any(v in text for v in minority) and not any(v in text for v in majority):
            continue
        kept.append([group[0]] + [c for c in group[1:] if c.chunk.source not in minority_only])
    return kept


MAX_FILES = 8
FILE_ALTERNATIVES = 3  # a file's answering sentences holding a value, read to choose the one saying what is asked
# Organisations keep the best-scoring sentence: on the seeds the choice added a spurious side to a "which company"
# question (citation precision 0.871 -> 0.869), for one RAMDocs item more. Dates are chosen by what is asked
# ("built", "died"): a file's best-scoring dated sentence is often another event of the same subject (RAMDocs
# dev +1 exact match, seeds and MultiHop unchanged).
CHOSEN_BY_PREDICATE = tuple(k for k in KINDS if k not in QUANTITY_KINDS and k != "organisation")


def says_asked(question: str):
    """Sort key of a file's answering sentences: how many words of what is asked (the question without its
    names: "directed", "album", "published") it shares by stem, then its relevance. Example: for "Who is the
    director of X?", "X is a film directed by Ann Lee." ranks above "X opened in cinemas in May."."""
    asked = {t[:5] for t in content_terms(asked_predicate(question))}

    def key(cand: Candidate) -> tuple:
        return (len(asked & {t[:5] for t in content_terms(cand.text)}), cand.relevance)

    return key


def _picked(group: list[Candidate], kind: str, question: str, similarity) -> Candidate:
    """A file's answering passage: the best-scoring one, or (people, places, categories) the one saying most of
    what is asked; for a category, the first of those that names one (a file's top sentence may name the
    subject, "an English former footballer", and its next the asked position, "A defender, he...")."""
    if kind not in CHOSEN_BY_PREDICATE:
        return group[0]
    ordered = sorted(group, key=says_asked(question), reverse=True)
    if kind == "category" and similarity is not None:
        return next((c for c in ordered if category_value(c.text, question, similarity)), ordered[0])
    return ordered[0]


def file_conflict(question: str, pooled: list[Candidate], best: float, relevance=None,
              similarity=None) -> tuple[Disagreement | None, dict]:
    """Each file's best answering passage (one stating a value of the kind asked for, when the question asks
    for one), then the disagreement among them."""
    kind = asked_kind(question)
    if kind is None:
        return None, {}
    alternatives: dict[str, list[Candidate]] = {}
    top_cosine = max(c.cosine for c in pooled)
    for cand in pooled:
        if cand.chunk.source not in alternatives and len(alternatives) >= MAX_FILES:
            continue
        if len(alternatives.get(cand.chunk.source, ())) >= FILE_ALTERNATIVES or (
                cand.relevance < best * TUNING.answering_share and cand.cosine < top_cosine * TUNING.answering_share):
            continue
        if kind in NAME_KINDS and cand.relevance < best * TUNING.name_answering_share:
            continue  # every passage names someone or somewhere: only those answering nearly as well count
        if kind == "category" or values(cand.text, kind, question):
            alternatives.setdefault(cand.chunk.source, []).append(cand)
    considered = {id(c) for group in alternatives.values() for c in group}
    picked = {source: _picked(group, kind, question, similarity) for source, group in alternatives.items()}
    # Every other passage answering as well as those counts its file for the value it states (corroboration).
    chosen_ids = {id(c) for c in picked.values()}
    # Another file stating a side's value in a passage near the question corroborates it, though the passage
    # answers less well than the compared ones (corroborate counts a passage stating exactly one side's value).
    others = [c for c in pooled if id(c) not in chosen_ids and (c.relevance >= best * TUNING.corroborating_share or
                                                                 c.cosine >= top_cosine * TUNING.corroborating_share)]
    # The best answering sentence must itself state such a value: otherwise the passages answer in words,
    # and values they happen to hold are about something else.
    if len(picked) < 2:
        return None, {}
    cands = list(picked.values())
    support = [Passage(len(cands) + i, c.chunk.source, c.text, len(cands) + i, c.relevance) for i, c in enumerate(others)]
    found = find_disagreement(question, [Passage(i, c.chunk.source, c.text, i, c.relevance) for i, c in enumerate(cands)],
                              relevance, similarity, support)
    cands = cands + others
    if found is not None and id(pooled[0]) not in considered and not found.contradiction:
        # The best sentence answers in words: values the passages happen to hold are about something else,
        # unless near-copies of one sentence swap the value (that is a contradiction whatever ranks first).
        return None, {}
    return found, dict(enumerate(cands))
