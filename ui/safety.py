"""Pure: where the app may listen and who may use it. Checked before anything heavy is loaded, so a refused
start costs nothing."""
from __future__ import annotations

import ipaddress

from rag.errors import RagError


def is_loopback(host: str) -> bool:
    """True when ``host`` only accepts connections from this machine.

    Example: ``is_loopback("127.0.0.1")`` -> True; ``is_loopback("0.0.0.0")`` -> False.
    """
    host = (host or "").strip().strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name other than localhost may resolve anywhere


def parse_auth(value: str | None) -> tuple[str, str] | None:
    """``"user:password"`` -> ("user", "password"); None or "" -> None. Raises RagError on a malformed value.

    Example: ``parse_auth("ana:s3:cret")`` -> ('ana', 's3:cret').
    """
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user.strip() or not password:
        raise RagError("RAG_UI_AUTH must look like user:password")
    return user.strip(), password


def launch_options(settings) -> dict:
    """Gradio ``launch()`` arguments for ``settings``: bind address, port and login.

    Binding anything but loopback exposes the documents to the network, so it needs RAG_UI_AUTH.
    Example: ``launch_options(Settings())`` -> {"server_name": "127.0.0.1", "server_port": 7860, "auth": None}.
    """
    host = settings.ui_host or "127.0.0.1"
    auth = parse_auth(settings.ui_auth)
    if not is_loopback(host) and auth is None:
        raise RagError(f"refusing to serve on {host} without a login: set RAG_UI_AUTH=user:password "
                       f"(or bind 127.0.0.1)")
    if not 0 < int(settings.ui_port) < 65536:
        raise RagError(f"--port must be between 1 and 65535, not {settings.ui_port}")
    return {"server_name": host, "server_port": int(settings.ui_port), "auth": auth}
