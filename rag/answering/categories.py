"""Pure: the word of a passage that names the category a question asks for ("What sport/medium/party...?"),
judged by the embedding model's cosine between the word and the category's noun, and whether any of a few
sentences names one. Example: "rugby" in "Harlow Oaks is a rugby club" for "What sport is Harlow Oaks
associated with?"."""
from __future__ import annotations

import re

from rag.names import WORD_SPAN
from rag.readers.question_kind import asked_noun, category_noun
from rag.readers.values import Value
from rag.textspans import STOPWORDS, WORD
from rag.tuning import TUNING


# A word names the asked category at TUNING.category_bar; a noun read off "what/which N" (``asked_noun``: "role",
# "line") is a looser category than the named ones ("sport", "party"): more words sit near it by chance
# ("control" and "lead" reach 0.44-0.47 for "role"), so its instance must reach TUNING.generic_noun_bar.


def category_words(text: str, question: str) -> list[tuple[str, int]]:
    """Words of ``text`` that could name a category (not stopwords, not the question's words, not numbers),
    with their positions; a hyphenated word stays whole ("Welsh-language").

    Example: ``category_words("Oaks is a rugby club.", "What sport is Oaks?")`` -> [('rugby', 10), ('club', 16)].
    """
    known = {w.casefold()[:5] for w in WORD.findall(question)}
    out = []
    for m in re.finditer(r"[^\W\d_][\w-]*[^\W\d_]", text):
        word = m.group(0)
        if word.casefold() in STOPWORDS or word.casefold()[:5] in known or len(word) < 3:
            continue
        out.append((word, m.start()))
    return out


def category_value(passage: str, question: str, similarity, common: frozenset = frozenset()) -> Value | None:
    """For "What sport/medium/party...?": the passage's word closest in meaning to that noun (``similarity(noun,
    words) -> cosines``, the model's), when close enough. Example: "rugby" in "Harlow Oaks is a rugby club"
    for "What sport is Harlow Oaks associated with?"."""
    noun = category_noun(question) or asked_noun(question)
    words = [(w, i) for w, i in category_words(passage, question) if w.casefold() not in common]
    if noun is None or not words or similarity is None:
        return None
    scores = similarity(noun, [w for w, _ in words])
    best = max(range(len(words)), key=scores.__getitem__)
    if scores[best] < (TUNING.category_bar if category_noun(question) else TUNING.generic_noun_bar):
        return None
    word, start = words[best]
    word, start = name_around(passage, start, start + len(word))
    return Value("category", word.casefold().rstrip("s"), word, start, start + len(word))


_CAPITALISED = r"(?:[A-Z][\w'’-]*|[IVX]+|\d+)"


def name_around(text: str, start: int, end: int) -> tuple[str, int]:
    """The capitalised name a capitalised word ends or sits in, with its start: the instance is the whole
    name ("North-South Relay", "Third Harbour Brigade"), not its last word; a lower-case word stays itself.

    Example: ``name_around("It joined the Long Valley Trail.", 26, 31)`` -> ('Long Valley Trail', 14).
    """
    word = text[start:end]
    if not word[:1].isupper():
        return word, start
    before = re.search(rf"(?:{_CAPITALISED} )+$", text[:start])
    after = re.match(r"(?: (?:[A-Z][\w'’-]*|[IVX]+\b))+", text[end:])  # a number after a name is not part of it
    first = before.start() if before else start
    # Leading function words are capitalised only because a sentence or a title starts there ("The", "In").
    for lead in WORD_SPAN.finditer(text, first, start):  # each followed by one space (``before``)
        if lead.group(0).casefold() not in STOPWORDS:
            break
        first = lead.end() + 1
    name = text[first:end + (after.end() if after else 0)]
    if len(name.split()) > 5:
        return word, start
    return name, first


def names_asked_category(question: str, texts: list[str], similarity) -> bool:
    """Whether one of ``texts`` names an instance of the category the question asks for: such a sentence
    answers it though it shares none of its words ("ran as a Liberal" for "What political party...?").

    Example: ``names_asked_category("What sport does Ann play?", ["Ann is a tennis pro."], sim)`` -> True
    when the model puts "tennis" near "sport".
    """
    return similarity is not None and category_noun(question) is not None and \
        any(category_value(text, question, similarity) is not None for text in texts)
