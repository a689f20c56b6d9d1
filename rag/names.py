"""Names in English text, found one way: a name is a run of capitalised words (initials, numbers and the
connectors of names such as "of", "de", "van" inside it). The values a sentence states (rag.answering.values),
the names a question asks about (rag.answering.abstain), the names a claim states (rag.answering.citations) and
a summary's informative sentences all read names with ``NAME_RUN``. Only the forms of names: no name is listed.

Example: ``[m.group(0) for m in NAME_RUN.finditer("Ann Lee of Blue River Bank spoke.")]`` -> ['Ann Lee of Blue
River Bank'].
"""
from __future__ import annotations

import re
import unicodedata

from rag.textspans import WORD

NAME_RUN = re.compile(r"(?:[A-Z][\w'’.-]*|[A-Z]\.)(?:\s+(?:(?:of|de|la|von|van|der|du|and|the|del|da|di|bin|al)\s+)?"
                      r"(?:[A-Z][\w'’.-]*|[A-Z]\.|\d+))*")


def name_key(name: str) -> str:
    """Comparable form of a name: case, accents, possessives and initials dropped.

    Example: ``name_key("William E. Parsons's")`` -> 'william parsons'.
    """
    text = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"['’]s\b", "", text)
    parts = [p for p in WORD.findall(text) if len(p) > 1]
    return " ".join(parts)


def same_name(a: str, b: str) -> bool:
    """Name variants: one key's words contained in the other's ("Takeda" ~ "Kenji Takeda").

    Example: ``same_name("frank oz", "oz")`` -> True.
    """
    wa, wb = set(a.split()), set(b.split())
    return bool(wa) and bool(wb) and (wa <= wb or wb <= wa)
