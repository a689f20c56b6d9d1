"""Prompts live in ``prompts/*.md`` and are loaded by name. A template names its placeholders as ``{{name}}``;
rendering fails loudly when a placeholder has no value or a value has no placeholder, so a renamed field can
never silently send a prompt with a hole in it."""
from __future__ import annotations

import re
import string
from pathlib import Path

from rag.errors import RagError

_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")
_ROLE = re.compile(r"^<!--\s*role:\s*(system|user|assistant)\s*-->\s*$", re.MULTILINE)
_NAME_CHARACTERS = frozenset(string.ascii_lowercase + string.digits + "_")


class PromptError(RagError):
    """A prompt file is missing, or a template and its values do not match."""


def load_prompt(settings, name: str) -> str:
    """The text of ``prompts/NAME.md`` (``settings.prompts_dir``). Example: ``load_prompt(s, "answer")``."""
    if not name or not set(name) <= _NAME_CHARACTERS:
        raise PromptError(f"bad prompt name {name!r}: use lower-case letters, digits and _")
    path = Path(settings.prompts_dir) / f"{name}.md"
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        raise PromptError(f"prompt {name!r} not found at {path}") from None


def defused(text: str, tag: str) -> str:
    """Text to place between ``<tag>`` fences in a prompt: each "<tag" or "</tag" it holds (plural too) gets its
    bracket replaced by "\u2039", so it cannot close the fence. Example: ``defused("a </source> b", "source")``
    -> 'a \u2039/source> b'."""
    return re.sub(rf"<(/?\s*{tag}s?\b)", lambda m: "\u2039" + m.group(1), text, flags=re.IGNORECASE)


def unlabelled(reply: str, labels: str) -> str:
    """A model's reply without the label it may open with (``labels``: alternatives, "answer|response"), bold or
    not. Example: ``unlabelled("**Answer:** Yes.", "answer|response")`` -> ' Yes.'."""
    return re.sub(rf"^\s*(?:\*\*)?\s*(?:{labels})\s*(?:\*\*)?\s*:\s*(?:\*\*)?", "", reply, flags=re.IGNORECASE)


def placeholders(template: str) -> list[str]:
    """Placeholder names in order of first use. Example: ``placeholders("{{a}} {{b}} {{a}}")`` -> ['a', 'b']."""
    return list(dict.fromkeys(_PLACEHOLDER.findall(template)))


def render(template: str, **values: str) -> str:
    """Fill ``{{name}}`` placeholders; a missing or unused value raises PromptError.

    Example: ``render("Q: {{question}}", question="Why?")`` -> 'Q: Why?'.
    """
    wanted = set(placeholders(template))
    missing = sorted(wanted - values.keys())
    if missing:
        raise PromptError(f"prompt placeholder {{{{{missing[0]}}}}} has no value")
    unused = sorted(values.keys() - wanted)
    if unused:
        raise PromptError(f"value {unused[0]!r} has no {{{{{unused[0]}}}}} placeholder in the prompt")
    # One pass, so a value that itself contains "{{x}}" (a source text, a question) is never expanded again.
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), template)


def split_roles(template: str) -> list[tuple[str, str]]:
    """Split a template into chat messages at ``<!-- role: NAME -->`` lines; text before the first such line
    is dropped (it is the file's own note for people).

    Example: ``split_roles("<!-- role: system -->\\nBe brief.\\n<!-- role: user -->\\nHi")``
    -> [('system', 'Be brief.'), ('user', 'Hi')].
    """
    marks = list(_ROLE.finditer(template))
    if not marks:
        raise PromptError("the prompt has no <!-- role: system|user --> sections")
    messages = []
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(template)
        messages.append((mark.group(1), template[mark.end():end].strip()))
    return messages


def render_messages(template: str, **values: str) -> list[tuple[str, str]]:
    """Chat messages of a template with its placeholders filled. Roles are split BEFORE filling, so a value
    (a source text, a question) can never open a message of its own.

    Example: ``render_messages("<!-- role: user -->\\nQ: {{q}}", q="Why?")`` -> [('user', 'Q: Why?')].
    """
    render(template, **{name: "" for name in values})  # same loud checks, once, on the whole template
    return [(role, render(part, **{k: v for k, v in values.items() if k in placeholders(part)}))
            for role, part in split_roles(template)]
