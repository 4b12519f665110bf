"""``qportfolio fit``: will a QUBO, or a decompose subproblem of a given size, fit a D-Wave QPU
(embedding, chains, a QPU time estimate)? No QPU time is spent."""

from __future__ import annotations

import argparse

from ..errors import ValidationError
from .args import add_problem_args, has_problem_source, parse_key_values, print_json, problem_from_args

#: Exit code of ``fit`` when the QUBO does not embed.
NO_EMBEDDING_EXIT = 4


def cmd_fit(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from .. import solvers as solver_registry
    from ..formulations.qubo import encode

    qpu = solver_registry.get("dwave-qpu")
    if args.subproblem_size is not None:
        if has_problem_source(args) or args.encoding:
            raise ValidationError("--subproblem-size checks a dense subproblem of that size: give no problem and no "
                                  "--encoding with it")
        qubo = None
    else:
        qubo = encode(problem_from_args(args), encoding=args.encoding or "domain-wall")
    fit = qpu.fit(qubo=qubo, size=args.subproblem_size, **parse_key_values(args.option))
    what = f"a {args.subproblem_size}-variable decompose subproblem" if qubo is None else (
        f"{qubo.problem.name}: {qubo.num_variables} variables ({qubo.layout.encoding.name}), "
        f"{qubo.num_interactions} interactions")
    if args.json:
        print_json({"checked": what, "fingerprint": None if qubo is None else qubo.problem.fingerprint, **asdict(fit)})
    else:
        print(f"checking    {what}; no QPU time is spent")
        print("\n".join(fit.lines()))
    return 0 if fit.embeds else NO_EMBEDDING_EXIT


def build_fit(p: argparse.ArgumentParser) -> None:
    add_problem_args(p)
    p.add_argument("--encoding", help="weight encoding of the QUBO to check (default domain-wall)")
    p.add_argument("--subproblem-size", type=int, metavar="N", help="check a dense N-variable subproblem (decompose) "
                                                                     "instead of a whole QUBO")
    p.add_argument("--option", "-o", action="append", metavar="KEY=VALUE",
                   help="dwave-qpu options that shape the fit: mock, sampler, qpu, profile, config_file, num_reads, "
                        "annealing_time, anneal_schedule, reverse_anneal, reverse_hold_us, embedding, embedding_timeout, "
                        "embedding_cache, seed (e.g. -o mock=pegasus)")
    p.add_argument("--json", action="store_true", help="print the fit as JSON")
    p.set_defaults(func=cmd_fit)
