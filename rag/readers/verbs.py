"""Pure: the verbs a question asks about in their bare form, and the forms a sentence may state them in.

After do-support ("What did she *urge* them to do?", "Which club does he *coach*?") English puts the main verb in
its bare form while the articles say "urged", "urging", "coaches": the answerer's crude suffix stripper
(``rag.textspans.stem``) keeps "urge" and "urging" apart, so the sentence stating the asked action lost the
question's most telling word. Only the words after do-support are expanded: elsewhere a question's words are
already in the forms the stripper was measured with.

A question asking what someone said ("What did X say / call it / urge them to do?") is answered by the sentence
giving X's words: ``asked_speaker`` and ``attributes_speech`` find it.
"""
from __future__ import annotations

import re

from rag.textspans import LETTER_WORD, QUOTE_MARK, STOPWORDS, content_terms, without_possessive, words
from rag.language import (AUXILIARY_VERBS, IRREGULAR_VERBS as _IRREGULAR, REPORTING_VERBS as REPORTING,
                          SIBILANT_ENDINGS as _SIBILANT)

_TOKEN = LETTER_WORD  # a word opening with a letter
# Do-support: a form of "do" (rag.language.AUXILIARY_VERBS), negated too ("didn't"), before the asked verb.
_DO_FORMS = frozenset(w for w, use in AUXILIARY_VERBS.items() if use.split()[0] == "do")
_DO_SUPPORT = _DO_FORMS | {w + "n't" for w in _DO_FORMS}
_VOWELS = "aeiou"


def inflections(verb: str) -> frozenset[str]:
    """A bare verb and the forms an article may state it in (lower case).

    Example: ``inflections("urge")`` -> {'urge', 'urges', 'urged', 'urging'}; ``inflections("stop")`` also holds
    'stopped'; ``inflections("say")`` holds 'said'.
    """
    verb = verb.lower()
    if verb in _IRREGULAR:
        return frozenset((verb,) + _IRREGULAR[verb])
    forms = {verb}
    if verb.endswith("e"):
        forms |= {verb + "s", verb + "d", verb[:-1] + "ing"}
    elif verb.endswith("y") and len(verb) > 2 and verb[-2] not in _VOWELS:
        forms |= {verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"}
    elif verb.endswith(_SIBILANT):
        forms |= {verb + "es", verb + "ed", verb + "ing"}
    elif 3 <= len(verb) <= 4 and verb[-1] not in _VOWELS + "wxy" and verb[-2] in _VOWELS and verb[-3] not in _VOWELS:
        forms |= {verb + "s", verb + verb[-1] + "ed", verb + verb[-1] + "ing"}  # "stop" -> "stopped"
    else:
        forms |= {verb + "s", verb + "ed", verb + "ing"}
    return frozenset(forms)


def _after_do_support(question: str) -> list[str]:
    """The words after the question's first do-support, on its line. Example: ``_after_do_support("What did the
    coach say?")`` -> ['the', 'coach', 'say']."""
    for m in _TOKEN.finditer(question):
        if m.group(0).lower() in _DO_SUPPORT and question[m.end():m.end() + 1].isspace():
            rest = question[m.end():].lstrip()
            return _TOKEN.findall(rest.split("\n", 1)[0])
    return []


def bare_verbs(question: str) -> list[str]:
    """Lower-case words after do-support ("did", "does", "do"): the asked verb is among them, in its bare form
    (its subject's names and stopwords left out).

    Example: ``bare_verbs("What did the coach say about the injury?")`` -> ['coach', 'say', 'injury'].
    """
    out = []
    for word in _after_do_support(question):
        if word[:1].isupper() or word.lower() in STOPWORDS or "'" in word or "’" in word or len(word) < 2:
            continue
        out.append(word.lower())
    return list(dict.fromkeys(out))


def asked_verb_forms(question: str, idf: dict[str, float]) -> dict[str, frozenset[str]]:
    """Question term -> the forms of the bare verb behind it (after do-support), for the terms the question's
    idf weighs. Example: for "What did she urge?" -> {'urge': {'urge', 'urges', 'urged', 'urging'}}."""
    out = {}
    for verb in bare_verbs(question):
        terms = content_terms(verb)
        if terms and terms[0] in idf:
            out[terms[0]] = inflections(verb)
    return out


def sentence_terms(text: str, verb_forms: dict[str, frozenset[str]]) -> set[str]:
    """A sentence's content terms, counting an asked verb present when it states one of its forms.
    Example: "She urged calm." with {'urge': {'urged', ...}} -> {'urged', 'urge', 'calm'}."""
    terms = set(content_terms(text))
    if verb_forms:
        said = set(words(text))
        terms |= {term for term, forms in verb_forms.items() if term not in terms and forms & said}
    return terms


_REPORTED = frozenset(form for verb in REPORTING for form in inflections(verb)) | {"according"}
ATTRIBUTION_WINDOW = 4  # words between a speaker's name and the verb of saying (or the quotation) in one sentence


def asked_speaker(question: str) -> tuple[str, ...]:
    """The named speaker of a question asking what someone said: the capitalised words between do-support and a
    verb of saying. Example: ``asked_speaker("What did coach Ann Lee say about the draw?")`` -> ('Ann', 'Lee');
    ``asked_speaker("What did the club sign?")`` -> ()."""
    names = []
    for word in _after_do_support(question):
        bare = without_possessive(word)
        if bare.lower() in REPORTING and not bare[:1].isupper():
            return tuple(names)
        if bare[:1].isupper():
            names.append(bare)
    return ()


def attributes_speech(sentence: str, speaker: tuple[str, ...]) -> bool:
    """Whether a sentence gives the speaker's words: one of the speaker's names (its last word first) within a few
    words of a verb of saying or of a quotation mark.
    Example: ``attributes_speech('"We were lucky," Lee said after the match.', ('Ann', 'Lee'))`` -> True."""
    if not speaker:
        return False
    tokens = re.findall(r"[\"“”«»]|[\w'’-]+", sentence)
    wanted = {name.casefold() for name in speaker if len(name) > 2} or {speaker[-1].casefold()}
    for i, token in enumerate(tokens):
        if without_possessive(token).casefold() not in wanted:
            continue
        near = tokens[max(0, i - ATTRIBUTION_WINDOW): i + ATTRIBUTION_WINDOW + 1]
        if any(QUOTE_MARK.fullmatch(t) or t.casefold() in _REPORTED for t in near):
            return True
    return False


def closing_verb_terms(question: str) -> frozenset[str]:
    """The stemmed forms of the verb a question closes on ("When was the hall built?", "When did Ann Lee die?"):
    in English the event a when-question asks about is its last word when that word is not a name. A bare verb
    after do-support also stands for its inflections ("die" -> "died").

    Example: ``closing_verb_terms("When did Ann Lee die?")`` holds 'died'; ``closing_verb_terms("When was the
    Blue River Bridge opened?")`` -> {'open'}; a question closing on a name gives an empty set.
    """
    tokens = _TOKEN.findall(question)
    if not tokens:
        return frozenset()
    last = tokens[-1]
    if last[:1].isupper() or last.lower() in STOPWORDS or len(last) < 3:
        return frozenset()
    forms = inflections(last) if last.lower() in bare_verbs(question) else {last.lower()}
    return frozenset(t for form in forms for t in content_terms(form))
