"""Names in English text, found one way: a name is a run of capitalised words (initials, numbers and the
connectors of names such as "of", "de", "van" inside it). The values a sentence states (rag.readers.values),
the names a question asks about (rag.readers.abstain), the names a claim states (rag.readers.claims) and
a summary's informative sentences all read names with ``NAME_RUN``. Only the forms of names: no name is listed.

Example: ``[m.group(0) for m in NAME_RUN.finditer("Ann Lee of Blue River Bank spoke.")]`` -> ['Ann Lee of Blue
River Bank'].
"""
from __future__ import annotations

import re
import unicodedata

from rag.textspans import STOPWORDS, WORD, has_digit, without_possessive
from rag.language import CLAUSE_BREAKS, MONTHS, WEEKDAYS
from rag.types import Value

NAME_RUN = re.compile(r"\b(?:[A-Z][\w'’.-]*|[A-Z]\.)"
                      r"(?:\s+(?:(?:of|de|la|von|van|der|du|and|the|del|da|di|bin|al)\s+)?(?:[A-Z][\w'’.-]*|[A-Z]\.|\d+))*")


def name_runs(text: str, start: int = 0, parts: bool = False):
    """(name, start, end) of each run of capitalised words from ``start`` on, a possessive or a closing full stop
    dropped from the name (``end`` is where the run ends in ``text``). With ``parts``, each run is cut into the
    names it joins: at a lower-case connector, at a word with digits, after a possessive ("Acme's Ann Lee and Bolt" ->
    "Acme", "Ann Lee", "Bolt").

    Example: ``list(name_runs("Ask Ann Lee's aide."))`` -> [('Ask Ann Lee', 0, 13)].
    """
    for m in NAME_RUN.finditer(text, start):
        if not parts:
            yield _bare(m.group(0)), m.start(), m.end()
            continue
        piece_start = piece_end = None
        for word in WORD_SPAN.finditer(m.group(0)):
            w = word.group(0)
            if w[:1].isupper() and not has_digit(w):
                piece_start = m.start() + word.start() if piece_start is None else piece_start
                piece_end = m.start() + word.end()
                if not w.endswith(("'s", "’s", "'", "’")):
                    continue
            if piece_start is not None:
                yield _bare(text[piece_start:piece_end]), piece_start, piece_end
            piece_start = None
        if piece_start is not None:
            yield _bare(text[piece_start:piece_end]), piece_start, piece_end


def _bare(name: str) -> str:
    return without_possessive(name.rstrip(".'’"))


def is_name_word(token: str) -> bool:
    """A capitalised word of two letters or more. Example: ``is_name_word("Acme")`` -> True; "A" and "acme" are not."""
    return len(token) > 1 and NAME_RUN.fullmatch(token) is not None


WORD_SPAN = re.compile(r"\S+")


def name_words(name: str) -> list[str]:
    """The words of a name as the index tokenises them (split at spaces, hyphens, apostrophes, dots...).
    Example: ``name_words("Jean-Luc O'Neil")`` -> ['Jean', 'Luc', 'O', 'Neil']."""
    return WORD.findall(name)


def name_key(name: str) -> str:
    """Comparable form of a name: case, accents, possessives and initials dropped.

    Example: ``name_key("Ann B. Carter's")`` -> 'ann carter'.
    """
    text = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)).casefold()
    parts = [p for p in WORD.findall(text) if len(p) > 1]  # a possessive's "s" is a word of one letter
    return " ".join(parts)


def same_name(a: str, b: str) -> bool:
    """Name variants: one key's words contained in the other's ("Roe" ~ "Jane Roe").

    Example: ``same_name("frank oz", "oz")`` -> True.
    """
    wa, wb = set(a.split()), set(b.split())
    return bool(wa) and bool(wb) and (wa <= wb or wb <= wa)


def writes(text: str, name: str, ignore_case: bool = False) -> bool:
    """Whether ``text`` writes ``name`` as whole words (no letter, digit or hyphen joined on either side).

    Example: ``writes("Ferries from Oslo.", "Oslo")`` -> True; ``writes("An Oslo-based firm", "Oslo")`` -> False.
    """
    return whole(name, ignore_case).search(text) is not None


