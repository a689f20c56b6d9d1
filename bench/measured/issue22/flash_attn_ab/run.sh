#!/bin/bash
# A/B of the llama.cpp server's flash attention on the first token (bench.llm on 12 single questions), alternated twice.
cd "$(dirname "$0")/../../../.."
export HF_HUB_OFFLINE=1
for round in 1 2; do
  for fa in False True; do
    ${LLM_PYTHON:-.venv/bin/python} -m llama_cpp.server --model ${LLM_MODEL_FILE:-.rag/llm/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf} --model_alias qwen2.5-coder-1.5b-instruct --host 127.0.0.1 --port 18081 --n_ctx 4096 --n_threads 2 --flash_attn $fa > ${OUT:-/tmp}/fa_$fa.log 2>&1 &
    pid=$!
    for i in $(seq 60); do curl -s 127.0.0.1:18081/v1/models >/dev/null && break; sleep 1; done
    .venv/bin/python -m bench.llm --base-url http://127.0.0.1:18081/v1 --sets qa --limit qa=12 --json ${OUT:-/tmp}/fa_${fa}_$round.json > ${OUT:-/tmp}/fa_${fa}_$round.log 2>&1
    kill $pid; wait $pid 2>/dev/null
  done
done
