"""Cold start: wall time of a one-shot ``rag ask --json QUESTION`` (a new process: imports, model load, index
open, one answer) on the seeds index, per embedding backend, beside the floor of starting Python itself.

    python -m bench.coldstart [--runs 5] [--backends onnx-int8,torch] --json OUT

The index is built once per backend with ``rag ingest`` in a temporary folder. Each figure is the median of
``--runs`` runs (the OS file cache is warm after the first, as on a machine that used the command before).
One extra run under ``python -X importtime`` lists the slowest imports.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import write_json

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "What share of Japan's rare earth imports come from China?"
TARGET_S = 3.0


def _env(backend: str) -> dict:
    return {**os.environ, "RAG_EMBED_BACKEND": backend, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}


def timed(cmd: list[str], env: dict, runs: int) -> list[float]:
    """Wall seconds of ``runs`` runs of ``cmd`` (each must exit 0)."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"bench.coldstart: {' '.join(cmd[:3])} failed: {done.stderr.strip()[-300:]}")
    return times


def slowest_imports(cmd: list[str], env: dict, top: int = 8) -> list[dict]:
    """Packages by total import time (each module's own time, summed per top-level package) in one run
    under ``-X importtime``."""
    done = subprocess.run([sys.executable, "-X", "importtime", *cmd[1:]], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    totals: dict[str, float] = {}
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or line.count("|") != 2:
            continue
        own, _, name = line[len("import time:"):].split("|")
        if not own.strip().isdigit():
            continue  # the header line
        package = name.strip().split(".")[0]
        totals[package] = totals.get(package, 0.0) + int(own) / 1e6
    ranked = sorted(totals.items(), key=lambda kv: -kv[1])[:top]
    return [{"package": name, "s": round(seconds, 2)} for name, seconds in ranked]


def run(backends: list[str], runs: int) -> dict:
    """Build the seeds index per backend, then time one-shot asks."""
    rag = str(Path(sys.executable).with_name("rag"))
    floor = statistics.median(timed([sys.executable, "-c", "pass"], dict(os.environ), runs))
    result = {"question": QUESTION, "runs": runs, "python_startup_s": round(floor, 3), "target_s": TARGET_S,
              "backends": {}}
    with tempfile.TemporaryDirectory(prefix="bench-coldstart-") as tmp:
        for backend in backends:
            db = Path(tmp) / backend
            env = _env(backend)
            timed([rag, "ingest", "--source", str(ROOT / "seeds"), "--db", str(db), "--json"], env, 1)
            ask = [rag, "ask", "--json", "--db", str(db), QUESTION]
            times = timed(ask, env, runs + 1)[1:]  # the first run only warms the OS file cache
            result["backends"][backend] = {"wall_s": round(statistics.median(times), 2),
                                           "min_s": round(min(times), 2), "max_s": round(max(times), 2),
                                           "slowest_imports": slowest_imports([sys.executable, "-m", "rag.cli",
                                                                               *ask[1:]], env)}
    first = backends[0]
    result["backend"], result["wall_s"] = first, result["backends"][first]["wall_s"]
    result["met"] = result["wall_s"] <= TARGET_S
    return result


def table(result: dict) -> str:
    """A short aligned table."""
    lines = [f"{'backend':<12}{'median s':>10}{'min s':>8}   slowest imports",
             f"{'(python)':<12}{result['python_startup_s']:>10}"]
    for name, row in result["backends"].items():
        imports = ", ".join(f"{i['package']} {i['s']}" for i in row["slowest_imports"][:4])
        lines.append(f"{name:<12}{row['wall_s']:>10}{row['min_s']:>8}   {imports}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m bench.coldstart``."""
    from rag.settings import Settings

    default = Settings(_env_file=None).embed_backend
    parser = argparse.ArgumentParser(prog="python -m bench.coldstart", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--backends", default=",".join(dict.fromkeys([default, "torch"])),
                        help="comma-separated; the first is the reported figure")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    result = run([b for b in args.backends.split(",") if b], args.runs)
    print(table(result))
    write_json(args.json, result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
