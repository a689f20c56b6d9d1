"""Named errors. Each carries a one-line message worded for a person; the CLI and UI show it as is."""


class RagError(Exception):
    """Base of every error the product reports to a user (CLI: one line on stderr, exit 2)."""


class IndexMissing(RagError):
    """No index at the configured place: the user should run `rag ingest` first."""


class IndexCorrupt(RagError):
    """The index exists but cannot be read: the user should re-ingest."""


class IndexReadOnly(RagError):
    """The index folder cannot be written, and opening the embedded Chroma store needs to write."""


class IndexBusy(RagError):
    """Another ingest holds the index lock."""


class BadQuestion(RagError):
    """The question is empty, too long or otherwise unusable."""


class BadArgument(RagError):
    """An option has a value outside its range (k <= 0, unknown source filter, bad date)."""


class SourceMissing(RagError):
    """The folder to ingest does not exist or is not a folder."""


class BackendUnavailable(RagError):
    """A server (Chroma or an LLM endpoint) is down, refuses or times out."""


class NotInCorpus(RagError):
    """A source viewer request named a file that is not part of the ingested corpus."""
