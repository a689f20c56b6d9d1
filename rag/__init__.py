"""rag: a citation-grounded research assistant over a folder of articles.

Public API: ``Settings``, ``Assistant``, ``Answer``; see ``rag.assistant``.
"""
from rag.settings import Settings

__all__ = ["Settings"]
