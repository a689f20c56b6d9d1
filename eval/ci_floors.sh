#!/bin/sh
# Last step of `make test`: `rag eval` on a fresh index of seeds/ with floors just under the figures measured
# on 2026-11-23, so a regression in retrieval, citing or answering fails the build. Margins: about 0.05 under
# each figure; abstention_accuracy one item of 11 under; false_abstention_rate is a ceiling (lower is better).
# Latency has no floor: timings depend on the machine. Raise a floor when a figure improves for good.
# Measured: recall@5 0.956, mrr 0.969, citation precision 0.862 / recall 0.881, quotes 1.0, supported 1.0,
# fact recall 0.794, abstention accuracy 0.727, false abstention 0.0.
set -eu
cd "$(dirname "$0")/.."
RAG=${RAG:-.venv/bin/rag}
FLOORS="
retrieval_recall@5=0.90
mrr=0.92
citation_precision=0.81
citation_recall=0.83
quote_validity=1.0
supported_rate=0.95
fact_recall=0.74
abstention_accuracy=0.63
false_abstention_rate=0.08
"
export HF_HUB_OFFLINE=1 ANONYMIZED_TELEMETRY=False
export RAG_LLM=extractive RAG_CHROMA_URL=  # judge the offline answerer on the embedded store, whatever .env says
DB=$(mktemp -d)
trap 'rm -rf "$DB"' EXIT INT TERM
"$RAG" ingest --source seeds --db "$DB" >/dev/null
mkdir -p artifacts
# floored GOLD REPORT FLOORS: `rag eval` of one gold set with its floors; reports in artifacts/REPORT.{json,md}.
floored() {
    gold=$1 report=$2 floors=$3 db=${4:-$DB}
    set --
    for floor in $floors; do set -- "$@" --min "$floor"; done
    "$RAG" eval --db "$db" --gold "$gold" --json "artifacts/$report.json" --markdown "artifacts/$report.md" "$@"
}
floored eval/gold_qa.jsonl eval_seeds "$FLOORS"
# Conversations (eval/gold_conversations.jsonl: 13 conversations, 33 later turns). Measured 2026-12-02 (after the
# answer-selection cues): first turns fact recall 1.0; later turns in conversation fact recall 0.967, source hit
# (recall@5) 1.0, quotes 1.0, unanswerable follow-ups declined 3/3, false abstention 0.0; the same turns asked as
# their hand-written standalone rewrites: fact recall 0.967.
CONVERSATION_FLOORS="
first.fact_recall=0.95
first.retrieval_recall@5=0.95
later.fact_recall=0.90
later.retrieval_recall@5=0.95
later.quote_validity=1.0
later.abstention_accuracy=1.0
later.false_abstention_rate=0.04
later_standalone.fact_recall=0.90
"
floored eval/gold_conversations.jsonl eval_conversations "$CONVERSATION_FLOORS"
# Shaped answers (eval/gold_shapes.jsonl: 29 why / reaction / comparison / summary / timeline / yes-no / list
# questions over the seeds, facts as alias lists; issue 25). Measured 2026-12-07 (sixth session, a quotation read as
# its speaker's act): facts covered 0.747 (0.701 before; 0.736 on 2026-12-08: a quotation left open no longer runs past
# its paragraph, and one fact it had brought in by accident went), every expected file cited (files_spread) 0.828, declined 0
# of 29, quotes 1.0, shape read as the gold says 29/29, yes/no verdicts 5/5.
# Floors about 0.05 under; shape and verdict one or two items under; declining is a ceiling of one item.
SHAPE_FLOORS="
fact_recall=0.70
files_spread=0.78
quote_validity=1.0
false_abstention_rate=0.035
shape_accuracy=0.93
verdict_accuracy=0.8
"
floored eval/gold_shapes.jsonl eval_shapes "$SHAPE_FLOORS"
# The second shaped set, written blind (eval/gold_shapes_blind.jsonl: 21 questions, 3 per shape, by a helper who
# never saw the code or an answer; bench/measured/issue25/blind/). Measured 2026-12-07 (fifth session): facts
# covered 0.603 (first run, before any change for it: 0.587), files_spread 0.905, declined 0 of 21, quotes 1.0,
# shapes 21/21, yes/no verdicts 1/3 (no floor: three items). Floors about 0.05 under; declining a ceiling of one.
BLIND_FLOORS="
fact_recall=0.55
files_spread=0.85
quote_validity=1.0
false_abstention_rate=0.05
shape_accuracy=0.9
"
floored eval/gold_shapes_blind.jsonl eval_shapes_blind "$BLIND_FLOORS"
# Shaped questions over news the composers were not written on: two sets of 21 written blind over slices of the
# MultiHop-RAG corpus (bench/measured/issue25/newsblind*/), each slice its own index. Measured 2026-12-07 (sixth
# session): news facts 0.290, files_spread 0.857, declined 0, quotes 1.0, shapes 0.952; news2 facts 0.226,
# files_spread 0.857, declined 0, quotes 1.0, shapes 0.857 (first runs, before any change: 0.254 and 0.202). Eighth
# session (timelines cover only the files about the question): news citation precision 0.767, files_spread 0.810;
# news2 facts 0.238, citation precision 0.814. Floors about 0.05 under; declining a ceiling of one item. They need
# ../shared/bench/multihop beside the repository.
PY=${PY:-.venv/bin/python}
NEWS_FLOORS="
fact_recall=0.24
citation_precision=0.71
files_spread=0.80
quote_validity=1.0
false_abstention_rate=0.05
shape_accuracy=0.90
"
NEWS2_FLOORS="
fact_recall=0.19
citation_precision=0.76
files_spread=0.80
quote_validity=1.0
false_abstention_rate=0.05
shape_accuracy=0.80
"
if [ -f ../shared/bench/multihop/corpus.json ]; then
    for slice in news news2; do
        folder=$("$PY" -m bench.shapes_news --prepare --sets "$slice")
        mkdir -p "$DB/$slice"
        "$RAG" ingest --source "$folder" --db "$DB/$slice" >/dev/null
    done
    floored eval/gold_shapes_news_blind.jsonl eval_shapes_news "$NEWS_FLOORS" "$DB/news"
    floored eval/gold_shapes_news_blind2.jsonl eval_shapes_news2 "$NEWS2_FLOORS" "$DB/news2"
else
    echo "news shaped floors not run: ../shared/bench/multihop/corpus.json is not beside the repository" >&2
fi
