"""`rag eval`'s gold files: JSON lines of questions (with the facts, files, shape and verdict expected) or of
conversations (one item per turn), read into items; one clear BadArgument line for a bad file. Pure.

Example: a line ``{"question": "Who won?", "facts": ["Ada"]}`` -> an item with id "line-1", type "single".
"""
from __future__ import annotations

import json
from pathlib import Path

from rag.errors import BadArgument


def load_gold(path: Path) -> list[dict]:
    """Read a gold JSONL file; BadArgument (one line, with the line number) when it is missing or malformed.

    Only ``question`` is required; ``id`` defaults to ``line-N``, ``facts``/``sources`` to [], ``type`` to
    "single". Items of type "unanswerable" are the ones the assistant should decline.
    Example line: ``{"id": "q1", "question": "Who?", "facts": ["Takaichi"], "sources": ["a.txt"], "type": "single"}``.
    """
    path = Path(path)
    try:
        raw = path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise BadArgument(f"gold file {path} does not exist") from None
    except IsADirectoryError:
        raise BadArgument(f"gold file {path} is a folder, not a JSONL file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BadArgument(f"cannot read gold file {path} ({exc.__class__.__name__})") from None
    items, seen = [], set()
    for number, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BadArgument(f"{where}: not valid JSON ({exc.msg})") from None
        new = _conversation_items(obj, where, number) if isinstance(obj, dict) and "turns" in obj \
            else [_gold_item(obj, where, number)]
        for item in new:
            if item["id"] in seen:
                raise BadArgument(f"{where}: duplicate id {item['id']!r}")
            seen.add(item["id"])
        items += new
    if not items:
        raise BadArgument(f"gold file {path} has no items (expected one JSON object per line)")
    return items


def _conversation_items(obj: dict, where: str, number: int) -> list[dict]:
    """A conversation line ``{"id", "turns": [{"question", "facts", "sources", "unanswerable"?, "standalone"?}]}``
    -> one item per turn, in order, with ``conversation``, ``turn`` (1-based) and ``standalone``."""
    turns = obj.get("turns")
    if not isinstance(turns, list) or not turns:
        raise BadArgument(f"{where}: \"turns\" must be a non-empty list of turn objects")
    conversation = str(obj.get("id", f"line-{number}"))
    items = []
    for index, turn in enumerate(turns, 1):
        at = f"{where} turn {index}"
        if not isinstance(turn, dict):
            raise BadArgument(f"{at}: expected a JSON object, got {type(turn).__name__}")
        standalone = turn.get("standalone", "")
        if not isinstance(standalone, str):
            raise BadArgument(f"{at}: \"standalone\" must be a string")
        unanswerable = turn.get("unanswerable", False)
        if not isinstance(unanswerable, bool):
            raise BadArgument(f"{at}: \"unanswerable\" must be true or false")
        kind = "unanswerable" if unanswerable else turn.get("type", "single")
        item = _gold_item({**turn, "type": kind, "id": f"{conversation}#{index}"}, at, number)
        items.append({**item, "conversation": conversation, "turn": index, "standalone": standalone.strip()})
    return items


def stage_of(item: dict) -> str:
    """"single" for a lone question, "first" / "later" for a conversation's first and later turns."""
    if "conversation" not in item:
        return "single"
    return "first" if item["turn"] == 1 else "later"


def _gold_item(obj, where: str, number: int) -> dict:
    if not isinstance(obj, dict):
        raise BadArgument(f"{where}: expected a JSON object, got {type(obj).__name__}")
    question = obj.get("question")
    if not isinstance(question, str) or not question.strip():
        raise BadArgument(f"{where}: \"question\" must be a non-empty string")
    value = obj.get("sources", [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise BadArgument(f"{where}: \"sources\" must be a list of strings")
    value = obj.get("facts", [])
    # A fact is one spelling or a list of accepted spellings (gold_shapes.jsonl: [["3-1", "three-one"], ...]).
    if not isinstance(value, list) or not all(isinstance(v, str) or (
            isinstance(v, list) and v and all(isinstance(a, str) for a in v)) for v in value):
        raise BadArgument(f"{where}: \"facts\" must be a list of strings or of lists of accepted spellings")
    for key in ("shape", "verdict"):
        if key in obj and not isinstance(obj[key], str):
            raise BadArgument(f"{where}: \"{key}\" must be a string")
    kind = obj.get("type", "single")
    if not isinstance(kind, str) or not kind:
        raise BadArgument(f"{where}: \"type\" must be a string such as single, multi or unanswerable")
    return {"id": str(obj.get("id", f"line-{number}")), "question": question, "type": kind,
            "answer": obj.get("answer", ""), "facts": list(obj.get("facts", [])),
            "sources": list(obj.get("sources", [])),
            **{key: obj[key] for key in ("shape", "verdict") if key in obj}}
