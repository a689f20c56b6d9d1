"""The Gradio app: build_app(assistant) -> gr.Blocks; serve(settings) launches it on 127.0.0.1."""
from __future__ import annotations

import json
import os

from rag.errors import RagError
from ui.render import answer_html, sources_html


def build_app(assistant):
    """A chat page over ``assistant``, with a sources panel and a named API endpoint ``/ask``."""
    import gradio as gr

    def ask(question: str, k: int = 0) -> str:
        """Answer a question; returns the `rag ask --json` object as a JSON string (or {"error": message}).

        A string, not gr.JSON: gradio_client takes any dict with a "path" key for a file to download,
        and every citation has one.
        """
        try:
            return json.dumps(assistant.ask(question, k=int(k) or None).to_json(), ensure_ascii=False)
        except RagError as exc:
            return json.dumps({"error": str(exc)})

    def chat(question, history):
        history = list(history or [])
        try:
            answer = assistant.ask(question)
        except RagError as exc:
            history += [{"role": "user", "content": question}, {"role": "assistant", "content": f"⚠ {exc}"}]
            return history, sources_html(None), ""
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer_html(answer)}]
        return history, sources_html(answer), ""

    with gr.Blocks(title="News research assistant") as app:
        gr.Markdown("## News research assistant\nAnswers quote the articles; every sentence cites its file.")
        with gr.Row():
            with gr.Column(scale=3):
                chatbot = gr.Chatbot(label="Conversation", height=520, sanitize_html=False)
                question = gr.Textbox(label="Question", placeholder="Ask about the articles…", elem_id="question")
                send = gr.Button("Ask", variant="primary")
            with gr.Column(scale=2):
                panel = gr.HTML(sources_html(None), elem_id="sources")
        send.click(chat, [question, chatbot], [chatbot, panel, question], api_name=False)
        question.submit(chat, [question, chatbot], [chatbot, panel, question], api_name=False)
        api_q = gr.Textbox(visible=False)
        api_k = gr.Number(visible=False, value=0)
        api_out = gr.Textbox(visible=False)
        api_btn = gr.Button(visible=False)
        api_btn.click(ask, [api_q, api_k], api_out, api_name="ask")
    return app


def serve(settings) -> None:
    """Build the Assistant and serve the app on ``settings.ui_host:ui_port`` (127.0.0.1 by default)."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from rag.assistant import Assistant

    assistant = Assistant(settings)
    app = build_app(assistant)
    app.queue().launch(server_name=settings.ui_host, server_port=settings.ui_port, show_error=False)
