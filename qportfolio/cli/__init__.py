"""The ``qportfolio`` command: parses arguments, calls the library, prints.

    qportfolio solve SPEC.json | --orlib port1 | --synthetic N [--k --lambda --step ...] [--solver] [--json]
    qportfolio encode ... [--out bqm.json]
    qportfolio demo [--orlib port1]
    qportfolio solvers
    qportfolio bench run SUITE --db FILE [--workers N | --scheduler ADDRESS] [--dry-run]
    qportfolio bench report FILE --out DIR
    qportfolio fit ... | --subproblem-size N
    qportfolio classic STRATEGY [SPEC | --orlib | --prices CSV] ...   (and frontier, backtest, lp)
    qportfolio serve

One module per command family (:mod:`.solve`, :mod:`.demo`, :mod:`.bench`, :mod:`.fit`,
:mod:`.solvers`, :mod:`.classic`; the solver flags in :mod:`.flags`, shared pieces in :mod:`.args`),
assembled in :mod:`.main`. Bad input ends with one line on stderr and exit code 2.
"""

from .main import build_parser, main

__all__ = ["build_parser", "main"]
