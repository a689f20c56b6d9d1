"""Pure abstention signals: does the question ask about something the corpus never mentions?

A similarity threshold alone does not carry across corpora (every article of a topical corpus is "close" to
every question about that topic), so the strongest signal is lexical and corpus-relative: a named entity of
the question that occurs nowhere in the corpus (none of its words), or, for a question asking for a quantity,
the unit or measure it names ("How many *tonnes*", "What *revenue*"). Words naming a category or a relation
("genre", "medium", "birth date", "political party") are not required literally: articles state the answer
("a novel", "born on", "a Liberal") without the question's word for it.
"""
from __future__ import annotations

import functools
import re
from typing import Callable

from rag.names import name_runs, name_words
from rag.readers.question_kind import QUANTITY_KINDS, asked_kind
from rag.textspans import STOPWORDS, TOKEN, without_possessive
from rag.language import MONTHS, WEEKDAYS, COPULAS, AUXILIARIES as _AUXILIARY, GENERIC_FOCUS, LIGHT_VERBS as _VERBS

def focus_words(question: str) -> list[str]:
    """Words naming what a wh-question asks for: after the wh-word, up to the first auxiliary verb.

    Example: ``focus_words("How many tonnes of barley did Norland export?")`` -> ['tonnes', 'barley'].
    """
    # Only "what", "how many" and "how much" name a measurable thing that must literally be present ("How many
    # tonnes", "What revenue"); after "which"/"who" the words are usually paraphrased (defence -> defense).
    words = TOKEN.findall(question)
    opener = [without_possessive(w).lower() for w in words[:2]]  # "What's the ...": "what"
    if opener[:1] == ["what"]:
        rest = words[1:]
    elif opener in (["how", "many"], ["how", "much"]):
        rest = words[2:]
    else:
        return []
    out = []
    if rest and rest[0].lower() in COPULAS:
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


@functools.lru_cache(maxsize=256)  # several decisions read the same question's names
def _names(question: str) -> tuple[tuple[str, int, int], ...]:
    """(name, start, end) of the question's names (rag.names) that do not open it or one of its sentences."""
    return tuple((name, start, end) for name, start, end in name_runs(question, parts=True)
                 if start > 0 and not question[:start].rstrip().endswith(("?", ".", "!")))


def _is_time(name: str) -> bool:
    """A name that is a month or a weekday ("the October coverage"): a time, never a source or a speaker.
    Example: ``_is_time("October")`` -> True; ``_is_time("Herald")`` -> False."""
    words = [w.lower() for w in name_words(name)]
    return bool(words) and all(w in MONTHS or w in WEEKDAYS for w in words)


def entities(question: str) -> list[str]:
    """Runs of capitalised words and acronyms that do not open the question.

    Example: ``entities("How has Acme responded to the FTC and Jane Roe?")`` -> ['Acme', 'FTC', 'Jane Roe'].
    """
    return [name for name, _, _ in _names(question)]


def spelling_variants(word: str) -> list[str]:
    """British/American spellings of a word. Example: ``spelling_variants("defence")`` -> ['defence', 'defense']."""
    variants = [word]
    for a, b in (("ence", "ense"), ("ise", "ize"), ("isation", "ization"), ("our", "or"), ("tre", "ter"),
                 ("mme", "m"), ("ogue", "og")):
        for x, y in ((a, b), (b, a)):
            if word.endswith(x):
                variants.append(word[: -len(x)] + y)
    return variants


def missing_terms(question: str, in_corpus: Callable[[str], bool],
                  passages_of: Callable[[str], frozenset] | None = None,
                  names_word: Callable[[str], bool] | None = None) -> list[str]:
    """Entities and focus words of the question that the corpus never mentions (``in_corpus(word)`` says).

    An entity is missing when none of its words occurs ("Jane Roe" is there when "Roe" is); focus
    words count only when the question asks for a quantity (rag.readers.question_kind.asked_kind). With
    ``passages_of(name)`` (the passages holding every word of a name), a name of several words whose last two
    words both occur but never in one passage is missing too: "Harbor Analytics" is not in a corpus that has
    "harbor" in one article and "analytics" in another. ``names_word(word)``, when given, judges an entity's words
    instead of ``in_corpus`` (as written, not by stem: "Authority" is not "author").
    Example: ``missing_terms("How has Acme responded?", lambda w: w.lower() != "acme")`` -> ['Acme'].
    """
    focus = focus_words(question) if asked_kind(question) in QUANTITY_KINDS else []
    named = entities(question)
    candidates = dict.fromkeys(named + focus)
    out = []
    for word in candidates:
        parts = [p for p in name_words(word) if len(p) > 1 and p.lower() not in STOPWORDS]
        occurs = names_word if names_word is not None and word in named else in_corpus
        present = [any(occurs(v) for v in spelling_variants(p.lower())) for p in parts]
        # The last word heads an English name ("Trade *Office*", "Jane *Roe*"): a name is absent
        # when its head is, or when none of its words occur.
        if parts and (not any(present) or not present[-1]):
            out.append(word)
        elif passages_of is not None and len(parts) > 1 and all(present) and not passages_of(" ".join(parts[-2:])):
            # Only the head and the word before it must meet: a longer run may join a title to a name
            # ("Acme CEO Jane Roe") that the corpus words differently ("Roe, Acme's chief executive").
            out.append(word)
    return out


# How English attributes a statement to a publication or a person ("a report by X", "X's article",
# "according to X"): the named source, then, must have written or said something about the question's subject.
_WORK = r"(?:article|articles|report|reports|piece|story|stories|coverage|review|analysis|column|post|interview)"
# A name as the subject of a verb of saying ("X claims", "X reports") speaks for itself: it is a source too.
_SAYS = r"(?:claims?|claimed|says|said|reports|reported|suggests|suggested|implies|implied|argues|argued|notes|" \
        r"noted|states|stated|detailed|describes|described|writes|wrote|focuses|focused|highlights|highlighted|" \
        r"mentions|mentioned)"
