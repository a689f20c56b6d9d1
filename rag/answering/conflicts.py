"""Pure disagreement detection on typed values: the files' answering passages, the value of the asked kind each
states (rag.readers.values), grouped; different values in different files are a disagreement.

Two ways files differ, told apart by their passages: near-identical passages that swap a value (one of them
contradicts the other: a majority, or else the better-ranked file, is the answer and the rest a minority report),
and different passages each giving a value (one name for several entities, or several findings: each reading
is given, and only a value one file states against several is a minority).
"""
from __future__ import annotations


from rag.answering.categories import category_value, category_words
from rag.answering.clauses import clause_around, clause_head
from rag.answering.precision import precise_dates
from rag.readers.differences import near_copies, swapped_spans
from rag.readers.question_kind import FIGURE_KINDS, NAME_KINDS, asked_kind
from rag.readers.values import Value, comparable, same_value, values
from rag.readers.verbs import closing_verb_terms
from rag.textspans import LETTER_WORD, WORD, content_terms, has_digit
from rag.tuning import TUNING
from rag.names import writes
from rag.answering.sides import Passage, Side, Disagreement  # noqa: F401 (re-exported)


def answering_value(passage: str, kind: str, question: str, relevance=None,
                    lowercase: frozenset = frozenset()) -> Value | None:
    """The value of ``kind`` in ``passage`` that answers the question: the one whose surroundings share the most
    question words (nearest to them on a tie), preferring full names for people. A one-word name the passages
    also write in lower case (``lowercase``: "However", "Image", "Commission") is a common word capitalised by
    its place, not a name.

    Example: ``answering_value("Sales fell 3% in May; exports are 40% of sales.", "share",
    "What share of sales are exports?").text`` -> '40%'.
    """
    found = [v for v in values(passage, kind, question)
             if not (v.kind == "name" and " " not in v.text and v.text.casefold() in lowercase)]
    if not found:
        return None
    terms = set(content_terms(question))
    positions = [(m.start(), set(content_terms(m.group(0)))) for m in WORD.finditer(passage)]
    question_positions = [pos for pos, t in positions if t & terms]

    clauses = [clause_around(passage, v.start, v.end) for v in found]
    scores = dict(zip(clauses, map(max, zip(*_readings(relevance, clauses))))) \
        if relevance and len(set(clauses)) > 1 else {}

    # A date answers a when-question when its clause states the asked event ("opened in 1876", not "closed in
    # 2006" of the same sentence).
    event = closing_verb_terms(question) if kind == "date" else frozenset()

    def closeness(value: Value) -> tuple:
        clause = clause_around(passage, value.start, value.end)
        terms_of_clause = set(content_terms(clause))
        shared = scores.get(clause, 0.0) + 0.1 * len(terms_of_clause & terms)
        distance = min((abs(p - value.start) for p in question_positions), default=10 ** 6)
        full = kind in ("person", "organisation") and len(value.text.split()) > 1
        return (full, bool(event & terms_of_clause), shared, -distance)

    return max(found, key=closeness)


