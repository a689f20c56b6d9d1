"""Fit the prompt-token estimate (rag/token_weights.py, read by rag.answering.llm_passages.tokens) against a real
tokenizer, and say how well it carries from one corpus to another.

    python -m bench.token_fit [--model FILE.gguf] [--write] [--json OUT]

Why: the LLM's wait before its first token is the prompt it reads, so the prompt budget is only as good as the
token estimate. The old estimate (4.5 characters a token) read "2025-04-04" as 2 tokens; the test model's
tokenizer (Qwen2, like Llama 2's) spends a token per digit, and a row of symbols ("▲a ▲b") a token or two each.
The estimate counts runs of character classes (ASCII words and their letters, other letters, digits, punctuation,
other symbols, wide characters) and weighs them by a non-negative least-squares fit of the real counts.

Texts: the sentences and titles of three corpora (the seeds, the MultiHop-RAG corpus, RAMDocs dev documents;
never their questions), deterministically sampled. The real counts come from the GGUF's own vocabulary
(``llama_cpp.Llama(vocab_only=True)``: needs ``make llm``). Reported: the ratio estimate / real (median, 5th and
95th percentiles) of the old estimate and of the fit, in-sample and leave-one-corpus-out.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import numpy as np

from bench.common import write_json

ROOT = Path(__file__).resolve().parent.parent
WEIGHTS_FILE = ROOT / "rag" / "token_weights.py"
SHARED = ROOT.parent / "shared" / "bench"
PER_CORPUS = 1500


def texts() -> dict[str, list[str]]:
    """Corpus name -> sampled sentences and titles (seeded, so every run reads the same lines)."""
    from rag.textspans import sentence_spans

    def sentences(documents: list[str]) -> list[str]:
        out = []
        for doc in documents:
            out += [doc[s.start:s.end] for s in sentence_spans(doc, 0, len(doc)) if doc[s.start:s.end].strip()]
        return out

    def sample(lines: list[str], seed: int) -> list[str]:
        lines = [" ".join(line.split()) for line in lines if line.strip()]
        return random.Random(seed).sample(lines, min(PER_CORPUS, len(lines)))

    seeds = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    multihop = json.loads((SHARED / "multihop" / "corpus.json").read_text(encoding="utf-8"))
    ramdocs = [json.loads(line) for line in (SHARED / "ramdocs" / "ramdocs_dev.jsonl").open(encoding="utf-8")]
    return {"seeds": sample(sentences(seeds) + [d.splitlines()[0] for d in seeds], 1),
            "multihop": sample(sentences([d["body"] for d in multihop]) + [d["title"] for d in multihop], 2),
            "ramdocs": sample(sentences([d["text"] for item in ramdocs for d in item["documents"]]), 3)}


def real_counts(model: Path, lines: list[str]) -> np.ndarray:
    from llama_cpp import Llama

    vocab = Llama(str(model), vocab_only=True, verbose=False)
    return np.array([len(vocab.tokenize(line.encode("utf-8"), add_bos=False, special=False)) for line in lines],
                    dtype=float)


def fit(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    from scipy.optimize import nnls

    return nnls(x, y)[0]


def ratios(estimate: np.ndarray, real: np.ndarray) -> dict:
    r = estimate / np.maximum(real, 1)
    return {"median": round(float(np.median(r)), 3), "p5": round(float(np.percentile(r, 5)), 3),
            "p95": round(float(np.percentile(r, 95)), 3), "under_0.8": round(float(np.mean(r < 0.8)), 3)}


def old_tokens(text: str) -> int:
    """The estimate before 2026-12-07 (4.5 characters a token, a token per wide character), for comparison.
    Example: ``old_tokens("The bridge opened in 1932.")`` -> 6."""
    from rag.answering.llm_passages import _WIDE

    wide = sum(ch >= _WIDE for ch in text)
    return max((len(text) - wide) * 2 // 9, len(text.split())) + wide + 1


def main(argv=None) -> int:
    from rag.answering.llm_passages import token_features
    from rag.llm_model import DEFAULT_DIR, MODEL_FILE
    from rag.token_weights import FEATURES

    parser = argparse.ArgumentParser(prog="python -m bench.token_fit")
    parser.add_argument("--model", default=str(ROOT / DEFAULT_DIR / MODEL_FILE))
    parser.add_argument("--write", action="store_true", help="regenerate rag/token_weights.py")
    parser.add_argument("--json", default=str(ROOT / "bench" / "measured" / "issue22" / "token_fit.json"))
    args = parser.parse_args(argv)

    corpora = texts()
    names = list(corpora)
    lines = [line for name in names for line in corpora[name]]
    group = np.array([name for name in names for _ in corpora[name]])
    real = real_counts(Path(args.model), lines)
    x = np.array([[token_features(line)[f] for f in FEATURES] for line in lines], dtype=float)
    old = np.array([old_tokens(line) for line in lines], dtype=float)
    weights = fit(x, real)
    report = {"features": list(FEATURES), "weights": [round(float(w), 4) for w in weights],
              "lines": {n: int((group == n).sum()) for n in names}, "old": {}, "fit": {}, "leave_one_corpus_out": {}}
    for name in names + ["all"]:
        mask = np.ones(len(real), bool) if name == "all" else group == name
        report["old"][name] = ratios(old[mask], real[mask])
        report["fit"][name] = ratios(x[mask] @ weights, real[mask])
        if name != "all":
            held = fit(x[~mask], real[~mask])
            report["leave_one_corpus_out"][name] = ratios(x[mask] @ held, real[mask])
    print(json.dumps(report, indent=1))
    write_json(Path(args.json), report)
    if args.write:
        doc = ("Written by `python -m bench.token_fit --write` (do not edit): weights of the prompt-token estimate\n"
               "(rag.answering.llm_passages.tokens), a non-negative least-squares fit of the test model's tokenizer\n"
               "on sentences of three corpora (figures: bench/measured/issue22/token_fit.json).")
        WEIGHTS_FILE.write_text(f'"""{doc}"""\nFEATURES = {tuple(FEATURES)!r}\n'
                                f"WEIGHTS = {tuple(round(float(w), 4) for w in weights)!r}\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
