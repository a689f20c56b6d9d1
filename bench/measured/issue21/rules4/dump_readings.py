"""Every dev question's reading and every dev paragraph's passage readings, dumped to compare two trees (issue 21,
rules4). rules3/dump_readings.py with the readers' current module paths (rag.readers.*) and a few more readings:
the yes/no question's claims and negation, the LLM hint's question tests, the draft and citation splitting.

    cd TREE && python /path/to/dump_readings.py OUT.json   (run from the tree being read: it imports ./rag)
"""
import json, random, sys
from pathlib import Path
sys.path.insert(0, ".")
from bench.mtrag import read_jsonl, user_turns
import rag.readers.values as VA, rag.readers.cues as CU, rag.answering.clauses as CL, rag.names as NA
import rag.textspans as TS, rag.readers.verbs as VB, rag.readers.claims as CI
import rag.answering.shapes as SH, rag.readers.abstain as AB, rag.conversation as CV
from rag.answering.reading import read_question

EXTRA_Q = []  # (name, function of a question) added by later cuts; see README_rules4.md
EXTRA_P = []  # (name, function of a paragraph)
from rag.answering.llm_passages import question_hint
EXTRA_Q.append(("question_hint", question_hint))


def questions():
    qs = {}
    def add(src, q):
        if q and q not in qs: qs[q] = src
    for f in ["eval/gold_qa.jsonl", "eval/gold_shapes.jsonl"]:
        for l in open(f): add("seeds", json.loads(l)["question"])
    for l in open("eval/gold_conversations.jsonl"):
        d = json.loads(l)
        for t in d.get("turns", []):
            add("conversations", t["question"] if isinstance(t, dict) else t)
            if isinstance(t, dict): add("conversations", t.get("standalone"))
    for l in open("/work/shared/bench/ramdocs/ramdocs_dev.jsonl"):
        add("ramdocs", json.loads(l)["question"])
    for q in json.load(open("/work/shared/bench/multihop/queries_dev.json")): add("multihop", q["query"])
    data = Path("/work/shared/bench/mtrag")
    for domain in ("clapnq", "cloud", "fiqa", "govt"):
        last = read_jsonl(data / "tasks" / domain / f"{domain}_lastturn.jsonl")
        for qid, text in last.items():
            add("mtrag", " ".join(user_turns(text)))
    return qs


def q_reading(q):
    r = read_question(q).to_json()
    return [json.dumps(r, sort_keys=True, default=str), SH.focus(q), tuple(AB.focus_words(q)),
            str(AB.attributed_sources(q)), tuple(VB.bare_verbs(q)), tuple(sorted(VB.closing_verb_terms(q))),
            CV.follow_up_reason(q), tuple(CV.own_terms(q)), SH.is_yes_no(q)] + [str(f(q)) for _, f in EXTRA_Q]


def paragraphs():
    paras = {}
    for p in sorted(Path("seeds").glob("*.txt")):
        for para in p.read_text().split("\n"):
            if para.strip(): paras[para] = "seeds"
    for l in open("/work/shared/bench/ramdocs/ramdocs_dev.jsonl"):
        for d in json.loads(l)["documents"]:
            paras[d["text"]] = "ramdocs"
    mh = [para for a in json.load(open("/work/shared/bench/multihop/corpus.json"))
          for para in a["body"].split("\n") if para.strip()]
    for para in mh:
        paras.setdefault(para, "multihop")
    return paras


def p_reading(t):
    vals = [(v.kind, v.key, v.start, v.end) for v in VA.dates(t) + VA.shares(t) + VA.money(t) + VA.quantities(t)
            + VA.names(t)]
    return [tuple(vals), tuple(TS.sentence_spans(t)), CU.enumerates(t), tuple(sorted(CU.relative_periods(t))),
            tuple(sorted(CI.numbers(t))), CI.strip_markers(t), TS.displayed(t), CL.clause_around(t, len(t) // 2),
            VB.attributes_speech(t, ("Lee",)), tuple(NA.name_runs(t)), tuple(TS.content_terms(t))] + \
        [str(f(t)) for _, f in EXTRA_P]


if __name__ == "__main__":
    qs, paras = questions(), paragraphs()
    out = {"questions": {q: [str(x) for x in q_reading(q)] for q in qs},
           "paragraphs": {t: [str(x) for x in p_reading(t)] for t in paras}}
    json.dump(out, open(sys.argv[1], "w"))
    print(len(out["questions"]), "questions", len(out["paragraphs"]), "paragraphs")
