"""BM25Index.search (our scorer over bm25s's index) gives bm25s's own scores and top k, with and without a
filter mask; document_frequency answers the same from its cache."""
from __future__ import annotations

import random

import numpy as np

from rag.bm25 import BM25Index, _tokenize

WORDS = ("rare earth magnet export China Japan quota seabed mud vessel price dysprosium terbium yen ministry "
         "supply chain control license ban gallium tariff mine refinery").split()


def _index() -> BM25Index:
    rng = random.Random(7)
    texts = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 25))) for _ in range(80)]
    return BM25Index.build([f"c{i}" for i in range(len(texts))], texts)


def _bm25s(index: BM25Index, query: str, k: int, mask=None) -> list[tuple[str, float]]:
    kwargs = {"weight_mask": mask.astype(np.float32)} if mask is not None else {}
    docs, scores = index.model.retrieve(_tokenize([query]), k=k, show_progress=False, n_threads=0, **kwargs)
    return [(index.ids[int(d)], float(s)) for d, s in zip(docs[0], scores[0]) if s > 0]


def test_search_gives_bm25s_scores_and_top_k():
    index = _index()
    rng = random.Random(3)
    mask = np.array([i % 3 != 0 for i in range(len(index.ids))])
    for n in range(40):
        query = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6)))
        for allowed in (None, mask):
            ours, theirs = index.search(query, 10, allowed), _bm25s(index, query, 10, allowed)
            assert dict(ours) == dict(theirs) or sorted(s for _, s in ours) == sorted(s for _, s in theirs)
            assert [s for _, s in ours] == sorted((s for _, s in ours), reverse=True)
            if allowed is not None:
                assert all(int(cid[1:]) % 3 != 0 for cid, _ in ours)


def test_search_without_known_words_is_empty():
    index = _index()
    assert index.search("the of and", 5) == [] and index.search("zzzq unknown", 5) == []


def test_document_frequency_is_stable_across_calls():
    index = _index()
    first = [index.document_frequency(w) for w in ("magnets", "The", "zzz", "Japan")]
    assert first == [index.document_frequency(w) for w in ("magnets", "The", "zzz", "Japan")]
    assert first[1] == first[2] == 0 and first[0] > 0


def test_analyze_equals_the_bm25s_tokenizer():
    from hypothesis import given, settings, strategies as st

    from rag.bm25 import analyze

    samples = ["The Exports of rare-earth magnets fell 35% in 2025!", "Ünïcode wörds and naïve café", "a I x 7",
               "", "Japan's ministries; U.S. tariffs -- e.g. 'quoted'"]
    for text in samples:
        assert analyze(text) == _tokenize([text], return_ids=False)[0]

    @settings(max_examples=200, deadline=None)
    @given(st.text(max_size=60))
    def check(text):
        assert analyze(text) == _tokenize([text], return_ids=False)[0]

    check()


def test_chunks_with_a_word_are_its_postings_in_several_domains():
    texts = ["The Lions won the cup final.", "Revenue of the Lions brewery rose.", "A film about the cup.",
             "Quarterly revenue fell at the studio."]
    index = BM25Index.build(["a", "b", "c", "d"], texts)
    assert sorted(index.ids[i] for i in index.chunks_with("Lions")) == ["a", "b"]
    assert sorted(index.ids[i] for i in index.chunks_with("revenues")) == ["b", "d"]  # stemmed like a search
    assert list(index.chunks_with("Tigers")) == []
    assert BM25Index.build([], []).chunks_with("cup").size == 0
