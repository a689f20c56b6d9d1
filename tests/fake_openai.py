"""A real HTTP server on loopback that speaks the OpenAI chat-completions API (streaming SSE and plain JSON) and
Ollama's /api/chat (NDJSON), with replies scripted per test. It stands in for a remote LLM only.

    with FakeLLM() as fake:
        fake.script(lambda req: f"Tokyo is big [{req.source_with('Tokyo')}].")  # the numbered sentence naming Tokyo
        settings = settings.with_(llm="openai", llm_base_url=fake.url)

A condense request (``req.condensing``) is answered like any other, from the script: a test scripts the rewrite
first, then the answer.

Modes (``fake.mode``): "ok"; "refuse" (HTTP 500); "slow" (sleep ``delay`` s before answering); "stall" (send half the
tokens, then sleep); "malformed" (HTTP 200 with a body that is not JSON). A scripted ``Status(code)`` answers that one
request with that HTTP status.
"""
from __future__ import annotations

import json
import re
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

_FENCED = re.compile(r"<sources>\n(.*?)\n</sources>", re.DOTALL)
_NUMBERED = re.compile(r"^\[(\d+)\] (.*)$", re.MULTILINE)


@dataclass
class Status:
    """A scripted HTTP error for one request."""

    code: int


@dataclass
class Request:
    """One request the server received."""

    path: str
    headers: dict  # lower-cased names
    body: dict
    messages: list = field(default_factory=list)

    @property
    def prompt(self) -> str:
        """All message contents, joined."""
        return "\n".join(str(m.get("content", "")) for m in self.messages)

    @property
    def sources(self) -> dict[int, str]:
        """The numbered sentences of the prompt's <sources> block: {n: text}."""
        fenced = _FENCED.search(self.prompt)
        return {int(n): text for n, text in _NUMBERED.findall(fenced.group(1))} if fenced else {}

    def source_with(self, needle: str) -> int:
        """Number of the first source containing ``needle`` (AssertionError when none does)."""
        for n, text in sorted(self.sources.items()):
            if needle.lower() in text.lower():
                return n
        raise AssertionError(f"no source in the prompt contains {needle!r}")

    @property
    def streaming(self) -> bool:
        return bool(self.body.get("stream"))

    @property
    def condensing(self) -> bool:
        """A condense request (prompts/condense.md): rewrite a follow-up into a standalone question."""
        return "<conversation>" in self.prompt and "Standalone question:" in self.prompt

    @property
    def latest_question(self) -> str:
        """The follow-up a condense request asks to rewrite."""
        match = re.search(r"Latest question: (.*)", self.prompt)
        return match.group(1).strip() if match else ""


Reply = str | Status | Callable[[Request], "str | Status"]


class FakeLLM:
    """The server. ``url`` is the OpenAI base URL (…/v1); ``root`` is the Ollama base URL."""

    def __init__(self, delay: float = 4.0) -> None:
        self.mode = "ok"
        self.delay = delay
        self.replies: deque[Reply] = deque()
        self.requests: list[Request] = []
        self.finished = threading.Event()  # set when a streamed reply has been sent in full
        self.errors: list[str] = []  # exceptions raised by scripted reply functions (a broken test, not the client)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def root(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def url(self) -> str:
        return self.root + "/v1"

    def reset(self) -> None:
        """Back to mode "ok" with no replies, requests or errors."""
        self.mode = "ok"
        self.replies.clear()
        self.requests.clear()
        self.errors.clear()
        self.finished.clear()

    def script(self, *replies: Reply) -> None:
        """Queue replies, one per request, in order."""
        self.replies.extend(replies)

    def start(self) -> "FakeLLM":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "FakeLLM":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def next_reply(self, request: Request) -> str | Status:
        if not self.replies:
            return Status(599)  # a test that forgot to script its reply fails loudly, not with a guess
        reply = self.replies.popleft()
        if not callable(reply):
            return reply
        try:
            return reply(request)
        except Exception as exc:  # noqa: BLE001 - reported to the test through .errors
            self.errors.append(f"{type(exc).__name__}: {exc}")
            return Status(598)


