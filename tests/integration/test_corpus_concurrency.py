"""Uploads and questions at the same time, over a real Gradio app in this process (the model shared, as in
`rag ui`) and gradio_client: questions asked while an upload ingests are answered from the old or the new
index, never an error; two uploads at once run one after the other (the ingest lock), and the index they leave
is exactly a clean ingest of the folder."""
from __future__ import annotations

import json
import shutil
import threading
import time

from tests.conftest import SEEDS, free_port, run_rag
from tests.integration.test_concurrency import PM, SEVEN, SHARE, _lock_held


def _consistent(answer: dict, old: dict[str, str], new: dict[str, str]) -> set[str]:
    """Which folder versions (old, new) every citation and retrieved file of an /ask answer agrees with."""
    possible = {"old", "new"}
    for c in answer["citations"] + answer["related"]:
        possible &= {name for name, texts in (("old", old), ("new", new))
                     if c["source"] in texts and texts[c["source"]][c["start"]:c["end"]] == c["quote"]}
    for source in answer["retrieved"]:
        possible &= {name for name, texts in (("old", old), ("new", new)) if source in texts}
    return possible


class _IngestWaitsForQuestions:
    """The real embedder, except that embedding an upload's chunks (inside the ingest lock) first waits until
    ``questions_seen`` is set, at most two minutes: the test then sees questions answered while an upload holds
    the lock on any machine load, instead of hoping the upload is slow enough (it once was not, on a busy box)."""

    def __init__(self, embedder) -> None:
        self._embedder = embedder
        self.questions_seen = threading.Event()

    def encode_passages(self, texts):
        self.questions_seen.wait(120)
        return self._embedder.encode_passages(texts)

    def __getattr__(self, name):
        return getattr(self._embedder, name)


def test_questions_during_uploads_and_two_uploads_at_once(tmp_path, embedder):
    from gradio_client import Client, handle_file

    from ingest.pipeline import run_ingest
    from rag.assistant import Assistant
    from rag.settings import Settings
    from ui.app import build_app

    folder, db = tmp_path / "corpus", tmp_path / "db"
    shutil.copytree(SEEDS, folder)
    settings = Settings(source_dir=folder, db_dir=db)
    run_ingest(settings, embedder)
    old = {p.name: p.read_text(encoding="utf-8") for p in folder.iterdir()}
    # Uploads with work for the embedder: the seed articles reworded, in two groups.
    uploads = tmp_path / "uploads"
    groups = {"a": [], "b": []}
    for i, (name, text) in enumerate(sorted(old.items())):
        for group in groups:
            path = uploads / group / f"{group}{i}_{name}"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"Bulletin {group}{i} on gallium.\n" + text.replace("rare earth", f"mineral {group}{i}"),
                            encoding="utf-8")
            groups[group].append(path)
    new = {**old, **{p.name: p.read_text(encoding="utf-8") for paths in groups.values() for p in paths}}

    gated = _IngestWaitsForQuestions(embedder)
    app = build_app(Assistant(settings, gated))
    port = free_port()
    app.queue(default_concurrency_limit=1).launch(server_name="127.0.0.1", server_port=port,
                                                  prevent_thread_lock=True, quiet=True)
    try:
        url = f"http://127.0.0.1:{port}/"
        results: dict[str, dict] = {}

        def upload(group: str) -> None:
            client = Client(url, verbose=False)
            results[group] = json.loads(client.predict([handle_file(str(p)) for p in groups[group]], False,
                                                       api_name="/add_files"))

        asker = Client(url, verbose=False)
        workers = [threading.Thread(target=upload, args=(g,)) for g in groups]
        for worker in workers:
            worker.start()
        answers, during, deadline = [], 0, time.monotonic() + 300
        while any(w.is_alive() for w in workers) and time.monotonic() < deadline:
            held = _lock_held(db / "ingest.lock") if (db / "ingest.lock").exists() else False
            answers.append(json.loads(asker.predict((SHARE, SEVEN, PM)[len(answers) % 3], 0, api_name="/ask")))
            during += held and _lock_held(db / "ingest.lock")
            if during >= 2:
                gated.questions_seen.set()
        for worker in workers:
            worker.join(300)
    finally:
        app.close()

    assert set(results) == {"a", "b"} and all("error" not in r for r in results.values()), results
    assert all("error" not in a for a in answers), [a for a in answers if "error" in a]
    assert during >= 2, f"only {during} questions were answered while an upload held the ingest lock"
    for answer in answers:
        assert _consistent(answer, old, new), (answer["question"], answer["answer"])

    # One after the other: the upload that ran second found the first one's files already indexed.
    names = {g: {p.name for p in paths} for g, paths in groups.items()}
    first, second = sorted(results, key=lambda g: len(results[g]["unchanged"]))
    assert set(results[first]["added"]) == names[first] and set(results[first]["unchanged"]) == set(old)
    assert set(results[second]["added"]) == names[second]
    assert set(results[second]["unchanged"]) == set(old) | names[first]
    assert results[second]["chunks"] > results[first]["chunks"]

    # What they left is what a clean `rag ingest` of the folder holds: nothing to redo.
    cli = run_rag("ingest", "--source", str(folder), "--db", str(db), "--json")
    assert cli.returncode == 0, cli.stderr
    summary = json.loads(cli.stdout)
    assert summary["embedded"] == 0 and not summary["added"] + summary["updated"] + summary["removed"]
    assert len(summary["unchanged"]) == len(new) and summary["chunks"] == results[second]["chunks"]