def whole(phrase: str, ignore_case: bool = False, hyphen_joins: bool = True) -> re.Pattern:
    """The pattern of ``phrase`` written as whole words: no letter or digit joined on either side, nor a hyphen
    unless ``hyphen_joins`` is False (what ``writes`` looks for; rag.subqueries takes a phrase out of a question
    even when a hyphen joins it: "Acme-owned").

    Example: ``whole("Oslo").sub("", "Oslo ferries, Oslo-based")`` -> ' ferries, Oslo-based'.
    """
    joined = r"\w-" if hyphen_joins else r"\w"
    return re.compile(rf"(?<![{joined}]){re.escape(phrase)}(?![{joined}])", re.I if ignore_case else 0)


def names(text: str, exclude: str = "") -> list[Value]:
    """Runs of capitalised words (people, organisations, places, titles) without the common words at their ends
    (a stopword or a contraction made on one, a clause opener capitalised at a sentence's start), a lone day or
    month (a date), or the names the ``exclude`` text (the question) already holds.

    Example: ``[v.text for v in names("The film was directed by Frank Oz in London.")]`` -> ['Frank Oz', 'London'].
    """
    known = {w.casefold()[:5] for w in WORD.findall(exclude)}

    # A stopword (or a contraction made on one), or a word of the question ("Canadian" ~ "Canada's").
    def common(word: str) -> bool:
        word = without_possessive(word).casefold()
        return word in STOPWORDS or word[:5] in known or _contracted(word) in STOPWORDS

    def question_word(word: str) -> bool:
        word = without_possessive(word).casefold()
        return word not in STOPWORDS and word[:5] in known

    out = []
    for run, run_start, _ in name_runs(text):
        # A run holding the question's own words or a number joins the subject and the value ("Ann Lee Director
        # Blue River 1979"): its pieces between them are the names.
        piece: list[re.Match] = []
        after_question_word = False
        for word in list(WORD_SPAN.finditer(run)) + [None]:
            if word is not None and not (question_word(word.group(0)) or word.group(0).isdigit()):
                piece.append(word)
                continue
            # Words between two of the question's words in one name are that name's middle ("Elm Street Old
            # Mill Bridge" for "the Elm Street Bridge"): the subject, not a value.
            inside = after_question_word and word is not None and question_word(word.group(0))
            value = None if inside else _name_piece(piece, common)
            piece = []
            after_question_word = word is not None and question_word(word.group(0))
            if value is not None:
                start = run_start + value[1]
                out.append(Value("name", name_key(value[0]), value[0], start, start + len(value[0])))
    return out


def _contracted(word: str) -> str:
    """The word before an apostrophe: a contraction is made on it ("we’re", "I'd"); a name's apostrophe has a
    capital or a longer word before it ("O’Neil" -> "o", no stopword). Example: ``_contracted("we’re")`` -> 'we'."""
    return word.replace("’", "'").split("'", 1)[0]


_NOT_NAMES_ALONE = frozenset(MONTHS) | frozenset(WEEKDAYS) | CLAUSE_BREAKS


def _name_piece(piece: list[re.Match], common) -> tuple[str, int] | None:
    """A run's words between question words, common words trimmed at both ends (and a word opening a clause at
    its start: "While Acme grew"): (name, offset in the run)."""
    while piece and (common(piece[0].group(0)) or piece[0].group(0).casefold() in CLAUSE_BREAKS):
        piece = piece[1:]
    while piece and common(piece[-1].group(0)):
        piece = piece[:-1]
    words = [w.group(0) for w in piece]
    # An all-capital word longer than an acronym is emphasis ("IGNORE", "URGENT"), not a name.
    if not words or any(w.isupper() and len(w) > 4 for w in words):
        return None
    # A word standing alone that is capitalised only by its place: a day or a month (a date, not a name) or a
    # word opening a clause ("While", "Although") at a sentence's start.
    if len(words) == 1 and words[0].casefold().rstrip(".") in _NOT_NAMES_ALONE:
        return None
    # A run going on into the next sentence ("by Bo-Ann. It was...", the next sentence's first word trimmed as a
    # common one) ends its name at the full stop, as a run ending the text already does.
    if words[-1].endswith(".") and "." not in words[-1][:-1]:
        words[-1] = words[-1][:-1]
    return " ".join(words), piece[0].start()
