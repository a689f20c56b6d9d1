# Two entry points for people: `make run` and `make test`. Everything else is a step of those.
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

.PHONY: install run ingest test chromium bench clean

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
