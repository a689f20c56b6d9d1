"""Does a MultiHop-RAG question's retrieval depend on what the process asked before? The two questions whose
evidence rank differed between two whole-half runs of the same code are retrieved first, then after every dev
question has been retrieved (and asked, with --ask), then again; each time the top-10 chunk ids and fused scores."""
import json
import sys
from pathlib import Path

sys.path.insert(0, ".")
from bench.multihop import CACHE, DATA, spread  # noqa: E402
from rag.assistant import Assistant  # noqa: E402
from rag.embeddings import Embedder  # noqa: E402
from rag.filters import Filters  # noqa: E402
from rag.settings import Settings  # noqa: E402

PROBES = ("Which company, known for spending $26.3 billion", "Does the Sporting News article suggest the same "
          "challenge for Tyreek Hill")
queries = spread(json.loads((DATA / "queries_dev.json").read_text(encoding="utf-8")), None)
probes = [q["query"] for q in queries if q["query"].startswith(PROBES)]
assistant = Assistant(Settings(source_dir=CACHE / "articles", db_dir=CACHE / "db", _env_file=None), Embedder())


def look():
    return [[(h.chunk.id[:8], round(float(h.score), 7)) for h in assistant._retrieve(q, 10, Filters())] for q in probes]


first = look()
ask = "--ask" in sys.argv
for n, q in enumerate(queries):
    assistant._retrieve(q["query"], 10, Filters())
    if ask:
        assistant.ask(q["query"])
    if q["query"] in probes:
        print("in order:", n, look()[probes.index(q["query"])][:6], flush=True)
after = look()
for p, a, b in zip(probes, first, after):
    print(p[:60], "SAME" if a == b else "DIFFERENT")
    if a != b:
        print("  first:", a)
        print("  after:", b)
