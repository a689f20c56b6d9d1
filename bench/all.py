"""Every benchmark, each in its own process (so one's memory peak is not another's), JSON into bench/results/,
then one summary table with the targets. `make bench` runs this.

    python -m bench.all [--out bench/results] [--only ingest,latency-100000,...] [--quick]

``--quick`` shrinks every run (100 documents, 200 questions, no 100k index, no nDCG) to check the
machinery in a few minutes; the README figures come from a full run.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {  # name -> (json key, limit)
    "ingest": [("ratio", 1.10)],
    "ingest-server": [("ratio", 1.10)],
    "latency-100000": [("p95_ms", 100.0), ("ratio", 1.5), ("rss_mb", 2048.0)],
    "coldstart": [("wall_s", 3.0)],
}


def plan(quick: bool) -> dict[str, list[str]]:
    """Benchmark name -> module arguments."""
    if quick:
        return {"ingest": ["bench.ingest", "--docs", "100"],
                "latency-seeds": ["bench.latency", "--chunks", "seeds", "--questions", "200"],
                "coldstart": ["bench.coldstart", "--runs", "3"],
                "embedders": ["bench.embedders", "--texts", "128", "--rounds", "1", "--no-quality"]}
    return {"embedders": ["bench.embedders"],
            "ingest": ["bench.ingest"],
            "ingest-server": ["bench.ingest", "--start-server"],
            "latency-seeds": ["bench.latency", "--chunks", "seeds", "--conversation", "3"],
            "mtrag": ["bench.mtrag"],
            "latency-scifact": ["bench.latency", "--chunks", "scifact"],
            "latency-100000": ["bench.latency", "--chunks", "100000", "--profile"],
            "latency-100000-server": ["bench.latency", "--chunks", "100000", "--start-server"],
            "coldstart": ["bench.coldstart"]}


def check(name: str, result: dict) -> list[str]:
    """'key value <= limit: met/missed' lines for the targets of ``name``."""
    lines = []
    for key, limit in TARGETS.get(name, []):
        value = result.get(key)
        state = "met" if value is not None and value <= limit else "MISSED"
        lines.append(f"{key} {value} <= {limit}: {state}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m bench.all``."""
    parser = argparse.ArgumentParser(prog="python -m bench.all", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--only", help="comma-separated benchmark names")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    runs = plan(args.quick)
    if args.only:
        wanted = args.only.split(",")
        unknown = [w for w in wanted if w not in runs]
        if unknown:
            parser.error(f"unknown benchmark {unknown[0]!r}; choose from {', '.join(runs)}")
        runs = {name: runs[name] for name in wanted}
    args.out.mkdir(parents=True, exist_ok=True)
    summary, failed = {}, []
    for name, module_args in runs.items():
        out = args.out / f"{name}.json"
        print(f"== {name}: python -m {' '.join(module_args)}", flush=True)
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", *module_args, "--json", str(out)], cwd=ROOT)
        if done.returncode != 0 or not out.exists():
            failed.append(name)
            continue
        result = json.loads(out.read_text(encoding="utf-8"))
        summary[name] = {"result": result, "targets": check(name, result),
                         "seconds": round(time.perf_counter() - started, 1)}
        for line in summary[name]["targets"]:
            print(f"   {line}")
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print("\n== targets")
    for name, entry in summary.items():
        for line in entry["targets"]:
            print(f"{name:<24}{line}")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
