# conversation_markdown before (regex over the memo) vs after (to_markdown numbering from offset) on every seeds gold answer
import json, re, shutil, tempfile, sys
from pathlib import Path
sys.path.insert(0, ".")
from ingest.pipeline import run_ingest
from rag.settings import Settings
from rag.embeddings import Embedder
from rag.assistant import Assistant
from rag.memo import to_markdown, conversation_markdown
emb = Embedder(); base = Path(tempfile.mkdtemp()); shutil.copytree("seeds", base / "seeds")
s = Settings(source_dir=base / "seeds", db_dir=base / "db"); run_ingest(s, emb); a = Assistant(s, emb)
qs = [json.loads(l)["question"] for f in ("eval/gold_qa.jsonl", "eval/gold_shapes.jsonl") for l in open(f)]
answers = [a.ask(q) for q in qs]
def old(answers):
    parts, off = [], 0
    for x in answers:
        parts.append(re.sub(r"\[\^(\d+)\]", lambda m: f"[^{int(m.group(1)) + off}]", to_markdown(x))); off += len(x.citations)
    return "\n".join(parts)
same = sum(old(answers[i:i + 3]) == conversation_markdown(answers[i:i + 3]) for i in range(len(answers)))
print(same, "of", len(answers), "3-answer memos identical; whole memo identical:", old(answers) == conversation_markdown(answers))
shutil.rmtree(base)
