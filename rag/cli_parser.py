"""`rag`'s arguments: every subcommand, flag and its help, in one parser (rag.cli runs what it parses)."""
from __future__ import annotations

import argparse
from pathlib import Path

EXIT_USAGE = 2
ANSWERERS = ("extractive", "openai", "ollama")  # the --llm choices (rag.answering.llm.BACKENDS and the offline one)


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
    p.add_argument("--llm", choices=ANSWERERS, help="answerer (default: RAG_LLM)")

    p = sub.add_parser("chat", help="a conversation in the terminal (follow-up questions understood)",
                       description="Ask questions one after another; a follow-up is read in the context of the "
                                   "conversation. /new starts over, /memo FILE saves a memo, /quit or Ctrl-D leaves.")
    _add_index_options(p)
    p.add_argument("--llm", choices=ANSWERERS, help="answerer (default: RAG_LLM)")

    p = sub.add_parser("check", help="check a draft's sentences against the corpus",
                       description="Split a draft (FILE, or - for stdin) into sentences and, for each, quote the "
                                   "corpus passage that best supports it, with a score and a status: supported, "
                                   "unsupported or contradicted.")
    p.add_argument("draft", help="a text file with the draft, or - to read it from stdin")
    _add_index_options(p)
    p.add_argument("--json", action="store_true", help="one JSON object per sentence")

    p = sub.add_parser("show", help="print the indexed text of a source (what offsets index into)")
    p.add_argument("source", help="source name as cited, e.g. 002_1b8812a566166968.txt")
    _add_index_options(p)

    p = sub.add_parser("ui", help="serve the browser app", description="Serve the Gradio chat app.")
    _add_index_options(p)
    p.add_argument("--host", help="address to bind (default 127.0.0.1; others need RAG_UI_AUTH)")
    p.add_argument("--port", type=int, help="port (default 7860)")
    p.add_argument("--source", type=Path, help="corpus folder articles added in the browser go to (default: the "
                                               "folder the index was built from; RAG_SOURCE_DIR)")
    p.add_argument("--read-only", action="store_true", default=None,
                   help="no adding or removing articles from the browser (RAG_UI_READ_ONLY=true)")

    p = sub.add_parser("eval", help="evaluate against a gold question set",
                       description="Run every gold question through the Assistant and report metrics.")
    _add_index_options(p)
    p.add_argument("--gold", type=Path, default=Path("eval/gold_qa.jsonl"), help="gold JSONL file")
    p.add_argument("--json", dest="json_out", type=Path, help="write the full report as JSON here")
    p.add_argument("--markdown", type=Path, help="write the report as Markdown here")
    p.add_argument("--min", action="append", default=[], metavar="METRIC=X",
                   help="fail (exit 1) when METRIC is below X; repeatable")
    p.set_defaults(parser=p)
    return parser
