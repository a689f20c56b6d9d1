import sys, time, warnings, collections
warnings.filterwarnings("ignore")
sys.path.insert(0, ".")
from bench.latency import questions, DATA
from bench.latency_index import index_settings
from rag.embeddings import Embedder
import rag.support as S
import rag.answering.check as C
from rag.assistant import Assistant
calls = collections.Counter(); tails = []
real_measure, real_check = S.measure, C.support_check
def measure(*a, **k):
    calls["measure"] += 1
    return real_measure(*a, **k)
S.measure = measure
def support_check(claim, evidence, *a, **k):
    calls["check"] += 1
    t = time.perf_counter(); r = real_check(claim, evidence, *a, **k); dt = time.perf_counter() - t
    if dt > 0.005: tails.append((round(dt*1000,1), claim[:90], len(evidence), r.supported, r.score))
    return r
C.support_check = support_check
emb = Embedder("onnx")
a = Assistant(index_settings("100000", "onnx", None), emb)
qs = questions("100000", DATA, 300)
for q in qs: a.ask(q)
print(calls, len(qs)); print(len(tails), "checks over 5 ms")
for t in tails[:15]: print(t)
