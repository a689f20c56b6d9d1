"""Pure: the kind of value a question asks for (a share, money, a date, a number, a person, an organisation, a
place, a category) read from the forms of English questions, and the noun naming an asked category."""
from __future__ import annotations

import functools
import re
from rag.language import AUX_OR_GENERIC as _AUX_OR_WH, OF_WHAT_NOUNS as _OF_WHAT
from rag.textspans import QUOTED, STOPWORDS, TOKEN, close_punctuation, has_words

KINDS = ("share", "money", "number", "date", "person", "organisation", "place", "category")
QUANTITY_KINDS = KINDS[:3]  # share, money, number
FIGURE_KINDS = KINDS[:4]  # ... and date: values written with digits
NAME_KINDS = KINDS[4:7]  # person, organisation, place: values that are names

_ASK_SHARE = re.compile(r"\b(what|which) (share|percentage|proportion|fraction|portion|percent)\b|\bpercent|%|"
                        r"\bhow (dependent|reliant)\b|\bwhat part of\b", re.I)
_ASK_MONEY = re.compile(r"\bhow much (money|did|does|do|will|would|is|was|has|had)?\b.*\b(cost|costs|pay|paid|"
                        r"spend|spent|earn|earned|raise|raised|worth|price|charge|sell|sold|invest|owe|fund)|"
                        r"\bwhat (is|was|were|are)? ?(the )?(\w+ )?(price|cost|revenue|revenues|salary|budget|fee|"
                        r"fine|valuation|profit|profits|income|sales|turnover|funding|loss|losses|worth|market value)\b|"
                        r"\bhow much\b.*\b(dollars|euros|pounds|yen|yuan)\b|\bhow much (\w+ ){0,2}(money|revenue|revenues|"
                        r"profit|profits|sales|funding|income|debt|capital)\b", re.I)
_ASK_DATE = re.compile(r"^(when|since when)\b|\b(in )?(what|which) (date|day|year|month|decade|century)\b|"
                       r"\bwhen (was|were|did|does|do|is|will|has|had)\b|\b(birth|release|founding|opening) date\b|"
                       r"\bdate of\b", re.I)
_ASK_NUMBER = re.compile(r"\bhow (many|much|large|big|long|old|tall|high|deep|heavy|wide|fast)\b|"
                         r"\b(what|which) (is |was )?(the )?([\w-]+ ){0,3}(number|population|size|length|height|depth|"
                         r"weight|area|capacity|score|speed|distance|age|total|amount|count|rate|attendance|"
                         r"elevation|volume)\b", re.I)
_ASK_PERSON = re.compile(r"^(who|whom|whose)\b|\b(who|whom|whose)\b|\bwhich (person|people|man|woman|player|"
                         r"actor|actress|artist|singer|director|author|writer|minister|official|leader|president|"
                         r"officials|individual|executive|coach|founder|architect|composer|producer|member)\b|\b(what|which) is "
                         r"the name of the (person|man|woman|player|director|author|artist)\b", re.I)
_ASK_PLACE = re.compile(r"^where\b|\bwhere (is|was|are|were|did|does|do)\b|\b(in |at )?(what|which) (city|country|"
                        r"town|state|region|province|county|place|location|village|continent|island|venue|stadium|"
                        r"district|capital)\b", re.I)
# "Which private railway operator", "what record label": up to two describing words before the noun (not a
# verb or an article: "What is the team's..." asks something else).
_ASK_ORG = re.compile(r"\b(what|which) (?:(?!(?:is|was|are|were|the|a|an|do|does|did|has|had)\b)[a-z-]+ ){0,2}(company|companies|firm|firms|organi[sz]ation|team|club|party|political party|"
                      r"agency|bank|university|school|college|network|newspaper|outlet|broadcaster|label|band|group|"
                      r"operator|airline|publisher|studio|league)\b", re.I)
# Nouns naming a category ("What *genre* ...?", "X's *profession*"); "type", "kind"... name one only with "of".
_CATEGORY_NOUNS = (r"genre|medium|sport|position|occupation|profession|job|language|nationality|religion|species|"
                   r"breed|style|format|instrument|function|purpose|party|title|rank")
