"""What went wrong with an LLM endpoint, worded for a person without leaking a key: the reason of a failed call,
whether it never got a reply at all, and a URL without its credentials."""
from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

_HINTS = {401: "; check RAG_LLM_API_KEY", 403: "; check RAG_LLM_API_KEY",
          404: "; check RAG_LLM_MODEL and RAG_LLM_BASE_URL"}


class BadReply(Exception):
    """The endpoint answered, but not with usable text."""


def unreachable(exc: BaseException) -> bool:
    """Whether a failed call never got a reply (no connection, or none in time), as opposed to an HTTP error or
    a bad reply: asking the same endpoint again would only wait as long again.
    Example: ``unreachable(TimeoutError())`` -> True."""
    import httpx
    import openai

    if isinstance(exc, openai.APIStatusError):
        return False
    return isinstance(exc, (openai.APITimeoutError, openai.APIConnectionError, httpx.TimeoutException,
                            httpx.TransportError, TimeoutError, ConnectionError))


def describe_failure(exc: BaseException, settings) -> str:
    """A short, key-free reason for a failed call. Example: a 500 from the server -> 'HTTP 500'."""
    import httpx
    import openai

    where = redact_url(settings.llm_base_url) or "the default endpoint"
    if isinstance(exc, BadReply):
        reason = str(exc)
    elif isinstance(exc, (openai.APITimeoutError, httpx.TimeoutException, TimeoutError)):
        reason = f"no reply from {where} within {settings.llm_timeout_s:g} s"
    elif isinstance(exc, openai.APIStatusError):
        reason = f"HTTP {exc.status_code} from {where}" + _HINTS.get(exc.status_code, "")
    elif isinstance(exc, (openai.APIConnectionError, httpx.TransportError, ConnectionError)):
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, (httpx.TimeoutException, TimeoutError)):
            reason = f"no reply from {where} within {settings.llm_timeout_s:g} s"
        else:
            reason = f"cannot connect to {where}"
    elif type(exc).__name__ == "ResponseError":  # ollama.ResponseError, without importing ollama eagerly
        status = getattr(exc, "status_code", "?")
        reason = f"HTTP {status} from {where}" + _HINTS.get(status, "")
    else:
        reason = f"malformed reply from {where} ({type(exc).__name__})"
    return scrub(reason, settings.llm_api_key)


def redact_url(url: str | None) -> str:
    """A URL without user:password. Example: ``redact_url("http://u:pw@h:1/v1")`` -> 'http://h:1/v1'."""
    if not url:
        return ""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        netloc = host + (f":{parts.port}" if parts.port else "")
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))
    except ValueError:
        return "the configured endpoint"


def scrub(text: str, secret: str | None) -> str:
    """Remove a secret from a message. Example: ``scrub("key sk-1 bad", "sk-1")`` -> 'key *** bad'."""
    return text.replace(secret, "***") if secret else text
