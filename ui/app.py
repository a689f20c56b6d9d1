"""The Gradio app: ``build_app(assistant)`` -> gr.Blocks (chat, sources panel, source viewer, controls, memo
export, API endpoints ``/ask`` and ``/source``); ``serve(settings)`` launches it on 127.0.0.1 unless told
otherwise. Behaviour lives in ui/session.py, HTML in ui/render.py, ui/sources.py and ui/viewer.py."""
# No `from __future__ import annotations` here: Gradio reads the handlers' gr.EventData/gr.SelectData hints
# at runtime to decide which handlers receive event data.
import json
import os
from pathlib import Path

from rag.errors import RagError
from ui import corpus
from ui.articles import header_html
from ui.draft_check import check_text, draft_html
from ui.render import chat_messages
from ui.session import Session
from ui.sources import sources_html
from ui.viewer import source_record

STATIC = Path(__file__).resolve().parent / "static"


def _static(name: str) -> str:
    return (STATIC / name).read_text(encoding="utf-8")


def page_head() -> str:
    """The app's stylesheet and citation script, injected into <head> once (via the sources panel)."""
    return f"<style>{_static('app.css')}</style><script>{_static('app.js')}</script>"


def build_app(assistant):
    """A chat page over ``assistant``: streamed cited answers, sources panel, viewer, controls, memo export,
    and the named API endpoints ``/ask`` (JSON answer as a string) and ``/source`` (one corpus file)."""
    import gradio as gr

    session = Session(assistant)
    settings = assistant.settings

    def ask(question: str, k: int = 0, earlier: list[str] | None = None) -> str:
        """Answer a question; returns the `rag ask --json` object as a JSON string (or {"error": message}).
        ``earlier``: the conversation's earlier questions, oldest first (optional), to resolve a follow-up;
        the reply's ``standalone_question`` says how it was understood.

        A string, not gr.JSON: gradio_client takes any dict with a "path" key for a file to download,
        and every citation has one.
        """
        if earlier is not None and (not isinstance(earlier, list) or not all(isinstance(q, str) for q in earlier)):
            return json.dumps({"error": "earlier must be a list of the conversation's earlier questions"})
        try:
            k = int(k or 0)
        except (TypeError, ValueError, OverflowError):  # an API caller may send anything
            return json.dumps({"error": f"k must be a whole number of passages (1-100, 0 for the default), "
                                        f"not {str(k)[:40]!r}"})
        try:
            return json.dumps(assistant.ask(question, k=k or None, conversation=earlier or ()).to_json(),
                              ensure_ascii=False)
        except RagError as exc:
            return json.dumps({"error": str(exc)})

    def source(name: str) -> str:
        """One file of the ingested corpus as a JSON string {source, title, date, format, text}, or {"error"}.
        Only corpus files by their source name: paths are refused whatever they point to."""
        return json.dumps(source_record(assistant, name), ensure_ascii=False)

    def chat(question, turns, backend, k, files, since, until):
        if not str(question or "").strip():
            gr.Warning("Type a question about the articles first.")
            yield tuple(gr.skip() for _ in range(6))
            return
        turns = list(turns or [])
        for turns in session.ask(question, turns, backend, k, files, since, until):
            if turns[-1].answer is None and not turns[-1].error:
                yield chat_messages(turns), gr.skip(), turns, "", gr.skip(), gr.skip()
        one, whole = session.memo_files(turns)
        yield (chat_messages(turns), sources_html(turns, session.text_of), turns, "",
               gr.DownloadButton(value=one, interactive=one is not None),
               gr.DownloadButton(value=whole, interactive=whole is not None))

    def pick_example(evt: gr.SelectData):
        value = evt.value if isinstance(evt.value, dict) else {}
        return value.get("text", "")

    def open_source(turns, evt: gr.EventData):
        return session.open_source(turns or [], getattr(evt, "_data", None))

    def clear():
        return ([], sources_html([]), [], "", gr.DownloadButton(value=None, interactive=False),
                gr.DownloadButton(value=None, interactive=False), "")

    examples = session.examples()
    header = header_html(assistant.manifest.documents)  # kept up to date with the index by ui/corpus.py
    with gr.Blocks(title="News research assistant", fill_width=True) as app:
        turns_state = gr.State([])
        with gr.Row(elem_id="rag-top", equal_height=True):
            header_box = gr.HTML(header, elem_id="rag-header", js_on_load=None, scale=6)
            memo_one = gr.DownloadButton("⬇ Memo: this answer", value=None, interactive=False, size="sm",
                                         elem_id="memo-answer", scale=1, min_width=150)
            memo_all = gr.DownloadButton("⬇ Memo: conversation", value=None, interactive=False, size="sm",
                                         elem_id="memo-conversation", scale=1, min_width=160)
            new = gr.Button("New conversation", size="sm", variant="secondary", elem_id="new", scale=1,
                            min_width=140)
        with gr.Row(equal_height=False):
            with gr.Column(scale=7, min_width=520):
                chatbot = gr.Chatbot(
                    value=[], show_label=False, elem_id="rag-chat", height=480, sanitize_html=True,
                    render_markdown=False, latex_delimiters=[], buttons=[], feedback_options=None,
                    examples=[{"text": q} for q in examples] or None, layout="bubble",
                    placeholder="<b>Ask about the articles.</b> Answers quote the files; pick an example or type "
                                "a question below.")
                with gr.Row(elem_id="rag-ask-row"):
                    question = gr.Textbox(show_label=False, placeholder="Ask a question about the articles…",
                                          elem_id="question", scale=8, lines=1, max_lines=4, autofocus=True,
                                          container=False)
                    ask_btn = gr.Button("Ask", variant="primary", scale=1, min_width=90, elem_id="ask")
                with gr.Row(elem_id="rag-controls"):
                    backend = gr.Dropdown(session.answerers(), value=session.default_answerer(), label="Answerer",
                                          scale=3, elem_id="answerer")
                    k = gr.Slider(1, 20, value=min(settings.top_k, 20), step=1, label="Passages", scale=3,
                                  elem_id="passages")
                    since = gr.Textbox(label="Since", placeholder="YYYY-MM-DD", scale=2, max_lines=1,
                                       elem_id="since")
                    until = gr.Textbox(label="Until", placeholder="YYYY-MM-DD", scale=2, max_lines=1,
                                       elem_id="until")
                files = gr.Dropdown(session.source_choices(), value=[], multiselect=True, elem_id="files",
                                    label="Only these files (none selected: all files)")
            with gr.Column(scale=5, min_width=380):
                panel = gr.HTML(sources_html([]), elem_id="rag-sources", js_on_load=_static("panel_on_load.js"),
                                head=page_head(), max_height=720)
        viewer = gr.HTML("", elem_id="rag-viewer", js_on_load=_static("viewer_on_load.js"))
        corpus.wire(app, assistant, header_box, files, since, until, viewer)  # Articles panel, /add_files, ...
        with gr.Accordion("Check a draft", open=False, elem_id="rag-check"):
            draft = gr.Textbox(show_label=False, lines=4, max_lines=12, elem_id="draft",
                               placeholder="Paste a memo paragraph or a model's answer: each sentence is checked "
                                           "against the articles")
            check_btn = gr.Button("Check", size="sm", elem_id="check")
            checked = gr.HTML(draft_html([]), elem_id="rag-checked")

        inputs = [question, turns_state, backend, k, files, since, until]
        outputs = [chatbot, panel, turns_state, question, memo_one, memo_all]
        opts = {"api_visibility": "private", "concurrency_id": "answer"}
        ask_btn.click(chat, inputs, outputs, **opts)
        question.submit(chat, inputs, outputs, **opts)
        chatbot.example_select(pick_example, None, question, api_visibility="private").then(
            chat, inputs, outputs, **opts)
        panel.click(open_source, [turns_state], viewer, api_visibility="private")
        new.click(clear, None, outputs + [viewer], api_visibility="private")
        chatbot.clear(clear, None, outputs + [viewer], api_visibility="private")
        check_btn.click(lambda text: check_text(text, assistant), [draft], checked, api_visibility="private",
                        concurrency_id="answer")
        gr.api(ask, api_name="ask", concurrency_id="answer")
        gr.api(source, api_name="source")
    return app


def serve(settings) -> None:
    """Check where to listen and who may log in, build the Assistant, and serve the app (blocking)."""
    from ui.safety import launch_options

    options = launch_options(settings)  # refuses a non-loopback host without RAG_UI_AUTH, before loading anything
    corpus.check_source(settings)
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from rag.assistant import Assistant
    from rag.store import IndexStore

    IndexStore(settings).check_exists()  # no index: say so in one line before spending seconds on the model

    assistant = Assistant(settings)
    app = build_app(assistant)
    app.queue(default_concurrency_limit=1).launch(
        **options, max_file_size=settings.upload_max_bytes, show_error=False, ssr_mode=False, footer_links=["api"],
        run_history=False, enable_monitoring=False, auth_message="News research assistant: log in (RAG_UI_AUTH)." if options["auth"]
        else None)