_ASK_CATEGORY = re.compile(rf"\b(what|which) (is )?(the )?(\w+ )?({'|'.join(_OF_WHAT)}|{_CATEGORY_NOUNS})\b"
                           r"|^what is \"?[A-Z]", re.I)
_POSSESSED_CATEGORY = re.compile(rf"['’]s? ({_CATEGORY_NOUNS})\b", re.I)


# "Which line is X on?", "What conflict was X part of?", "What was the rank of X?": a singular noun after the
# wh-word asks for an instance of it, whatever the noun (plural ones ask for lists: "What steps did X take?").
_ASK_WHICH_NOUN = re.compile(r"^(?:(?:in|at|on|of|for|from|to|with|by) )?(?:what|which) ([a-z]+) "
                             r"(?:is|was|are|were|does|did|do|has|had)\b", re.I)
_ASK_NOUN_OF = re.compile(r"^(?:what|which) (?:is|was|are|were) the ([a-z]+) of\b", re.I)


def asked_noun(question: str) -> str | None:
    """The singular noun a "what/which N" question asks an instance of, when no other form says what it asks.

    Example: ``asked_noun("Which line is Oak Street a station on?")`` -> 'line'; "What steps did Acme take?"
    gives None (a plural asks for a list).
    """
    q = question.strip()
    m = _ASK_WHICH_NOUN.match(q) or _ASK_NOUN_OF.match(q)
    if not m:
        return None
    noun = m.group(1).lower()
    if noun in _AUX_OR_WH or (noun.endswith("s") and not noun.endswith("ss")):
        return None
    return noun


def category_noun(question: str) -> str | None:
    """The noun naming the category a question asks for ("type of X" gives X).

    Example: ``category_noun("What sport is Ann Lee associated with?")`` -> 'sport'; "What is Ann Lee's
    profession?" gives 'profession'.
    """
    m = _ASK_CATEGORY.search(question)
    possessive = _POSSESSED_CATEGORY.search(question)
    if (not m or not m.group(5)) and possessive:  # "What is Ann Lee's profession?"
        return possessive.group(1).lower()
    if not m or not m.group(5):
        return None
    noun = m.group(5).lower()
    after = TOKEN.findall(question[m.end():].lower())[:3]
    if noun in _OF_WHAT and after[:1] == ["of"]:  # "type of (an) X" asks for X
        return next((w for w in after[1:] if w not in STOPWORDS), noun)
    return noun


# Pure, and asked of one question by several stages (answer features, abstention, conflicts, comparison): read
# once per question text (bench/measured/issue21/latency_ab3: 7 calls a question).
@functools.lru_cache(maxsize=1024)
def asked_kind(question: str) -> str | None:
    """The kind of value a question asks for, or None when it asks for an explanation.

    Example: ``asked_kind("What share of sales came from exports?")`` -> 'share'.
    """
    q = question.strip()
    for kind, pattern in (("share", _ASK_SHARE), ("money", _ASK_MONEY), ("date", _ASK_DATE),
                          ("number", _ASK_NUMBER), ("place", _ASK_PLACE), ("organisation", _ASK_ORG),
                          ("person", _ASK_PERSON), ("category", _ASK_CATEGORY)):
        if pattern.search(q):
            return kind
    return "category" if asked_noun(q) else None


@functools.lru_cache(maxsize=1024)  # pure; three stages ask it of one question
def asked_predicate(question: str) -> str:
    """The question without the names it is about (quoted titles, capitalised words after the first): what is
    asked of them. A passage about another entity of the same name calls it differently, so whether a clause
    states what is asked is judged on this, not on the name.

    Example: ``asked_predicate('When was the Pine-Hill Depot started?')`` -> 'When was the started?'.
    """
    text = QUOTED.sub(" ", question)
    first, _, rest = text.strip().partition(" ")
    rest = re.sub(r"\b[A-Z0-9][\w'’.-]*", " ", rest)
    out = close_punctuation(" ".join((first + " " + rest).split()))
    return out if has_words(out) else question
