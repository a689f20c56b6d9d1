"""`rag` command line: argument parsing only. Each subcommand calls one function; a RagError becomes one line
on stderr and exit code 2, never a traceback."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from rag.errors import RagError

from rag.cli_parser import EXIT_USAGE, build_parser  # noqa: F401 (build_parser: what docs and tests parse)


def _settings(args):
    from rag.settings import Settings

    overrides = {
        "db_dir": getattr(args, "db", None),
        "chroma_url": getattr(args, "chroma_url", None),
        "source_dir": getattr(args, "source", None),
    }
    return Settings().with_(**overrides)


def _progress_enabled(args) -> bool:
    return not getattr(args, "json", False) and sys.stderr.isatty()


def cmd_ingest(args) -> int:
    """`rag ingest`."""
    from ingest.lazy_embedder import LazyEmbedder
    from ingest.pipeline import run_ingest

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


COMMANDS = {"ingest": cmd_ingest, "ask": cmd_ask, "chat": cmd_chat, "check": cmd_check, "show": cmd_show,
            "ui": cmd_ui, "eval": cmd_eval}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `rag` console script."""
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    import warnings

    warnings.filterwarnings("ignore")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
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
