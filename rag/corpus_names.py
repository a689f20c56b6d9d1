"""Where the indexed corpus names things (from the BM25 postings and the manifest snapshot): the passages and
files holding a name, the files whose masthead names it, the files dated on a day. The abstention signals and
the retrieval's preferences ask these; nothing here reads a question."""
from __future__ import annotations

from typing import Callable

from rag.bm25 import analyze
from rag.names import name_words, writes
from rag.textspans import STOPWORDS, WORD
from rag.tuning import TUNING


class CorpusNames:
    """Name look-ups over one index snapshot. ``chunks(ids)`` fetches chunk texts (rag.retrieval.Retrieval.chunks).

    Example: ``CorpusNames(bm25, id_info, manifest.documents.values(), retrieval.chunks).files_mentioning("Acme")``.
    """

    def __init__(self, bm25, id_info: dict[str, tuple[str, str]], documents, chunks: Callable) -> None:
        self.bm25, self.id_info, self._chunks = bm25, id_info, chunks
        documents = list(documents)
        self._opening = frozenset(doc.chunk_ids[0] for doc in documents if doc.chunk_ids)
        self._has_mastheads: bool | None = None
        self._written: dict[str, bool] = {}
        self._dated: dict[str, list[str]] = {}
        for doc in documents:
            if doc.date:
                self._dated.setdefault(doc.date[:10], []).append(doc.source)

    def in_corpus(self, word: str) -> bool:
        """Whether a word (stemmed as for BM25) occurs anywhere in the indexed corpus."""
        return self.bm25.document_frequency(word) > 0

    def names_word(self, word: str) -> bool:
        """Whether a word of a name occurs in the corpus as written: its BM25 stem does and, when stemming cut more
        than an ending ("authority" -> "author"), the word itself (plural or possessive endings aside) is in one of
        the chunks holding the stem; a stem in more than ``TUNING.surface_check_chunks`` chunks is taken as present.
        Example: in a corpus that has "author" but not "authority", ``names_word("authority")`` -> False."""
        if not self.in_corpus(word):
            return False
        stems, lower = analyze(word), word.lower()
        if len(stems) != 1 or len(lower) - len(stems[0]) <= 2:
            return True
        known = self._written.get(lower)
        if known is None:
            positions = self.bm25.chunks_with(word)
            if len(positions) > TUNING.surface_check_chunks:
                known = True
            else:
                ids = [self.bm25.ids[i] for i in positions]
                known = any(written_in(lower, chunk.text) for chunk in self._chunks(ids).values())
            self._written[lower] = known
        return known

    def passages_mentioning(self, name: str) -> frozenset:
        """Chunks (positions in the BM25 index) holding every word of a name (stemmed as for BM25; stopwords
        skipped)."""
        found = None
        for word in name_words(name):
            if len(word) < 2 or word.lower() in STOPWORDS:
                continue
            chunks = frozenset(self.bm25.chunks_with(word).tolist())
            found = chunks if found is None else found & chunks
        return found or frozenset()

    def files_mentioning(self, name: str) -> frozenset:
        """Files holding every word of a name in one of their chunks."""
        ids, info = self.bm25.ids, self.id_info
        return frozenset(info[ids[i]][0] for i in self.passages_mentioning(name) if ids[i] in info)

    def mastheads_mentioning(self, name: str) -> frozenset:
        """Files whose masthead (the lines before the first blank line of their opening chunk: title, date,
        byline) writes a name as the question does; a file with no blank line there has no masthead."""
        ids = [self.bm25.ids[i] for i in self.passages_mentioning(name)]
        ids = [cid for cid in ids if cid in self._opening and cid in self.id_info]
        if not ids:
            return frozenset()
        return frozenset(chunk.source for chunk in self._chunks(ids).values()
                         if "\n\n" in chunk.text and writes(chunk.text.split("\n\n", 1)[0], name))

    def has_mastheads(self, sample: int = 50) -> bool:
        """Whether most files open with a masthead (a header block ended by a blank line in their opening
        chunk), judged on up to ``sample`` files once per snapshot."""
        if self._has_mastheads is None:
            ids = sorted(self._opening)[:sample]
            texts = [chunk.text for chunk in self._chunks(ids).values()] if ids else []
            self._has_mastheads = bool(texts) and sum("\n\n" in t for t in texts) * 2 > len(texts)
        return self._has_mastheads

    def files_dated(self, days: set[str]) -> frozenset:
        """Files dated on any of these days ("YYYY-MM-DD")."""
        return frozenset(source for day in days for source in self._dated.get(day, ()))


def written_in(word: str, text: str) -> bool:
    """Whether ``text`` writes ``word`` (lower case) as a word, with at most two more letters or two fewer at its
    end (plurals, possessives). Example: ``written_in("authority", "The authorities met.")`` -> True;
    ``written_in("authority", "The author met.")`` -> False."""
    stem = word[:-2]
    return any(token.lower().startswith(stem) and abs(len(token) - len(word)) <= 2 for token in WORD.findall(text))
