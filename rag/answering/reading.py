"""The question read once: what kind of value it asks for, the noun naming an asked category, what it asks of
its names (the predicate), the speaker whose words it wants, the dates and relative periods it names, the names
and publications it mentions, whether it asks for several things. Every later stage receives this reading
instead of parsing the question again, and the trace (`rag ask --explain`) shows it.

Example: ``read_question("When did Acme open its plant?").kind`` -> 'date'.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from rag.answering.shapes import read_shape
from rag.readers.abstain import entities, publications
from rag.readers.cues import asks_for_several, relative_periods
from rag.readers.question_kind import asked_kind, asked_noun, asked_predicate, category_noun
from rag.readers.values import dates
from rag.readers.verbs import asked_speaker


@dataclass(frozen=True)
class QuestionReading:
    """What a (standalone) question asks, read from the forms of English questions alone."""

    text: str
    kind: str | None  # a value kind of rag.readers.question_kind.KINDS, or None (an explanation)
    category: str | None  # the noun naming an asked category ("sport", "party"), if any
    predicate: str  # the question without its names: what is asked of them
    speaker: tuple[str, ...]  # whose words are asked for ("What did Ann Lee say"), else ()
    days: tuple[tuple[str, str], ...]  # (ISO key, as written) of each full date the question names
    periods: frozenset[str]  # relative periods named ("last year", "the year before")
    names: tuple[str, ...]  # capitalised names and acronyms after the first word
    publications: tuple[str, ...]  # names the question credits with a piece of writing
    several: bool  # asks for several things ("what other measures")
    shape: str = "fact"  # the shape the answer takes (rag.types.SHAPES), read by rag.answering.shapes
    shape_reason: str = ""  # the form of the question that decided it

    def to_json(self) -> dict:
        """The reading as the trace shows it. Example: ``read_question("Who won?").to_json()["kind"]`` -> 'person'."""
        out = asdict(self)
        out["periods"] = sorted(self.periods)
        out["days"] = [list(day) for day in self.days]
        return out


def read_question(question: str) -> QuestionReading:
    """Read a question once. Example: ``read_question("How many goals did Ria Voss score?").names`` -> ('Ria Voss',)."""
    shape = read_shape(question)
    return QuestionReading(
        text=question,
        kind=asked_kind(question),
        category=category_noun(question) or asked_noun(question),
        predicate=asked_predicate(question),
        speaker=tuple(asked_speaker(question)),
        days=tuple((v.key, v.text) for v in dates(question) if len(v.key) == 10),
        periods=frozenset(relative_periods(question)),
        names=tuple(entities(question)),
        publications=tuple(publications(question)),
        several=asks_for_several(question),
        shape=shape.shape,
        shape_reason=shape.reason,
    )
