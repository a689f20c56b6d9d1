"""The corpus in the browser: the Articles panel (add files, list, open, remove) and the parts of the page that
follow the index (header count and dates, the file filter, the Since/Until hints), plus the named API
endpoints ``/add_files`` and ``/remove_source``. Adding and removing go through ingest/uploads.py (the same
ingest and lock as `rag ingest`); HTML comes from ui/articles.py.

The Assistant is never touched from here: it picks up the new index itself on its next question
(``Assistant.refresh``). The list, the filter and the viewer of the panel read the index as it is on disk
(``Library``), so a session opened before an upload sees the new article without waiting for a question.
"""
# No `from __future__ import annotations`: Gradio reads the handlers' gr.EventData/gr.Progress hints at runtime.
import json
import sys
import threading
import traceback
from pathlib import Path

from ingest.uploads import add_files, remove_source
from rag.errors import NotInCorpus, RagError, SourceMissing
from rag.store import IndexStore
from rag.manifest import Manifest
from ui.articles import articles_html, date_range, file_choices, header_html, outcome_html
from ui.viewer import viewer_html

STATIC = Path(__file__).resolve().parent / "static"
READ_ONLY = ("this app is read-only (RAG_UI_READ_ONLY / --read-only): adding and removing articles is turned off; "
             "nothing was changed")
WAITING = "Another ingest is writing the index; this waits for it to finish…"
REFRESH_S = 15  # how often an open page checks whether the index changed (a stat of the manifest)


def check_source(settings) -> None:
    """Refuse at start a ``--source`` / RAG_SOURCE_DIR that is not a folder (SourceMissing, one line), rather than at
    the first upload. Example: ``rag ui --source /nowhere`` -> 'rag: the corpus folder /nowhere does not exist ...'."""
    if "source_dir" in settings.model_fields_set and not settings.ui_read_only and not Path(settings.source_dir).is_dir():
        raise SourceMissing(f"the corpus folder {settings.source_dir} does not exist or is not a folder "
                            "(--source / RAG_SOURCE_DIR)")


class Library:
    """The index as it is on disk now: the manifest, re-read when its file changes, and the stored texts.
    Quacks like the Assistant for ui/viewer.py (``manifest``, ``document_text``)."""

    def __init__(self, settings) -> None:
        self.store = IndexStore(settings)
        self._manifest, self._stamp = Manifest(), None
        self._lock = threading.Lock()

    def stamp(self) -> str:
        """Changes whenever an ingest publishes a new manifest (server mode: the published generation)."""
        if self.store.settings.chroma_url:
            try:
                return self.store.published_generation()
            except RagError:
                return self._stamp or ""  # a server that is down: keep showing the last good list
        try:
            info = self.store.manifest_path.stat()
            return f"{info.st_mtime_ns}:{info.st_size}"
        except OSError:
            return ""

    @property
    def manifest(self) -> Manifest:
        stamp = self.stamp()
        with self._lock:
            if stamp != self._stamp:
                try:
                    self._manifest = self.store.load_manifest()
                except RagError:
                    pass  # keep the last good one; the Assistant reports a broken index on its next question
                self._stamp = stamp
            return self._manifest

    @property
    def documents(self) -> dict:
        return self.manifest.documents

    def document_text(self, source: str) -> str:
        entry = self.documents.get(source) if isinstance(source, str) else None
        if entry is None:
            raise NotInCorpus(f"{source!r} is not a file of the ingested corpus")
        return self.store.read_text(entry)

    def choices(self) -> list[tuple[str, str]]:
        """(label, source) pairs for the file filter."""
        return file_choices(self.documents)


class Desk:
    """Adding and removing articles for the app, without Gradio: results are summary dicts (the `rag ingest
    --json` object plus "files"), or {"error": one line}; never an exception."""

    def __init__(self, settings, embedder) -> None:
        self.settings, self.embedder = settings, embedder

    def add(self, files: list[tuple[str, Path]], replace: bool = False, on_wait=None, bars: bool = False) -> dict:
        if self.settings.ui_read_only:
            return {"error": READ_ONLY}
        return self._run(lambda: add_files(self.settings, self.embedder, files, bool(replace), on_wait, bars))

    def remove(self, source, on_wait=None) -> dict:
        if self.settings.ui_read_only:
            return {"error": READ_ONLY}
        return self._run(lambda: remove_source(self.settings, self.embedder, source, on_wait))

    @staticmethod
    def _run(job) -> dict:
        try:
            return job()
        except RagError as exc:
            return {"error": str(exc)}
        except Exception as exc:  # the edge: a person gets one line, the log gets the traceback
            traceback.print_exc(file=sys.stderr)
            return {"error": f"something went wrong ({type(exc).__name__}: {exc}); the server log has the details"}


def _paths(value) -> list[tuple[str, Path]]:
    """(name, path) pairs from a gr.File value: Gradio keeps the uploaded file's (cleaned) name as the basename."""
    items = value if isinstance(value, list) else [value] if value else []
    out = []
    for item in items:
        path = Path(item if isinstance(item, str) else getattr(item, "path", None) or item.get("path"))
        out.append((path.name, path))
    return out


