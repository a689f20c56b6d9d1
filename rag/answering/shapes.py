"""Pure: the shape an answer should take, read from the form of an English question (never its topic words):
fact, list, reason, reaction, comparison, summary, timeline or yesno, with a short reason saying which form
decided it. The shaped composers (rag.answering.shaped) answer each shape; "fact" keeps the plain answer.

Example: ``read_shape("Why did the museum close early?")`` -> ShapeReading('reason', 'asks why').
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rag.language import CHANGE_STEMS
from rag.readers.cues import asks_for_several
from rag.textspans import QUOTED, close_punctuation, has_words

_AUX = (r"(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should|may|might|must|shall|"
        r"isn't|aren't|wasn't|weren't|don't|doesn't|didn't|hasn't|haven't|hadn't|won't|wouldn't|can't|couldn't)")
_WH = r"(?:what|which|who|whom|whose|why|how|when|where)"
# A clause opening with an auxiliary or a wh-word: at the question's start ("And" before it too: "And did ...?"), or
# after a framing phrase ("After the May report ..., was there ...?" / "Between A and B, did ...?": the framing
# words are prepositions and participles, never a wh-word). The first match starts at 0 when the question itself
# opens so.
_AUX_CLAUSE = re.compile(rf"(?:^\s*|,\s*)(?:and\s+)?{_AUX}\b", re.I)
_WH_CLAUSE = re.compile(rf"(?:^\s*(?:(?:in|at|on|of|for|from|to|with|by|since|until)\s+)?|,\s*(?:and\s+)?){_WH}\b",
                        re.I)
# "Is it larger or smaller?", "fair or unfair", "before or after", "a draw or a defeat", "the east or the west":
# a choice between two things, not a yes/no ("..., or do both ...?" still opens a yes/no question).
_CHOICE = re.compile(r"\b(\w+er) or (\w+er)\b|\b(\w+) or (?:in|un|non|dis|im)-?\3\b|\bbefore or after\b|"
                     r"\bafter or before\b|\b(?:an?|the) (\w+) or (?:an?|the) (\w+)\b|"
                     r"\b(?:change|changes) or (?:consistency|continuity)\b|"
                     r"\b(?:consistency|continuity) or (?:a )?change\b", re.I)

_REASON = re.compile(r"^\s*(?:and\s+)?why\b|\bhow come\b|\b(?:for|on) what (?:reasons?|grounds?|basis)\b|"
                     r"\bwhat (?:is|was|were|are)\s+(?:the\s+)?(?:main\s+)?(?:reasons?|causes?|motives?|rationale|"
                     r"grounds?|justification|explanation)\b|\bwhat (?:caused|led to|prompted|triggered|drove|motivated|"
                     r"sparked|is behind|was behind|lies behind)\b|\bwhat reasons?\b|[,;]\s*(?:and\s+)?why\b|"
                     r"\bwhat (?:led|pushed|moved|persuaded) (?:\S+ ){1,5}?to\b", re.I)  # "what led X to": caused, drove... above
_REACTION = re.compile(r"\bhow (?:did|does|do|has|have|had|will|would|is|are|was|were)\b[^?]*?\b(?:react|reacted|"
                       r"respond|responded|reply|replied|retaliate|retaliated|answer|answered|handle|handled|"
                       r"deal with|dealt with|reacting|responding|present|presented|frame|framed|portray|portrayed|"
                       r"characteri[sz]e|characteri[sz]ed|view|viewed)\b|"
                       r"\bwhat (?:was|were|is|are|has been)\s+(?:the\s+)?[\w'’ -]{0,40}?\b(?:reactions?|responses?|"
                       r"replies|reply|answer)\b|^\s*(?:what|how|which)\b[^?]*\bin (?:response|reaction|reply|answer) to\b|"
                       r"\bwhat did \S+(?: \S+){0,5} (?:do|say) (?:after|when|about)\b", re.I)
_COMPARISON = re.compile(r"^\s*(?:compare|contrast)\b|\b(?:compare|contrast|differ|differs|difference|differences|"
                         r"disagree|agree)\b[^?]*\b(?:articles?|reports?|sources?|accounts?|outlets?|coverage|"
                         r"stories|pieces?)\b|\b(?:articles?|reports?|sources?|accounts?|outlets?|coverage|stories|"
                         r"pieces?)\b[^?]*\b(?:compare|contrast|differ|disagree|agree)\b|\bhow do(?:es)? [^?]*\b"
                         r"(?:compare|differ)\b|\bin what ways? do\b[^?]*\bdiffer\b", re.I)
_TIMELINE = re.compile(r"\b(?:timeline|chronolog\w*|sequence of|order of events|in what order|in which order|"
                       r"what order|step by step|in sequence)\b|^\s*trace\b|\bwhen did each\b|\bwhat happened (?:first|next|"
                       r"after that|then)\b|\bhow (?:did|has|have|do|does) [^?]+ "
                       rf"(?:unfold|develop|progress|{'|'.join(CHANGE_STEMS)})\w* (?:over|since)\b", re.I)
_SUMMARY = re.compile(r"^\s*(?:please\s+)?(?:summari[sz]e|sum up|give (?:me )?(?:an? )?(?:overview|summary|"
                      r"rundown|brief)|brief me|outline|describe)\b|\b(?:overview|summary|in (?:short|brief))\b|"
                      r"\bwhat do (?:the )?(?:articles?|reports?|sources?|documents?) (?:say|report|tell)\b|"
                      r"\bwhat is known about\b|\btell me about\b", re.I)
_LIST = re.compile(r"^\s*(?:list|name|enumerate)\b|\bwhat (?:other|else)\b|\b(?:besides|apart from|"
                   r"other than|in addition to|aside from)\b[^?]*\bwhat\b", re.I)


@dataclass(frozen=True)
class ShapeReading:
    """The answer's shape (rag.types.SHAPES) and the form of the question that decided it."""

    shape: str
    reason: str


