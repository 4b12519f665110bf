"""D-Wave's cloud: credentials, secret masking, cloud-error translation and the options and timing
figures every D-Wave solver shares (the QPU's and Leap's hybrid solvers).

Credentials come only from dwave-cloud-client's own configuration: the ``DWAVE_API_TOKEN``
environment variable, or a config file written by ``dwave setup`` / ``dwave config create``
(a profile chosen with ``profile=`` / ``--profile`` or ``DWAVE_PROFILE``). qportfolio never takes
a token as an option and never prints, logs or stores one: every message from the cloud client
is masked, and a log-record factory masks the token in records of every logger (dwave-cloud-client
itself logs its whole configuration, token included, at DEBUG level).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Iterator
from typing import Any

from ...errors import SolverError, TransientError
from ...utils import redaction
from ...utils.redaction import mask
from ..options import TEXT, Option

INSTALL_HINT = "dwave-system is not installed: pip install 'qportfolio[dwave]'"
TOKEN_ENV = "DWAVE_API_TOKEN"
SETUP_HINT = (
    "no D-Wave credentials found: run `dwave setup` (or `dwave config create`) to save your Leap API token, "
    f"or set {TOKEN_ENV}; choose a config profile with --profile NAME (or DWAVE_PROFILE)"
)


#: where a D-Wave solver finds its credentials (never a token: see the module docstring)
CREDENTIAL_OPTIONS = (
    Option("profile", "dwave-cloud-client config profile (default: the config file's default or DWAVE_PROFILE)", TEXT,
           nullable=True, flag=True, local_only=True),
    Option("config_file", "path of a dwave-cloud-client config file (default: the standard locations)", TEXT,
           nullable=True, local_only=True),
)
LABEL = Option("label", "problem label shown in the Leap dashboard (default: qportfolio <fingerprint>)", TEXT, nullable=True)


class CredentialsError(SolverError):
    """No usable D-Wave credentials (the message says how to set them up)."""


def require_dwave_system() -> None:
    """Fail with the install hint when dwave-system is missing."""
    try:
        import dwave.system  # noqa: F401
    except ImportError:
        raise SolverError(INSTALL_HINT) from None


def timing_info(info: dict[str, Any]) -> dict[str, Any]:
    """A sample set's SAPI figures for ``Result.info``: timing fields (microseconds, as reported), the QPU
    access time in seconds, the problem id and label."""
    timing = {k: float(v) for k, v in (info.get("timing") or {}).items() if isinstance(v, (int, float))}
    out: dict[str, Any] = {"timing_us": timing}
    if "qpu_access_time" in timing:
        out["qpu_access_time_s"] = timing["qpu_access_time"] / 1e6
    for key in ("problem_id", "problem_label"):
        if info.get(key) is not None:
            out[key] = info[key]
    return out


_LOCK = threading.Lock()
_FACTORY_INSTALLED = False


def _install_log_masking() -> None:
    """Wrap the log-record factory once so that no record carries a known token."""
    global _FACTORY_INSTALLED
    with _LOCK:
        if _FACTORY_INSTALLED:
            return
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            if redaction.has_secrets():
                try:
                    message = record.getMessage()
                except Exception:  # a malformed record: leave it to logging's own error handling
                    return record
                masked = mask(message)
                if masked != message:
                    record.msg, record.args = masked, ()
            return record

        logging.setLogRecordFactory(factory)
        _FACTORY_INSTALLED = True


def remember_secret(secret: str | None) -> None:
    if secret:
        redaction.remember_secret(secret)  # shared: the runner's failures table and the CLI mask it too
        _install_log_masking()


def cloud_config(profile: str | None = None, config_file: str | None = None) -> dict[str, Any]:
    """dwave-cloud-client's resolved configuration; raises :class:`CredentialsError` without a token.

    The token is remembered (in memory only) so that it can be masked, and never returned to
    callers that record parameters.
    """
    from dwave.cloud.config import load_config

    _install_log_masking()
    remember_secret(os.environ.get(TOKEN_ENV))
    try:
        config = load_config(config_file=config_file, profile=profile)
    except Exception as exc:  # ConfigFileError, a missing profile (ValueError), unreadable file
        where = f"profile {profile!r}" if profile else "the D-Wave configuration"
        raise CredentialsError(f"could not read {where}: {mask(str(exc))}; {SETUP_HINT}") from None
    token = config.get("token")
    if not token:
        detail = f" (profile {profile!r} has no token)" if profile else ""
        raise CredentialsError(SETUP_HINT + detail)
    remember_secret(token)
    return config


@contextlib.contextmanager
def cloud_errors(what: str) -> Iterator[None]:
    """Turn the cloud client's exceptions into one-line, token-free :class:`SolverError`s."""
    try:
        yield
    except SolverError:
        raise
    except Exception as exc:
        from dwave.cloud import exceptions as dwave_exc

        name = type(exc).__name__
        if isinstance(exc, dwave_exc.SolverAuthenticationError):
            message = f"{what}: D-Wave rejected the API token (authentication failed); check it with `dwave ping`"
        elif isinstance(exc, dwave_exc.SolverNotFoundError):
            message = f"{what}: no D-Wave solver matches the request ({mask(str(exc))}); list yours with `dwave solvers`"
        elif isinstance(exc, (dwave_exc.RequestTimeout, dwave_exc.Timeout)):
            raise TransientError(f"{what}: the D-Wave API timed out ({name}); check the network and the endpoint, "
                                 "then retry") from None
        elif isinstance(exc, OSError):  # requests' connection errors derive from OSError
            raise TransientError(f"{what}: could not reach the D-Wave API ({name}: {mask(str(exc))})") from None
        else:
            message = f"{what} failed ({name}: {mask(str(exc))})"
        raise SolverError(message) from None