def tokens(text: str) -> list[str]:
    """Split a reply into stream pieces, as a model would; joined, they are the reply.
    Example: ``tokens("a b.[1] [S2]")`` -> ['a ', 'b.', '[1]', ' ', '[', 'S2]']."""
    return re.findall(r"\[\d+\]|[^\s\[]+\s*|\[|\s+", text)


def _handler(fake: FakeLLM):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep test output clean
            pass

        def do_POST(self) -> None:  # noqa: N802 - http.server naming
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = {}
            headers = {k.lower(): v for k, v in self.headers.items()}
            request = Request(self.path, headers, body, list(body.get("messages") or []))
            fake.requests.append(request)
            try:
                self._answer(request)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

        def _answer(self, request: Request) -> None:
            if self.path.rstrip("/") not in ("/v1/chat/completions", "/api/chat"):
                return self._send(404, "application/json", b'{"error": "not found"}')
            if fake.mode == "refuse":
                return self._send(500, "application/json", b'{"error": {"message": "internal error"}}')
            if fake.mode == "malformed":
                return self._send(200, "application/json", b'{"choices": [ {"mess')
            # Take the reply before any pause, so a late handler never eats the next test's script.
            reply = fake.next_reply(request)
            if fake.mode == "slow":
                time.sleep(fake.delay)
            if isinstance(reply, Status):
                return self._send(reply.code, "application/json", b'{"error": {"message": "scripted failure"}}')
            model = request.body.get("model", "fake")
            if self.path.startswith("/api/"):
                return self._ollama(reply, model, request)
            if not request.streaming:
                return self._send(200, "application/json", json.dumps(_completion(reply, model)).encode())
            self._start(200, "text/event-stream")
            pieces = tokens(reply)
            for i, piece in enumerate(pieces):
                if fake.mode == "stall" and i == len(pieces) // 2:
                    time.sleep(fake.delay)
                self._event(_chunk(model, {"content": piece}, None))
            self._event(_chunk(model, {}, "stop"))
            self.wfile.write(b"data: [DONE]\n\n")
            fake.finished.set()

        def _ollama(self, reply: str, model: str, request: Request) -> None:
            stamp = "2026-01-01T00:00:00Z"
            if request.body.get("stream") is False:
                line = {"model": model, "created_at": stamp, "message": {"role": "assistant", "content": reply},
                        "done": True, "done_reason": "stop"}
                return self._send(200, "application/json", json.dumps(line).encode())
            self._start(200, "application/x-ndjson")
            for piece in tokens(reply):
                line = {"model": model, "created_at": stamp, "message": {"role": "assistant", "content": piece},
                        "done": False}
                self.wfile.write(json.dumps(line).encode() + b"\n")
            end = {"model": model, "created_at": stamp, "message": {"role": "assistant", "content": ""},
                   "done": True, "done_reason": "stop", "total_duration": 1, "load_duration": 1,
                   "prompt_eval_count": 1, "prompt_eval_duration": 1, "eval_count": 1, "eval_duration": 1}
            self.wfile.write(json.dumps(end).encode() + b"\n")

        def _start(self, code: int, ctype: str) -> None:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()  # HTTP/1.0: the body ends when the connection closes

        def _send(self, code: int, ctype: str, payload: bytes) -> None:
            self.send_response(code)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def _event(self, obj: dict) -> None:
            self.wfile.write(b"data: " + json.dumps(obj).encode() + b"\n\n")
            self.wfile.flush()

    return Handler


def _chunk(model: str, delta: dict, finish: str | None) -> dict:
    return {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 0, "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


def _completion(text: str, model: str) -> dict:
    return {"id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}}
