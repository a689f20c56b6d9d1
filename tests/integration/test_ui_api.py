"""Issue 2: the UI app builds and answers through its named API endpoint (real Gradio server + gradio_client)."""
from __future__ import annotations

import json

import pytest

from tests.conftest import free_port


@pytest.fixture(scope="module")
def served_app(assistant):
    from ui.app import build_app

    app = build_app(assistant)
    port = free_port()
    app.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True)
    yield f"http://127.0.0.1:{port}/"
    app.close()


def test_api_endpoint_answers_with_citations(served_app):
    from gradio_client import Client

    client = Client(served_app, verbose=False)
    result = json.loads(client.predict("Which seven rare earth elements did China put under export control on April 4, 2025?",
                            0, api_name="/ask"))
    assert "dysprosium" in result["answer"].lower()
    assert result["citations"] and not result["abstained"]
    from pathlib import Path

    for c in result["citations"]:
        assert Path(c["path"]).read_text(encoding="utf-8")[c["start"]:c["end"]] == c["quote"]


def test_api_endpoint_reports_bad_question(served_app):
    from gradio_client import Client

    result = json.loads(Client(served_app, verbose=False).predict("   ", 0, api_name="/ask"))
    assert "empty" in result["error"]
