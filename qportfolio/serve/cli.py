"""``qportfolio serve``: arguments, the exposure check, and uvicorn."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .config import TOKENS_ENV, ServeConfig, load_tokens


def build_serve(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1; any other needs a token "
                                                        "or --no-auth)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000; 0: a free one, printed at start)")
    p.add_argument("--workers", type=int, default=2, help="solver processes (default 2); more requests queue")
    p.add_argument("--token-file", help=f"bearer tokens, one per line (also: {TOKENS_ENV}, comma-separated)")
    p.add_argument("--no-auth", action="store_true", help="serve without tokens on a non-loopback address (explicit)")
    p.add_argument("--time-limit", type=float, default=60.0, help="seconds a synchronous solve may take (504 after)")
    p.add_argument("--job-time-limit", type=float, default=3600.0, help="seconds a job may take before it is stopped")
    p.add_argument("--queue-limit", type=int, default=32, help="synchronous requests that may wait; one more gets 429")
    p.add_argument("--max-body-bytes", type=int, default=1 << 20, help="largest request body (default 1 MiB)")
    p.add_argument("--jobs-db", default="qportfolio-jobs.sqlite", help="SQLite file of the job queue (kept across "
                                                                        "restarts)")
    p.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    from ..errors import ValidationError

    try:
        import uvicorn

        from .app import create_app
    except ImportError as exc:
        raise ValidationError(f"qportfolio serve needs FastAPI and uvicorn ({exc.name} is missing): "
                              "pip install 'qportfolio[serve]'") from None
    for flag, value in (("--time-limit", args.time_limit), ("--job-time-limit", args.job_time_limit)):
        if not value > 0:
            raise ValidationError(f"{flag} must be a positive number of seconds; got {value:g}")
    if args.queue_limit < 0 or args.max_body_bytes < 1:
        raise ValidationError("--queue-limit must be >= 0 and --max-body-bytes >= 1")
    config = ServeConfig(host=args.host, port=args.port, workers=args.workers, tokens=load_tokens(args.token_file),
                         no_auth=args.no_auth, time_limit=args.time_limit, job_time_limit=args.job_time_limit,
                         queue_limit=args.queue_limit, max_body_bytes=args.max_body_bytes, jobs_db=Path(args.jobs_db))
    config.check()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", stream=sys.stderr)
    auth = f"{len(config.tokens)} token(s)" if config.tokens else "no authentication"
    print(f"qportfolio serve: {config.workers} solver process(es), {auth}, jobs in {config.jobs_db}", file=sys.stderr)
    # access_log off: the app logs every request itself with the Authorization header masked
    uvicorn.run(create_app(config), host=config.host, port=config.port, access_log=False, log_level="info")
    return 0
