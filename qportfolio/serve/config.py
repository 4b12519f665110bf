"""The service's settings and its bearer tokens (never logged, echoed or stored)."""

from __future__ import annotations

import hmac
import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ValidationError

TOKENS_ENV = "QPORTFOLIO_API_TOKENS"


@dataclass(frozen=True)
class ServeConfig:
    """What ``qportfolio serve`` runs with; every limit applies before any solve starts."""

    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 2  #: solver processes: solves beyond them wait in the queue
    tokens: frozenset[str] = field(default=frozenset(), repr=False)  #: accepted bearer tokens
    no_auth: bool = False  #: explicitly serve without tokens
    max_body_bytes: int = 1 << 20  #: a larger request body is refused (413) before it is read
    max_variables: int = 5_000  #: of an allocation model
    max_constraints: int = 5_000
    max_assets: int = 2_000  #: of a core problem
    time_limit: float = 60.0  #: seconds a synchronous solve may take (504 after)
    job_time_limit: float = 3_600.0  #: seconds a job may take before it is stopped
    queue_limit: int = 32  #: synchronous solves waiting for a worker; one more gets 429
    jobs_db: Path = Path("qportfolio-jobs.sqlite")

    @property
    def auth(self) -> bool:
        return not self.no_auth

    def check(self) -> None:
        """Refuse a configuration that would expose unauthenticated solves to a network."""
        if self.workers < 1:
            raise ValidationError(f"--workers must be at least 1; got {self.workers}")
        if self.no_auth and self.tokens:
            raise ValidationError("--no-auth was given but tokens are configured: drop one of them")
        if not self.tokens and not self.no_auth and not is_loopback(self.host):
            raise ValidationError(f"no API token configured: serving on {self.host} would let anyone on the network "
                                  f"solve; set {TOKENS_ENV} or --token-file, bind 127.0.0.1, or pass --no-auth")

    def accepts(self, header: str | None) -> bool:
        """Whether an ``Authorization`` header carries a configured token (constant-time compare)."""
        if not self.auth or not self.tokens:
            return True
        if not header or not header.startswith("Bearer "):
            return False
        given = header[len("Bearer "):].strip().encode()
        ok = False
        for token in self.tokens:  # every token compared, so the time does not tell which one nearly matched
            ok |= hmac.compare_digest(given, token.encode())
        return ok


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_tokens(token_file: str | os.PathLike[str] | None = None) -> frozenset[str]:
    """Tokens from ``QPORTFOLIO_API_TOKENS`` (comma-separated) and ``token_file`` (one per line, # comments)."""
    tokens = {t.strip() for t in os.environ.get(TOKENS_ENV, "").split(",") if t.strip()}
    if token_file is not None:
        path = Path(token_file)
        try:
            lines = path.read_text().splitlines()
        except OSError as exc:
            raise ValidationError(f"--token-file {path}: cannot read it ({exc.strerror})") from None
        tokens |= {ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")}
        if not tokens:
            raise ValidationError(f"--token-file {path} holds no token (one per line)")
    short = [t for t in tokens if len(t) < 16]
    if short:
        raise ValidationError(f"{len(short)} API token(s) shorter than 16 characters: use long random tokens "
                              "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))')")
    return frozenset(tokens)