def is_yes_no(question: str) -> bool:
    """Whether a question asks for a yes or a no: its main clause opens with an auxiliary verb, at the start or
    after a framing phrase ("After the report ..., was there ...?"), and it offers no choice between two things.

    Example: ``is_yes_no("Did the bridge open in 1932?")`` -> True; ``is_yes_no("Was it larger or smaller?")``
    -> False; ``is_yes_no("Who built the bridge?")`` -> False.
    """
    q = question.strip()
    if _CHOICE.search(q):
        return False
    aux, wh = _AUX_CLAUSE.search(q), _WH_CLAUSE.search(q)
    if aux is not None and aux.start() == 0:
        return True
    if wh is not None and wh.start() == 0:
        return False
    return aux is not None and (wh is None or aux.start() < wh.start())


def read_shape(question: str) -> ShapeReading:
    """The shape read from the question's form: yes/no by its opening, then the first matching form of why,
    reaction, comparison, timeline, summary, list; a fact otherwise.

    Example: ``read_shape("Compare how the two papers covered the derby.")`` -> ShapeReading('comparison',
    'asks how the sources compare'); ``read_shape("Who won the derby?")`` -> ShapeReading('fact', ...).
    """
    # A quoted title is a name, not the question's form: "Who wrote "Why We Sleep"?" asks for a fact.
    q = " ".join(QUOTED.sub('"…"', question).split())
    if is_yes_no(q):
        opening = _AUX_CLAUSE.search(q).group(0).strip(" ,").split()[-1].lower()
        return ShapeReading("yesno", f"asks yes or no (opens with \"{opening}\")")
    for shape, pattern, reason in (("comparison", _COMPARISON, "asks how the sources compare"),
                                   ("timeline", _TIMELINE, "asks for events in order"),
                                   ("reason", _REASON, "asks why"),
                                   ("reaction", _REACTION, "asks how an actor responded"),
                                   ("summary", _SUMMARY, "asks for a summary"),
                                   ("list", _LIST, "asks for other items")):
        if pattern.search(q):
            return ShapeReading(shape, reason)
    if asks_for_several(q):
        return ShapeReading("list", "asks for several things of one kind")
    return ShapeReading("fact", "asks for one fact")


# Words that say how to shape the answer or where to look, not what it is about: left out of the question the
# candidates are scored against (a word the corpus never uses weighs the most in the idf-weighted coverage).
_FRAME = re.compile(
    r"^\s*(?:please\s+)?(?:summari[sz]e|sum up|outline|describe|trace|compare|contrast|list|name|enumerate|"
    r"give (?:me )?(?:an? )?(?:overview|summary|rundown|account|brief|timeline) of)\b\s*(?:how|what|the way)?\b|"
    r"\b(?:how|what|where) do(?:es)? the (?:articles?|reports?|sources?|accounts?|outlets?|stories|pieces?|"
    r"coverage)(?: \w+)?\b|"
    r"\b(?:as )?(?:the |these |both |all )?(?:articles?|reports?|sources?|accounts?|outlets?|stories|pieces?|coverage)"
    r"(?: as they| as it)? (?:say|says|report|reports|relate|relates|describe|describes|tell|tells|name|names|"
    r"compare|differ|portray|present|cover)(?: them| it| about| on)?\b|"
    r"\b(?:according to|as (?:told|reported|related|described) (?:by|in)) (?:the )?(?:articles?|reports?|sources?)\b|"
    r"\bin (?:describing|their (?:accounts?|descriptions?) of)\b|\b(?:as|in) (?:chronological|date) order\b|"
    r"\b(?:in|by) (?:what|which) order\b|\b(?:what|which) is the (?:sequence|timeline|order|chronology) of\b|"
    r"\bthe (?:sequence|timeline|order|chronology) of\b|\bwhen did each (?:step|stage|event) of\b|"
    r"\bover the years\b|\b(?:besides|apart from|other than|aside from|in addition to) [^,?]+?(?=,|\s+(?:are|is|"
    r"were|was|have|has|did|do|does)\b|\?|$)|\bwhat is known about\b|\btell me about\b|"
    r"\b(?:overview|summary) of\b", re.I)


def focus(question: str) -> str:
    """The question without the words that only shape the answer (summarise, compare, the articles say, in
    order, besides X): what the answer's sentences should be about. The question itself when little is left.

    Example: ``focus("Summarize what the reports say about the harbour strike.")`` -> 'the harbour strike.'
    """
    text = _FRAME.sub(" ", question)
    text = close_punctuation(" ".join(text.split()))
    text = re.sub(r"(?:,\s*)+([.?!]|$)", r"\1", text).strip(" ,")
    return text if has_words(text) else question