def find_disagreement(question: str, passages: list[Passage], relevance=None,
                      similarity=None, support: list[Passage] = ()) -> Disagreement | None:
    """Files whose answering passages state different values of the kind the question asks for.

    ``passages``: each file's best answering passages, best first. ``support``: other answering passages (of
    any file); one stating a side's value counts its file for that side (see ``corroborate``). Returns None when
    the files agree, say nothing comparable, or one file alone states every value.
    Example: ``find_disagreement("What share of sales are exports?", [Passage(1, "a", "Exports are 40% of
    sales."), Passage(2, "b", "Exports are 55% of sales.", 1)]).sides[1].value`` -> '55%'.
    """
    kind = asked_kind(question)
    if kind is None:
        return None
    sides: list[Side] = []
    contradiction = False
    # Words the passages write in lower case: capitalised at a sentence's start they are still no names.
    lowercase = frozenset(w for p in list(passages) + list(support) for w in LETTER_WORD.findall(p.text)
                          if w.islower()) if kind in NAME_KINDS else frozenset()

    def add(value: Value, passage: Passage) -> None:
        side = next((s for s in sides if s.key is not None and same_value(s.key, value)), None)
        if side is None:
            side = Side(value.text, key=value)
            sides.append(side)
        elif len(value.text) > len(side.value) and value.kind == "name":
            side.value, side.key = value.text, value  # the fullest form of a name: "Ann Lee" over "Lee"
        if passage.id not in side.ids:
            side.ids.append(passage.id)
        if passage.source not in side.sources:
            side.sources.append(passage.source)
        side.best_rank = min(side.best_rank, passage.rank)
        side.best_score = max(side.best_score, passage.score)

    # Near-copies that swap a stretch of words: that stretch is each file's value, whatever its kind.
    swapped: dict[int, Value] = {}
    for i, a in enumerate(passages):
        for b in passages[i + 1:]:
            if a.source == b.source or a.id in swapped and b.id in swapped:
                continue
            spans = next((pair for pair in swapped_spans(a.text, b.text)
                          if _is_value(pair[0], kind) and _is_value(pair[1], kind)), None)
            if spans:
                for passage, span in ((a, spans[0]), (b, spans[1])):
                    if passage.id not in swapped:
                        start = passage.text.find(span)
                        # The typed value the swapped words belong to ("12" of "12%"), keyed like any other.
                        typed = [v for v in values(passage.text, kind, question)
                                 if v.start < start + len(span) and start < v.end]
                        swapped[passage.id] = typed[0] if typed else \
                            Value("swap", _fold(span), span, start, start + len(span))
                contradiction = True
    if kind == "category":
        # A word every passage holds cannot tell them apart: only the others are compared (fewer model passes).
        common = frozenset.intersection(*(frozenset(w.casefold() for w, _ in category_words(p.text, question))
                                          for p in passages)) if passages else frozenset()
        stated = [(passage, swapped.get(passage.id) or category_value(passage.text, question, similarity, common))
                  for passage in passages]
    else:
        # Without two different values in two files there is nothing to compare: the model (relevance) is
        # asked only then (each new clause is a model pass).
        lexical = [(p, swapped.get(p.id) or answering_value(p.text, kind, question, lowercase=lowercase))
                   for p in passages]
        lexical = [(p, v) for p, v in lexical if v is not None]
        if not any(p.source != q.source and _rivals(v, w) for i, (p, v) in enumerate(lexical)
                   for q, w in lexical[i + 1:]) and not swapped:
            return None
        stated = [(passage, swapped.get(passage.id) or answering_value(passage.text, kind, question, relevance,
                                                                        lowercase))
                  for passage in passages]
    stated = [(passage, value) for passage, value in stated if value is not None]
    if relevance and kind in FIGURE_KINDS and len({v.key for _, v in stated}) > 1:
        # A figure whose clause answers the question much worse than the best one is about something else
        # ("GDP would fall 0.11%" beside "holds 70% of output"): not compared. A figure already accepted from
        # one file is accepted from another at a lower bar (it corroborates, it does not disagree).
        clauses = [clause_around(p.text, v.start, v.end) if v.kind != "swap" else p.text for p, v in stated]
        # A clause also reads up to its value ("The present church was built in 1928" of a longer clause): what
        # follows the value is often about something else and dilutes how well the clause answers.
        heads = [clause_head(p.text, v) if v.kind == "date" else c for (p, v), c in zip(stated, clauses)]
        wholes = _readings(relevance, clauses)
        readings = [[max(a, b) for a, b in zip(whole, head)] for whole, head in zip(wholes, _readings(relevance, heads))]
        # The bar stays the best whole clause's: a head is one more way to reach it, not a higher bar for others.
        tops = [max(scores) for scores in wholes]
        # Each reading of the question has its own bar: a clause answering the question without its names
        # (another entity's file) passes on that reading though the name makes others score higher on the first.
        accepted = [v for i, (_, v) in enumerate(stated)
                    if any(scores[i] >= top * TUNING.relevant_share for scores, top in zip(readings, tops))]
        # A date whose clause states the event asked about ("built", "died") is that event's date, though its
        # other words score lower: it passes at the lower bar too.
        event = closing_verb_terms(question) if kind == "date" else frozenset()
        states_event = [bool(event & set(content_terms(c))) for c in heads]
        stated = [(p, v) for i, (p, v) in enumerate(stated)
                  if any(scores[i] >= top * TUNING.relevant_share or (scores[i] >= top * 0.4 and (
                      states_event[i] or any(same_value(v, a) for a in accepted)))
                         for scores, top in zip(readings, tops))]
    if kind in NAME_KINDS:
        # A name the other files' passages mention too is what they are all about ("the company" in every
        # passage), not a value they disagree on. A name near-copies swap is what they disagree on, wherever else
        # it is mentioned.
        stated = [(p, v) for p, v in stated
                  if not any(q.source != p.source and not same_value(v, w) and writes(q.text, v.text, ignore_case=True)
                             for q, w in stated)
                  or v.kind == "swap" or p.id in swapped]
    for passage, value in stated:
        add(value, passage)
    # A side stands only against a value of the same measure from other files: "20 stalls" in one file and "7
    # flavours" in another answer different questions, they do not disagree.
    sides = [s for s in sides if any(o is not s and comparable(s.key, o.key) and not set(s.sources) & set(o.sources)
                                     for o in sides)]
    if len(sides) < 2:
        return None
    # Near-copies (most words in the same order) that state different values contradict each other, even when
    # they differ in more than one stretch ("in X, in Y Parish" against "in Z, in W Parish").
    by_value = [(p, side) for p, _ in stated for side in [next((i for i, s in enumerate(sides) if p.id in s.ids), None)]
                if side is not None]
    contradiction = contradiction or any(
        a.source != b.source and sa != sb and near_copies(a.text, b.text)
        for i, (a, sa) in enumerate(by_value) for b, sb in by_value[i + 1:])
    # A disagreement needs two values that no single file states together.
    if not any(not set(a.sources) & set(b.sources) for i, a in enumerate(sides) for b in sides[i + 1:]):
        return None
    corroborate(sides, support, kind, question)
    if kind == "date":
        precise_dates(sides, list(passages) + list(support))
    sides.sort(key=lambda s: (-len(s.sources), s.best_rank))
    most = len(sides[0].sources)
    top_score = max(s.best_score for s in sides)
    for side in sides[1:]:
        fewer = len(side.sources) < most
        alone_and_low = len(side.sources) == 1 and side.best_score < top_score * TUNING.low_rank_share
        # Near-copies contradict each other: with equal support the better-ranked file's value is the answer.
        side.minority = (fewer and (most >= 2 or contradiction)) or contradiction or alone_and_low
    for side in sides:
        side.key = None
    return Disagreement(kind, sides, contradiction)


