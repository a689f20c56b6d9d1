import json, sys
from rag.bm25 import analyze
import os, re
import rag.answering.abstain as AB
from rag.answering.abstain import missing_terms, sources_silent_on_subject, unpublished
if os.environ.get("ABLATE"):
    exec(os.environ["ABLATE"], vars(AB))
corpus = json.load(open("/work/shared/bench/multihop/corpus.json"))
post = {}
head = {}
for i, art in enumerate(corpus):
    byline = ", ".join(x for x in (art.get("author"), art.get("source")) if x)
    for t in set(analyze(art["title"] + "\n" + byline + "\n" + art["body"])):
        post.setdefault(t, set()).add(i)
    for t in set(analyze(art["title"] + "\n" + byline)):
        head.setdefault(t, set()).add(i)
def in_corpus(w): return all(t in post for t in analyze(w)) and bool(analyze(w))
def passages_of(name, post=post):
    found = None
    for w in name.replace("-", " ").replace("'", " ").split():
        toks = analyze(w)
        if not toks: continue
        s = set.intersection(*(post.get(t, set()) for t in toks))
        found = s if found is None else found & s
    return frozenset(found or ())
qs = json.load(open("/work/shared/bench/multihop/queries_dev.json"))
out = []
for q in qs:
    m = missing_terms(q["query"], in_corpus, passages_of)
    s = [] if m else sources_silent_on_subject(q["query"], passages_of, lambda n: passages_of(n, head), passages_of)
    if not m and not s:
        s = unpublished(q["query"], lambda n: passages_of(n, head))
    out.append({"null": q["question_type"] == "null_query", "missing": m, "silent": s})
json.dump(out, open(sys.argv[1], "w"))
n = sum(o["null"] for o in out)
print("declined null", sum(bool(o["missing"] or o["silent"]) for o in out if o["null"]), "/", n,
      "declined answerable", sum(bool(o["missing"] or o["silent"]) for o in out if not o["null"]), "/", len(out) - n)