def wire(app, assistant, header, files, since, until, viewer) -> None:
    """Add the Articles panel (unless read-only), the API endpoints and the refresh of the page's index-dependent
    parts to ``app`` (called inside its Blocks context, where the panel should appear)."""
    import gradio as gr

    settings = assistant.settings
    library, desk = Library(settings), Desk(settings, assistant.embedder)
    stamp = gr.State(library.stamp())
    read_only = settings.ui_read_only

    def page(selected, query=""):
        """The page's parts that follow the index."""
        docs = library.documents
        first, last = date_range(docs)
        kept = [s for s in (selected or []) if s in docs]
        return [library.stamp(), header_html(docs), gr.Dropdown(choices=library.choices(), value=kept),
                gr.Textbox(placeholder=f"earliest {first}" if first else "YYYY-MM-DD"),
                gr.Textbox(placeholder=f"latest {last}" if last else "YYYY-MM-DD")] + (
            [] if read_only else [articles_html(docs, query=query or "")])

    page_parts = [stamp, header, files, since, until]
    if not read_only:
        with gr.Accordion("Articles: add, open or remove", open=False, elem_id="rag-articles-panel"):
            with gr.Row(equal_height=False, elem_id="rag-articles-row"):
                with gr.Column(scale=2, min_width=260):
                    uploader = gr.File(label="Add articles: .txt, .md, .html, .pdf or a .zip of them (drop files here "
                                             "or click to choose)", file_count="multiple", type="filepath",
                                       elem_id="rag-upload", height=150)
                    replace = gr.Checkbox(False, label="Replace articles of the same name (a new version)",
                                          elem_id="rag-replace")
                    outcome = gr.HTML("", elem_id="rag-upload-outcome")
                with gr.Column(scale=3, min_width=260):
                    find = gr.Textbox(show_label=False, placeholder="Find an article by file name or title",
                                      elem_id="rag-find", max_lines=1, container=False)
                    listing = gr.HTML(articles_html(library.documents), elem_id="rag-article-list",
                                      js_on_load=(STATIC / "articles_on_load.js").read_text(encoding="utf-8"))
        page_parts.append(listing)

        def add(value, replace_same, query, selected, progress=gr.Progress(track_tqdm=True)):
            items = _paths(value)
            if not items:
                return [gr.skip()] * 2 + [gr.skip()] * len(page_parts)
            progress(0, desc=f"Checking {len(items)} file{'s' if len(items) != 1 else ''}…")
            def waiting():
                gr.Info(WAITING)
                progress(0, desc=WAITING)
            result = desk.add(items, replace_same, on_wait=waiting, bars=True)
            return [outcome_html(result), None] + page(selected, query)

        def act(query, selected, evt: gr.EventData, progress=gr.Progress()):
            # outputs: viewer, outcome, then the page's parts (the listing last)
            data = getattr(evt, "_data", None)
            data = data if isinstance(data, dict) else {}
            action, source = data.get("action"), data.get("source")
            rest = [gr.skip()] * (len(page_parts) - 1)
            if action == "open":
                return [viewer_html(library, source), gr.skip()] + rest + [gr.skip()]
            if action in ("ask-remove", "cancel"):
                confirm = source if action == "ask-remove" else ""
                return [gr.skip(), gr.skip()] + rest + [articles_html(library.documents, confirm, query or "")]
            if action != "remove":
                return [gr.skip(), gr.skip()] + rest + [gr.skip()]
            progress(0, desc=f"Removing {source}…")
            result = desk.remove(source, on_wait=lambda: gr.Info(WAITING))
            return [gr.skip(), outcome_html(result)] + page(selected, query)

        corpus = {"concurrency_id": "corpus", "concurrency_limit": 4, "api_visibility": "private"}
        # Progress shows where the outcome will appear; the chat, filter and dates stay usable meanwhile.
        uploader.upload(add, [uploader, replace, find, files], [outcome, uploader] + page_parts,
                        show_progress_on=[outcome], **corpus)
        listing.click(act, [find, files], [viewer, outcome] + page_parts, show_progress_on=[outcome], **corpus)
        find.change(lambda q: articles_html(library.documents, query=q or ""), find, listing,
                    api_visibility="private", queue=False)

    def refresh(selected, query=None):
        return page(selected, query)

    def poll(known, selected, query=None):
        return page(selected, query) if library.stamp() != known else [gr.skip()] * len(page_parts)

    extra = [find] if not read_only else []
    app.load(refresh, [files] + extra, page_parts, api_visibility="private", queue=False)
    files.focus(poll, [stamp, files] + extra, page_parts, api_visibility="private", queue=False)
    gr.Timer(REFRESH_S).tick(poll, [stamp, files] + extra, page_parts, api_visibility="private",
                             show_progress="hidden")

    # Programs: the same through gradio_client, each returning the summary as a JSON string (like /ask).
    with gr.Row(visible=False):
        api_files = gr.File(file_count="multiple", type="filepath", label="files")
        api_replace = gr.Checkbox(False, label="replace")
        api_source = gr.Textbox(label="source")
        api_out = gr.Textbox(label="summary")
        api_add = gr.Button()
        api_remove = gr.Button()

    def add_api(files, replace=False) -> str:
        """Add files to the corpus folder and ingest; the `rag ingest --json` object plus "files" (per-file
        outcomes), as a JSON string, or {"error": message}."""
        return json.dumps(desk.add(_paths(files), bool(replace)), ensure_ascii=False)

    def remove_api(source) -> str:
        """Remove one article (by its source name) from the corpus folder and the index; the summary as JSON."""
        return json.dumps(desk.remove(source), ensure_ascii=False)

    api_add.click(add_api, [api_files, api_replace], api_out, api_name="add_files", concurrency_id="corpus",
                  concurrency_limit=4)
    api_remove.click(remove_api, api_source, api_out, api_name="remove_source", concurrency_id="corpus",
                     concurrency_limit=4)
