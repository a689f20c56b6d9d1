"""Pure abstention signals: does the question ask about something the corpus never mentions?

A similarity threshold alone does not carry across corpora (every article of a topical corpus is "close" to
every question about that topic), so the strongest signal is lexical and corpus-relative: a named entity of
the question that occurs nowhere in the corpus (none of its words), or, for a question asking for a quantity,
the unit or measure it names ("How many *tonnes*", "What *revenue*"). Words naming a category or a relation
("genre", "medium", "birth date", "political party") are not required literally: articles state the answer
("a novel", "born on", "a Republican") without the question's word for it.
"""
from __future__ import annotations

import re
from typing import Callable

from rag.textspans import STOPWORDS

# Only these wh-forms name a measurable thing that must literally be present ("How many tonnes", "What revenue");
# after "which"/"who" the words are usually paraphrased (defence -> defense, contractors -> companies).
_WH = re.compile(r"^(what|how many|how much)\b", re.I)
_AUXILIARY = frozenset("is are was were do does did has have had will would could can should might may "
                       "must shall being been be".split())
# Words that say what kind of thing is asked for without naming it: their absence proves nothing.
GENERIC_FOCUS = frozenset(
    "share proportion percentage percent fraction portion part amount number figure figures level extent degree "
    "role kind type sort way ways reason reasons cause causes effect effects impact impacts date day year years "
    "month months time times period depth size rate value output total far long much many often step steps "
    "measure measures action actions condition conditions happen happened thing things event events item items "
    "factor factors purpose example examples detail details name names term terms estimate estimates other "
    "else besides apart".split())
_VERBS = frozenset("go goes went come comes came say says said mean means make makes made take takes took get gets got "
                   "hold holds held cost costs give gives gave".split())
_ENTITY = re.compile(r"\b(?:[A-Z]{2,}|[A-Z][a-z]+(?:[A-Z][a-z]+)*)(?:[ -](?:[A-Z]{2,}|[A-Z][a-z]+(?:[A-Z][a-z]+)*))*\b")
_QUANTITY_KINDS = ("number", "money", "share")


def focus_words(question: str) -> list[str]:
    """Words naming what a wh-question asks for: after the wh-word, up to the first auxiliary verb.

    Example: ``focus_words("How many tonnes of rare earths did Japan import?")`` -> ['tonnes', 'rare', 'earths'].
    """
    text = question.strip()
    match = _WH.match(text)
    if not match:
        return []
    out = []
    rest = re.findall(r"[\w'-]+", text[match.end():])
    if rest and rest[0].lower() in ("is", "are", "was", "were"):
        rest = rest[1:]  # "What is the current price of X": the asked-for phrase follows the copula
    for word in rest:
        lower = word.lower()
        participle = (lower.endswith("ed") and len(lower) > 4) or \
            (lower.endswith("ing") and len(lower) > 5 and "-" not in lower)  # "anti-dumping" is an adjective
        if lower in _AUXILIARY or lower in _VERBS or participle:
            break  # the verb: what follows is no longer the thing asked for
        if lower not in STOPWORDS and lower not in GENERIC_FOCUS and not lower.isdigit():
            out.append(word)
    return out


def entities(question: str) -> list[str]:
    """Runs of capitalised words and acronyms that do not open the question.

    Example: ``entities("How has Toyota responded to the WTO and John Dailey?")`` -> ['Toyota', 'WTO', 'John Dailey'].
    """
    found = []
    for match in _ENTITY.finditer(question):
        if match.start() == 0 or question[:match.start()].rstrip().endswith(("?", ".", "!")):
            continue
        found.append(match.group(0))
    return found


def spelling_variants(word: str) -> list[str]:
    """British/American spellings of a word. Example: ``spelling_variants("defence")`` -> ['defence', 'defense']."""
    variants = [word]
    for a, b in (("ence", "ense"), ("ise", "ize"), ("isation", "ization"), ("our", "or"), ("tre", "ter"),
                 ("mme", "m"), ("ogue", "og")):
        for x, y in ((a, b), (b, a)):
            if word.endswith(x):
                variants.append(word[: -len(x)] + y)
    return variants


def missing_terms(question: str, in_corpus: Callable[[str], bool]) -> list[str]:
    """Entities and focus words of the question that the corpus never mentions (``in_corpus(word)`` says).

    An entity is missing when none of its words occurs ("John Dailey" is there when "Dailey" is); focus
    words count only when the question asks for a quantity (rag.answering.values.asked_kind).
    Example: ``missing_terms("How has Toyota responded?", lambda w: w.lower() != "toyota")`` -> ['Toyota'].
    """
    from rag.answering.values import asked_kind

    focus = focus_words(question) if asked_kind(question) in _QUANTITY_KINDS else []
    candidates = dict.fromkeys(entities(question) + focus)
    out = []
    for word in candidates:
        parts = [p for p in re.split(r"[-' ]", word) if len(p) > 1 and p.lower() not in STOPWORDS]
        present = [any(in_corpus(v) for v in spelling_variants(p.lower())) for p in parts]
        # The last word heads an English name ("Commerce *Department*", "John *Dailey*"): a name is absent
        # when its head is, or when none of its words occur.
        if parts and (not any(present) or not present[-1]):
            out.append(word)
    return out