# The group ``work`` holds the narrower form: a name credited with a piece of writing ("X's article", "a report
# by X", "reported by X"), i.e. a publication, as opposed to a person or body quoted ("according to X", "X says").
_SOURCE_BEFORE = re.compile(rf"(?:(?P<work>\b{_WORK}\s+(?:by|from|in)|\breported by|\bpublished by|\bwritten by|"
                            rf"\banother (?:one )?by)|\baccording to|\bas per|\b{_SAYS} by)\s+(?:the\s+)?$", re.I)
_SOURCE_AFTER = re.compile(rf"^(?:'s?)?(?:,?\s+(?:and|or)\s+(?:the\s+)?[A-Z][\w'.-]*(?:\s+[A-Z][\w'.-]*)*)?"
                           rf"(?:(?P<work>['\"]?\s+{_WORK}\b)|['\"]?\s+{_SAYS}\b)")
_DETERMINED = re.compile(r"(?:\b(?:a|an|the|another|both|two)\s+['\"]?|['\"])$", re.I)


def publications(question: str) -> list[str]:
    """The names a question credits with an article, a report or another piece of writing.

    Example: ``publications("Did a Herald article, according to Mayor Bolt, say the Gazette erred?")`` ->
    ['Herald'].
    """
    found = []
    for name, start, end in _names(question):
        before = question[max(0, start - 40):start]
        # "the X report" names a publication; "did X report" is X reporting (a verb).
        if not any(word.lower() not in STOPWORDS for word in name_words(name)):
            continue  # "'The post'": a capitalised common word, not a name
        if _is_time(name):
            continue  # "the October coverage": when it was written, not by whom
        credited, written = _SOURCE_BEFORE.search(before), _SOURCE_AFTER.match(question[end:])
        if ((credited and credited.group("work"))
                or (_DETERMINED.search(before) and written and written.group("work"))) and name not in found:
            found.append(name)
    return found


def unpublished(question: str, mastheads_of: Callable[[str], frozenset]) -> list[str]:
    """The publications a question credits with a text that head no file of the corpus.

    In a corpus whose files open with a masthead (title, date, byline), "a Herald report" is in the corpus
    only if some file's masthead names the Herald; a Herald merely quoted inside other papers' articles does
    not make their articles its reports. A question that joins two reports ("the Herald's and the Tribune's")
    needs both: one the corpus lacks is enough to decline (MultiHop-RAG dev: +3 of 168 questions with no
    answer declined, no answerable one). ``mastheads_of(name)``: the files whose masthead names it (pass
    this only for a corpus whose files have mastheads). Example: ``unpublished("What did a Herald report say
    about Acme?", {"Gazette": {"g1"}}.get)`` -> ['Herald'].
    """
    return [name for name in publications(question) if not mastheads_of(name)]


def attributed_sources(question: str) -> tuple[list[str], list[str]]:
    """The question's entities split into the sources it attributes statements to and the others (its subject).

    Example: ``attributed_sources("Did a Herald article on Acme say Bolt sued?")`` -> (['Herald'], ['Acme', 'Bolt']).
    """
    sources, others = [], []
    for name, start, end in _names(question):
        attributed = not _is_time(name) and (_SOURCE_BEFORE.search(question[max(0, start - 40):start])
                                             or _SOURCE_AFTER.match(question[end:]))
        target = sources if attributed else others
        if name not in target:
            target.append(name)
    return sources, [o for o in others if o not in sources]


def sources_silent_on_subject(question: str, files_of: Callable[[str], frozenset],
                              mastheads_of: Callable[[str], frozenset] | None = None,
                              passages_of: Callable[[str], frozenset] | None = None) -> list[str]:
    """Sources the question attributes statements to that no file connects with any of its subject's names.

    "A Herald report on Acme" is answerable when the corpus holds a Herald piece naming Acme: a file whose
    opening passage (its masthead, byline) names the Herald and which names Acme, or one passage naming both
    (a quotation: "the Herald reported that Acme..."). A file that mentions the Herald in passing, pages away
    from Acme, does not make it the Herald's report. When every source the question names fails this, the
    corpus does not hold what is asked. ``files_of(name)``: the files mentioning every word of a name (a name
    no file mentions is left to ``missing_terms``); ``mastheads_of(name)``: the files whose opening passage
    mentions it; ``passages_of(name)``: the passages mentioning it. Without the last two, any file naming both
    connects them. Example: ``sources_silent_on_subject("What did a Herald report on Acme say?",
    {"Herald": {"h"}, "Acme": {"a"}}.get)`` -> ['Herald'].
    """
    sources, subject = attributed_sources(question)
    if not sources or not subject:
        return []
    subject_files = frozenset().union(*(files_of(name) or frozenset() for name in subject))
    subject_passages = frozenset().union(*(passages_of(name) or frozenset() for name in subject)) \
        if passages_of else frozenset()
    silent = []
    for source in sources:
        files = files_of(source) or frozenset()
        if not files:
            continue
        if mastheads_of is None or passages_of is None:
            connected = bool(files & subject_files)
        else:
            connected = bool((mastheads_of(source) or frozenset()) & subject_files) or \
                bool((passages_of(source) or frozenset()) & subject_passages)
        if not connected:
            silent.append(source)
    # One source silent on the subject may have covered another part of the question (a multi-hop question
    # reads each source for one fact): only when every source is silent does the corpus lack what is asked.
    return silent if len(silent) == len(sources) else []
