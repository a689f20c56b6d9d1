"""Follow-up resolution, offline and deterministic: (question, earlier turns) -> a standalone question.

A follow-up leans on the conversation: a pronoun or demonstrative pointing back ("How long did it last?"),
ellipsis ("And of reserves?", "What about X?", "Since when?"), a question with too few words of its own to name
its subject ("Which ones were covered?"), or a comparison with an earlier answer ("And the year before?"). Such
a turn gets a few of the earlier turns' topic terms and entities appended, chosen and weighted so that the new
turn's own words still lead: naively joining every earlier question into the query made retrieval far worse on
MTRAG (nDCG@10 0.612 -> 0.293), because the earlier turns' passages crowd out this turn's. A self-contained
question (a topic switch) is left exactly as asked.

Pure: no model, no index. ``weight`` (e.g. a corpus idf) only ranks which terms are carried.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Sequence

from rag.names import is_name_word
from rag.readers.cues import relative_periods
from rag.readers.values import YEAR as _YEAR
from rag.textspans import PUNCTUATION, STOPWORDS, stem
from rag.tuning import TUNING
from rag.language import (ANAPHORA as _ANAPHORA, BEFORE_PRONOUN_ONE as _BEFORE_ONE, CLAUSE_BREAKS as _CLAUSE_BREAK,
                          DUMMY_IT_ADJECTIVES as _DUMMY_IT, OBJECT_PRONOUNS as _OBJECT,
                          PLURAL_PRONOUNS as _PLURAL, AUXILIARIES as _AUXILIARY,
                          QUESTION_WORDS as _QUESTION_WORDS, WORDS_BEFORE_THAT as _THAT_BEFORE)
from rag.turns import Turn, Resolution, as_turns  # noqa: F401 (re-exported)

# A turn that opens like this continues the previous one ("And of reserves?", "What about X?").
_CONTINUES = re.compile(r"^\s*(and|but|also|or|so|then|plus|what about|how about|what of|same for|"
                        r"in that case|if so|why not|how come|and then)\b", re.I)
# Comparisons with something said before ("the year before", "the other one", "instead").
_COMPARES = re.compile(r"\b(the (year|month|day|week|decade|quarter) (before|after|earlier)|the (previous|prior|"
                       r"following|next|last|same|other) (year|month|day|week|decade|quarter|one|ones|time|period)|"
                       r"(a|one|two|three|ten) years? (earlier|later|before|after)|afterwards|beforehand|instead|"
                       r"as well|too|either|compared|the others?|the rest|otherwise|else|meanwhile|"
                       r"at that time|back then|since then|by then|that year|that time|that case)\b", re.I)
_WORD = re.compile(r"[A-Za-z0-9]+(?:[-'][A-Za-z0-9]+)*|[^\W\d_]+", re.UNICODE)
# Thresholds and weights: rag.tuning (follow-up resolver). Tried and dropped on MTRAG: treating a 3-4 word question
# without a name of its own, or one whose names were all in the last turns, as a follow-up (-0.075 and -0.069
# nDCG@10 on the turns each touched).


@dataclass
class _Candidate:
    surface: str
    score: float = 0.0
    best: float = 0.0
    total: float = 0.0
    order: tuple[int, int] = (0, 0)
    entity: bool = False
    sources: set = field(default_factory=set)


def follow_up_reason(question: str) -> str:
    """Why a question needs the conversation ("" when it stands alone).

    Example: ``follow_up_reason("How long did it last?")`` -> 'pronoun'; ``follow_up_reason("Who founded
    Acme Corp in 1990?")`` -> ''.
    """
    text = question.strip()
    tokens = _WORD.findall(text)
    lower = [t.lower() for t in tokens]
    if _CONTINUES.match(text):
        return "continuation"
    if _COMPARES.search(text):
        return "comparison"
    own_entity_at = next((i for i, t in enumerate(tokens) if i > 0 and is_name_word(t)
                          and t.lower() not in _QUESTION_WORDS and t.lower() not in STOPWORDS), None)
    for i, word in enumerate(lower):
        pointing = word in _ANAPHORA or (word == "that" and (i == len(lower) - 1 or (i > 0 and lower[i - 1]
                                                                                      in _THAT_BEFORE)))
        if word in ("one", "ones") and not (i > 0 and lower[i - 1] in _BEFORE_ONE):
            pointing = False
        if word == "it" and i + 1 < len(lower) and lower[i + 1] in _DUMMY_IT:
            pointing = False  # "is it true that ...": a dummy subject
        if pointing and (own_entity_at is None or own_entity_at > i or
                         (word in _OBJECT and _same_clause(text, lower, own_entity_at, i))):
            return "pronoun"
    own = own_terms(text)
    if len(own) <= TUNING.follow_up_short and (own_entity_at is None or not own):
        return "short"
    return ""


def _same_clause(text: str, lower: list[str], start: int, end: int) -> bool:
    """The question opens on its subject (the name at token ``start`` right after the opening auxiliary: "What
    did Acme ...", "Does Acme ...") and no conjunction, relative word or punctuation separates it from the object
    pronoun at ``end``: the pronoun cannot mean that subject, so it points back ("What did Acme call *it*?";
    not "Who bought Acme and when did they sell *it*?", "As for Acme, who owns it?").
    Tried on MTRAG: any name before the pronoun in one clause also caught "... since Acme cannot scan it",
    where "it" is a thing the question named before."""
    if start > 2 or lower[start - 1] not in _AUXILIARY:
        return False
    spans = [m.span() for m in _WORD.finditer(text)]
    between = text[spans[start][1]:spans[end][0]] if end < len(spans) else ""
    return not any(word in _CLAUSE_BREAK for word in lower[start + 1:end]) and not PUNCTUATION.search(between)


def own_terms(question: str) -> list[str]:
    """Stemmed content terms a question names itself (question words and fillers dropped).
    Example: ``own_terms("Since when?")`` -> [];
    ``own_terms("How tall is the Harbour Tower?")`` -> ['tall', 'harbour', 'tower']."""
    out = []
    for word in _WORD.findall(question):
        lower = word.lower()
        if lower in STOPWORDS or lower in _QUESTION_WORDS or lower in _ANAPHORA or lower == "that":
            continue
        if len(lower) < 2 and not lower.isdigit():
            continue
        out.append(stem(lower))
    return list(dict.fromkeys(out))


def _verb_positions(tokens: list) -> set[int]:
    """Token indexes that are likely verbs: the word after "did/does/do + subject" ("did Acme *buy*") and
    past forms in -ed. Verbs name what was asked, not the topic, so they carry poorly."""
    verbs = set()
    words = [m.group(0) for m in tokens]
    for i, word in enumerate(words):
        lower = word.lower()
        if lower.endswith("ed") and len(lower) > 4 and not is_name_word(word):
            verbs.add(i)
        if lower in _AUXILIARY:  # the subject, then the verb, follows ("did Acme *buy*")
            j = i + 1
            while j < len(words) and (is_name_word(words[j]) or words[j].lower() in STOPWORDS
                                      or words[j].lower() in _ANAPHORA or words[j].endswith(("'s", "’s"))):
                j += 1
            if j < len(words) and j > i + 1:
                verbs.add(j)
    return verbs


def _terms_with_surface(text: str, start_of_sentence: bool = True):
    """(stem, surface, is_entity, position, is_verb) for the content words of ``text``."""
    tokens = list(_WORD.finditer(text))
    verbs = _verb_positions(tokens)
    for i, match in enumerate(tokens):
        word = match.group(0)
        if word.endswith(("'s", "’s")):
            word = word[:-2]
        lower = word.lower()
        if lower in STOPWORDS or lower in _QUESTION_WORDS or lower in _ANAPHORA or lower == "that" or \
                (len(lower) < 2 and not lower.isdigit()):
            continue
        before = text[:match.start()].rstrip()
        first = i == 0 or before.endswith((".", "?", "!", ":"))
        following = tokens[i + 1].group(0) if i + 1 < len(tokens) else ""
        # A capital opening a sentence proves nothing, unless a capitalised word follows ("Globex Corporation").
        entity = is_name_word(word) and (not first or word.isupper() or is_name_word(following))
        yield stem(lower), word, entity, match.start(), i in verbs


def resolve(question: str, conversation: Sequence = (), weight: Callable[[str], float] | None = None,
            max_terms: int = 6) -> Resolution:
    """Resolve a follow-up against the earlier turns (oldest first); a self-contained question is unchanged.

    Example: ``resolve("How tall is it?", ["When was the Harbour Tower built?"]).standalone``
    -> 'How tall is it (Harbour Tower built)?'.
    """
    question = question.strip()
    turns = as_turns(conversation)
    if not turns:
        return Resolution(question, question)
    reason = follow_up_reason(question)
    if not reason:
        return Resolution(question, question)
    own = set(own_terms(question))
    names_own_entity = any(entity for _, _, entity, _, _ in _terms_with_surface(question))
    cited_word = TUNING.cited_plural if _PLURAL & {w.lower() for w in _WORD.findall(question)} else TUNING.cited_word
    candidates: dict[str, _Candidate] = {}
    weigh = weight or _length_weight
    # Most recent turn first; older turns fade fast (a follow-up nearly always leans on the turn before it).
    # Tried on MTRAG and dropped: reading 6 turns back (-0.0003), fading slower (0.6: -0.002), always reading
    # the conversation's first question (-0.001 to -0.005).
    for age, turn in enumerate(reversed(turns[-TUNING.turn_lookback:])):
        fade = TUNING.turn_fade ** age
        # What the turn itself said leads; what its resolution carried in from further back is second-hand.
        second_hand = turn.understood[len(turn.question.rstrip(" ?.!")):] \
            if turn.understood.startswith(turn.question.rstrip(" ?.!")) else turn.understood
        for source, text, base in (("question", turn.question, 1.0), ("question", second_hand, TUNING.second_hand),
                                   ("cited", (turn.cited[0] if turn.cited else turn.answer), TUNING.cited_name)):
            if not text:
                continue
            for term, surface, entity, position, verb in _terms_with_surface(text):
                if term in own or (term.isdigit() and not _YEAR.fullmatch(term)):
                    continue
                if source == "cited" and not entity and reason != "pronoun":
                    continue  # from an answer only names carry, unless a pronoun may point at what it said
                share = cited_word if source == "cited" and not entity else base
                # A follow-up naming its own entity ("What about X?") swaps it for an earlier one: carry the
                # earlier topic words rather than the earlier names.
                boost = (TUNING.swapped_entity if names_own_entity else TUNING.entity_boost) if entity else 1.0
                score = share * fade * boost * (TUNING.verb_weight if verb and not entity else 1.0) * weigh(term)
                cand = candidates.setdefault(term, _Candidate(surface))
                if score > cand.best:
                    cand.best, cand.surface = score, surface
                    cand.order = (age, position if source == "question" else 10_000 + position)
                # A term said again and again (asked about, then answered with) is the conversation's topic.
                cand.total += score
                cand.score = cand.best + TUNING.recurring * (cand.total - cand.best)
                cand.entity |= entity
                cand.sources.add(source)
    ranked = sorted(candidates.items(), key=lambda kv: -kv[1].score)
    # A one-word turn whose word is about as rare in the corpus as anything the conversation said ("Hamnet",
    # "Virtualization" after other topics) names a topic of its own: carrying earlier words would drown it.
    # Only a corpus idf can say so (the length stand-in cannot tell rare words apart).
    if weight is not None and reason == "short" and own and ranked and \
            max(weigh(t) for t in own) >= TUNING.own_rare * max(weigh(t) for t, _ in ranked[:3]):
        return Resolution(question, question, (), "")
    # The new turn's words lead: never more carried terms than it has of its own plus two.
    # An elliptic or short turn has hardly any words of its own: it takes the earlier topic whole.
    limit = min(max_terms, getattr(TUNING, f"carry_{reason}"))  # TUNING.carry_pronoun ...
    chosen = [(term, cand) for term, cand in ranked[:limit] if cand.score > 0]
    extra = _shifted_year(question, turns)
    if not chosen and not extra:
        return Resolution(question, question, (), reason)
    if extra:  # the year asked about replaces the one said before
        chosen = [(term, cand) for term, cand in chosen if not _YEAR.fullmatch(term)]
    chosen.sort(key=lambda kv: kv[1].order)
    carried = tuple(c.surface for _, c in chosen)
    words = list(carried) + ([extra] if extra and extra not in carried else [])
    body = question.rstrip(" ?.!")
    standalone = f"{body} ({' '.join(words)})?"
    return Resolution(question, standalone, tuple(words), reason)


def _length_weight(term: str) -> float:
    """Without corpus statistics, longer words are the rarer, more telling ones (a crude idf).
    Example: ``_length_weight("production") > _length_weight("share")``."""
    return min(1.0, 0.5 + len(term) / 16)


def _shifted_year(question: str, turns: list[Turn]) -> str:
    """"The year before" / "the following year" with a year in the previous turn -> that year shifted by one.
    Example: after a turn about 2024, "And the year before?" -> '2023'."""
    periods = relative_periods(question) & {"before year", "after year"}
    if len(periods) != 1:
        return ""
    later = periods == {"after year"}
    last = turns[-1]
    for text in (last.understood, " ".join(last.cited), last.answer):
        years = _YEAR.findall(text or "")
        if years:
            return str(int(years[0]) + (1 if later else -1))
    return ""
