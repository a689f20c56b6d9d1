"""The generated weights modules (rag/*_weights.py) are written by one function; what it writes reads back."""
from __future__ import annotations

from bench.common import weights_module


def test_a_weights_module_reads_back_as_written():
    text = weights_module("Fitted on three invented orchards.\n", ("rain", "frost"),
                          ([0.25, 1.0], [2.0, 0.5], [1.1234567, -0.5], 0.0333333333), SCALE_SLOPE=0.1)
    namespace: dict = {}
    exec(compile(text, "<weights>", "exec"), namespace)
    assert namespace["__doc__"] == "Fitted on three invented orchards.\n"
    assert namespace["FEATURES"] == ("rain", "frost") and namespace["MEANS"] == (0.25, 1.0)
    assert namespace["WEIGHTS"] == (1.123457, -0.5) and namespace["BIAS"] == 0.033333
    assert namespace["SCALE_SLOPE"] == 0.1


def test_every_shipped_weights_module_is_what_the_writer_writes():
    import importlib
    from pathlib import Path

    for name in ("support_weights", "answer_weights", "abstain_weights", "yesno_weights"):
        module = importlib.import_module(f"rag.{name}")
        extra = {k: getattr(module, k) for k in ("SCALE_SLOPE", "SCALE_INTERCEPT") if hasattr(module, k)}
        params = (module.MEANS, module.SCALES, module.WEIGHTS, module.BIAS)
        written = weights_module(module.__doc__, module.FEATURES, params, **extra)
        assert written == Path(module.__file__).read_text(encoding="utf-8"), name  # nobody edited one by hand
