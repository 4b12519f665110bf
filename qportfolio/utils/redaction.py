"""Secrets never leave the process: every known API token is replaced by ``***`` in messages.

Backends that read credentials register them with :func:`remember_secret`; anything that records
or prints text from a backend (the benchmark runner's failures table, the CLI) passes it through
:func:`mask`. Tokens in the standard environment variables are masked even before a backend has
seen them.
"""

from __future__ import annotations

import os

MASK = "***"
#: environment variables that hold API tokens of the cloud backends
TOKEN_ENVS = ("DWAVE_API_TOKEN", "QISKIT_IBM_TOKEN")

_SECRETS: set[str] = set()


def remember_secret(secret: str | None) -> None:
    if secret:
        _SECRETS.add(secret)


def has_secrets() -> bool:
    """Whether a backend has registered a token (cheap: checked on every log record)."""
    return bool(_SECRETS)


def known_secrets() -> set[str]:
    return _SECRETS | {os.environ[name] for name in TOKEN_ENVS if os.environ.get(name)}


def mask(text: str) -> str:
    """``text`` with every known token replaced by ``***``."""
    for secret in known_secrets():
        if secret:
            text = text.replace(secret, MASK)
    return text
