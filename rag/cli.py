"""`rag` command line: argument parsing only. Each subcommand calls one function; a RagError becomes one line
on stderr and exit code 2, never a traceback."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from rag.errors import RagError

EXIT_USAGE = 2


def _settings(args):
    from rag.settings import Settings

    overrides = {
        "db_dir": getattr(args, "db", None),
        "chroma_url": getattr(args, "chroma_url", None),
        "source_dir": getattr(args, "source", None),
    }
    return Settings().with_(**overrides)


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {value!r}") from None
    if number < 1 or number > 100:
        raise argparse.ArgumentTypeError(f"must be between 1 and 100, got {number}")
    return number


def _add_index_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, help="index folder (default: RAG_DB_DIR or .rag/chroma)")
    parser.add_argument("--chroma-url", help="use a Chroma server, e.g. http://127.0.0.1:8000 (RAG_CHROMA_URL)")


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (exit 2) like every other error, not the usage block."""

    def error(self, message: str):
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every subcommand."""
    parser = _Parser(prog="rag", description="Cited answers over a folder of news articles.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("ingest", help="index a folder of articles (incremental)",
                       description="Chunk, embed and index a folder (.txt, .md, .html, .pdf). Re-runs only "
                                   "touch what changed; bad files are skipped with a reason.")
    p.add_argument("--source", type=Path, help="folder to index (default: seeds)")
    _add_index_options(p)
    p.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    p.add_argument("--break-lease", action="store_true",
                   help="Chroma server only: take the writer lease from an ingest that died on another machine")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("ask", help="answer a question with citations",
                       description="Answer QUESTION from the index; '-' reads one question per line from stdin, "
                                   "or JSON lines {\"question\": ..., \"conversation\": ID} answered in order "
                                   "as conversations.")
    p.add_argument("question", help="the question, or - to read questions from stdin")
    _add_index_options(p)
    p.add_argument("-k", type=_positive, help="number of passages to retrieve (1-100)")
    p.add_argument("--json", action="store_true", help="one JSON object per question")
    p.add_argument("--memo", action="store_true", help="Markdown with footnotes, for a memo")
    p.add_argument("--explain", action="store_true",
                   help="show each stage's output (reading, passages, candidates and their scores, the abstention "
                        "decision, values compared, the check); with --json it is the answer's \"trace\"")
    p.add_argument("--source-filter", action="append", metavar="FILE", help="only these files (repeatable)")
    p.add_argument("--since", help="only articles dated on or after YYYY-MM-DD")
    p.add_argument("--until", help="only articles dated on or before YYYY-MM-DD")
    p.add_argument("--llm", choices=["extractive", "openai", "ollama"], help="answerer (default: RAG_LLM)")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="a conversation in the terminal (follow-up questions understood)",
                       description="Ask questions one after another; a follow-up is read in the context of the "
                                   "conversation. /new starts over, /memo FILE saves a memo, /quit or Ctrl-D leaves.")
    _add_index_options(p)
    p.add_argument("--llm", choices=["extractive", "openai", "ollama"], help="answerer (default: RAG_LLM)")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("check", help="check a draft's sentences against the corpus",
                       description="Split a draft (FILE, or - for stdin) into sentences and, for each, quote the "
                                   "corpus passage that best supports it, with a score and a status: supported, "
                                   "unsupported or contradicted.")
    p.add_argument("draft", help="a text file with the draft, or - to read it from stdin")
    _add_index_options(p)
    p.add_argument("--json", action="store_true", help="one JSON object per sentence")
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("show", help="print the indexed text of a source (what offsets index into)")
    p.add_argument("source", help="source name as cited, e.g. 002_1b8812a566166968.txt")
    _add_index_options(p)
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("ui", help="serve the browser app", description="Serve the Gradio chat app.")
    _add_index_options(p)
    p.add_argument("--host", help="address to bind (default 127.0.0.1; others need RAG_UI_AUTH)")
    p.add_argument("--port", type=int, help="port (default 7860)")
    p.add_argument("--source", type=Path, help="corpus folder articles added in the browser go to (default: the "
                                               "folder the index was built from; RAG_SOURCE_DIR)")
    p.add_argument("--read-only", action="store_true", default=None,
                   help="no adding or removing articles from the browser (RAG_UI_READ_ONLY=true)")
    p.set_defaults(func=cmd_ui)

    p = sub.add_parser("eval", help="evaluate against a gold question set",
                       description="Run every gold question through the Assistant and report metrics.")
    _add_index_options(p)
    p.add_argument("--gold", type=Path, default=Path("eval/gold_qa.jsonl"), help="gold JSONL file")
    p.add_argument("--json", dest="json_out", type=Path, help="write the full report as JSON here")
    p.add_argument("--markdown", type=Path, help="write the report as Markdown here")
    p.add_argument("--min", action="append", default=[], metavar="METRIC=X",
                   help="fail (exit 1) when METRIC is below X; repeatable")
    p.set_defaults(func=cmd_eval, parser=p)
    return parser


def _progress_enabled(args) -> bool:
    return not getattr(args, "json", False) and sys.stderr.isatty()


def cmd_ingest(args) -> int:
    """`rag ingest`."""
    from ingest.pipeline import LazyEmbedder, run_ingest

    settings = _settings(args)
    if not Path(settings.source_dir).is_dir():
        raise RagError(f"source folder {settings.source_dir} does not exist or is not a folder")
    embedder = LazyEmbedder(settings)  # loaded only when there is text to embed
    report = run_ingest(settings, embedder, progress=_progress_enabled(args),
                        warn=lambda line: print(line, file=sys.stderr), break_lease=args.break_lease)
    print(json.dumps(report.to_json(), ensure_ascii=False) if args.json else report.summary_line())
    return 0


def _questions(args):
    """(question, conversation id or None, error or None, whether the line was JSON) per input: the argument, or
    each line of stdin, which is a plain question or a JSON object {"question", "conversation"?}."""
    if args.question != "-":
        yield args.question, None, None, False
        return
    stream = sys.stdin.buffer
    for number, raw in enumerate(stream, 1):
        line = raw.decode("utf-8", errors="replace").strip()
        if not line:
            continue
        if not line.startswith("{"):
            yield line, None, None, False
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            yield None, None, f"line {number}: not valid JSON ({exc.msg})", True
            continue
        question, conversation = obj.get("question") if isinstance(obj, dict) else None, None
        if isinstance(obj, dict) and obj.get("conversation") is not None:
            conversation = str(obj["conversation"])
        if not isinstance(question, str):
            yield None, None, f"line {number}: a JSON line needs \"question\" as a string", True
            continue
        yield question, conversation, None, True


def cmd_ask(args) -> int:
    """`rag ask`."""
    from rag.assistant import Assistant, clean_question
    from rag.memo import to_markdown

    settings = _settings(args)
    if args.llm:
        settings = settings.with_(llm=args.llm)
    if args.question != "-":
        clean_question(args.question, settings.max_question_chars)  # an empty question fails before the model loads
    assistant = Assistant(settings)
    status = 0
    conversations: dict[str, list] = {}  # id -> earlier answers, in input order (state lives here, not in rag/)
    for question, conversation, error, from_json in _questions(args):
        earlier = conversations.setdefault(conversation, []) if conversation is not None else []
        try:
            if error:
                raise RagError(error)
            answer = assistant.ask(question, k=args.k, sources=args.source_filter, since=args.since,
                                   until=args.until, conversation=earlier, explain=args.explain)
        except RagError as exc:
            if args.question != "-":
                raise
            print(f"rag: {exc}", file=sys.stderr)  # one bad line of a batch does not stop the rest
            status = EXIT_USAGE
            continue
        if conversation is not None:
            earlier.append(answer)
        if args.json:
            # A JSON line's answer names its conversation (null without one); a plain line's is the contract as is.
            extra = {"conversation": conversation} if from_json else {}
            print(json.dumps({**answer.to_json(), **extra}, ensure_ascii=False), flush=True)
        elif args.memo:
            print(to_markdown(answer), flush=True)
        else:
            print(_plain(answer), flush=True)
        if args.explain and not args.json:
            from rag.answering.trace import explain_text

            print("\n--- how this answer was made\n" + explain_text(answer.trace or {}), flush=True)
    return status


def cmd_chat(args) -> int:
    """`rag chat`."""
    from rag.assistant import Assistant
    from rag.chat import run_chat

    settings = _settings(args)
    if args.llm:
        settings = settings.with_(llm=args.llm)
    return run_chat(Assistant(settings), _plain)


def _plain(answer) -> str:
    lines = [answer.answer, ""]
    if answer.notice:
        lines.insert(0, f"({answer.notice})")
    for c in answer.citations or answer.related:
        lines.append(f"[{c.marker}] {c.source} {c.start}-{c.end}: \"{' '.join(c.quote.split())}\"")
    for s in answer.sentences:
        if not s.supported:
            lines.append(f"unsupported: {s.text}")
    return "\n".join(lines)


def _read_draft(name: str) -> str:
    if name == "-":
        raw = sys.stdin.buffer.read()
    else:
        path = Path(name)
        if not path.is_file():
            raise RagError(f"draft file {name} does not exist or is not a file")
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise RagError(f"cannot read draft file {name} ({exc.__class__.__name__})") from None
    text = raw.decode("utf-8", errors="replace")
    if not any(ch.isalnum() for ch in text):
        raise RagError("the draft is empty: give a file (or stdin) with sentences to check")
    return text


def cmd_check(args) -> int:
    """`rag check FILE|-`."""
    from rag.assistant import Assistant
    from rag.drafts import check_draft

    settings = _settings(args)
    draft = _read_draft(args.draft)  # a missing or empty draft fails before the model loads
    assistant = Assistant(settings)
    for checked in check_draft(draft, assistant.retrieval, assistant.embedder, settings):
        if args.json:
            print(json.dumps(checked.to_json(), ensure_ascii=False), flush=True)
            continue
        print(f"{checked.status:<12} {checked.score:.2f}  {checked.text}")
        for c in checked.citations:
            print(f"             [{c.marker}] {c.source} {c.start}-{c.end}: \"{' '.join(c.quote.split())}\"")
    return 0


def cmd_show(args) -> int:
    """`rag show SOURCE`."""
    from rag.errors import NotInCorpus
    from rag.store import IndexStore

    store = IndexStore(_settings(args))
    manifest = store.load_manifest()
    entry = manifest.documents.get(args.source)
    if entry is None:
        raise NotInCorpus(f"{args.source!r} is not in the index; try one of: " + ", ".join(sorted(manifest.documents)[:5]))
    sys.stdout.write(store.read_text(entry))
    return 0


def cmd_ui(args) -> int:
    """`rag ui`."""
    from ui.app import serve

    settings = _settings(args).with_(ui_host=args.host, ui_port=args.port, ui_read_only=args.read_only)
    serve(settings)
    return 0


def cmd_eval(args) -> int:
    """`rag eval`."""
    from eval.runner import run_cli

    return run_cli(_settings(args), args)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `rag` console script."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    import warnings

    warnings.filterwarnings("ignore")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except RagError as exc:
        print(f"rag: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("rag: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
