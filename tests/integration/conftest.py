"""The real-model tests (test_llm_real.py) are collected only where the local model and the llama.cpp server are
installed (`make llm`); elsewhere the run says in one line why they were not run. CI keeps the loopback fake."""
from __future__ import annotations

from tests.conftest import ROOT

_REASON = None


def _real_model_reason() -> str:
    global _REASON
    if _REASON is None:
        from rag.llm_model import DEFAULT_DIR, status

        _REASON = status(ROOT / DEFAULT_DIR)[1]
    return _REASON


collect_ignore = ["test_llm_real.py"] if _real_model_reason() else []


def pytest_terminal_summary(terminalreporter):
    if _real_model_reason():
        terminalreporter.write_line(f"real-model tests not run: {_real_model_reason()}")