def corroborate(sides: list[Side], support: list[Passage], kind: str, question: str) -> None:
    """Count for a side every other file whose answering passages state its value: how many files support a
    value decides which one is the answer and which a minority report, not only which file's best passage
    happened to state it. A passage stating several sides' values counts for none (a comparison, a list).

    Example: sides 1902 (file a) and 1885 (file b), support "Built in 1902." from file c -> 1902 has a and c.
    """
    for passage in support:
        matched = [side for side in sides if passage.source not in side.sources and _states(passage.text, side, kind,
                                                                                            question)]
        if len(matched) != 1 or any(passage.source in s.sources for s in sides):
            continue
        side = matched[0]
        side.ids.append(passage.id)
        side.sources.append(passage.source)
        side.best_rank = min(side.best_rank, passage.rank)


def _states(text: str, side: Side, kind: str, question: str) -> bool:
    """Whether ``text`` states the side's value: a typed value equal to it, or (a word, a swapped stretch)
    its words."""
    key = side.key
    if key is None:
        return False
    if key.kind in ("swap", "category"):
        return writes(text, side.value, ignore_case=True)
    if key.kind == "name":  # the whole name, not one of its words ("Ann" does not state "Ann Lee")
        return any(set(key.key.split()) <= set(v.key.split()) for v in values(text, kind, question))
    return any(same_value(key, v) for v in values(text, kind, question))


def _rivals(a: Value, b: Value) -> bool:
    """Two values that differ and measure the same thing (rag.readers.values.comparable).
    Example, values read by rag.readers.values.quantities: "4 stalls" and "5 stalls" -> True; "4 stalls" and "5
    flavours" -> False."""
    return comparable(a, b) and not same_value(a, b)


def _readings(relevance, clauses: list[str]) -> list[list[float]]:
    """Each reading's relevance of the clauses: ``relevance`` is one scorer or several (the question as asked,
    and without its names). Example: ``_readings(lambda c: [1.0] * len(c), ["a"])`` -> [[1.0]]."""
    scorers = relevance if isinstance(relevance, (tuple, list)) else (relevance,)
    return [list(scorer(clauses)) for scorer in scorers]


def _fold(text: str) -> str:
    return " ".join(WORD.findall(text.casefold()))


def _is_value(span: str, kind: str) -> bool:
    """Whether a swapped stretch can be a value of ``kind``: a number, date or share when one is asked for,
    otherwise words (a name or a category)."""
    if kind in FIGURE_KINDS:
        return has_digit(span) or (kind == "date" and bool(values(span, "date")))
    return LETTER_WORD.search(span) is not None


def find_conflict(question: str, passages: list[tuple[int, str, str]], relevance=None):
    """(marker, source, text) of cited passages -> (topic, [(value, markers)]) when files differ, else None.
    The older shape, kept for the LLM answer path. Example: ``find_conflict("What share...?", [(1, "a",
    "about 60%"), (2, "b", "about 58%")])`` -> ('share', [('60%', [1]), ('58%', [2])])."""
    found = find_disagreement(question, [Passage(m, s, t, i) for i, (m, s, t) in enumerate(passages)], relevance)
    if found is None:
        return None
    return found.topic, [(side.value, sorted(side.ids)) for side in found.sides]
