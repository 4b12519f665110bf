"""``dwave-qpu``: the QUBO on a D-Wave quantum annealer, with the user's own credentials.

The QUBO of :func:`qportfolio.formulations.qubo.encode` goes to ``DWaveSampler`` through
:class:`~.sampler.QPUSampler`: an embedding computed once per problem structure and QPU and cached
on disk (:mod:`.embedding`), dwave-system's uniform torque compensation for the chain strength
unless a number (or ``"scaled"``) is given, optional postprocessing with dwave-samplers' steepest
descent, and the anneal controls of :mod:`.schedules` (schedules, reverse annealing). The result
records the QPU's name, its timing fields (microseconds, as reported), the problem id, chain lengths
and the chain-break fraction.

Offline: ``sampler=`` takes any structured dimod sampler (dwave-system's ``MockDWaveSampler`` in
the tests and the notebook), and ``mock=True`` (or ``"pegasus:16"``, ``"zephyr:12"``...) builds a
MockDWaveSampler of that topology with simulated annealing underneath (:mod:`.mock`): the same code
path, no account, and a result that says ``source: mock``. Credentials: :mod:`.cloud` (config file /
profile / ``DWAVE_API_TOKEN``). :meth:`DWaveQPUSolver.as_sampler` hands the configured QPU out as a
dimod sampler, for compositions such as ``decompose``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ... import diagnostics
from ...diagnostics import Diagnostics, QPUDiagnostics, QuboDiagnostics, SampleStatistics
from ...errors import ValidationError
from ...formulations.qubo import QuboModel
from ...result import Result
from ...utils import validate
from ..options import (
    BOOL_OR_TEXT,
    BOOLEAN,
    COUNT,
    NUMBER_OR_TEXT,
    POSITIVE,
    TEXT,
    Check,
    Option,
    Role,
    choice,
    declare,
    seed_option,
)
from ..qubo_solver import QuboSolver, SampleRun
from ..registry import register
from .cloud import CREDENTIAL_OPTIONS, LABEL, cloud_config, cloud_errors, require_dwave_system
from .embedding import METHODS, largest_clique
from .fit import Fit, fit_check, qpu_name
from .mock import is_mock, mock_sampler
from .sampler import QPUSampler
from .schedules import anneal_controls, check_initial_state, check_schedule, is_reverse, reverse_schedule

#: dwave-qpu options that shape a fit check (the others act only when sampling)
FIT_OPTIONS = ("mock", "sampler", "qpu", "profile", "config_file", "num_reads", "annealing_time", "anneal_schedule",
               "reverse_anneal", "reverse_hold_us", "embedding", "embedding_cache", "embedding_timeout", "seed")
#: options that choose the child sampler and the embedding rather than a call's parameters
CHILD_OPTIONS = ("sampler", "mock", "qpu", "profile", "config_file", "embedding", "embedding_cache", "embedding_timeout",
                 "seed")
#: options that need one QUBO (a reverse anneal's start): a sampler handed out takes them per call
QUBO_ONLY_OPTIONS = ("reverse_anneal", "initial_state")


@register
class DWaveQPUSolver(QuboSolver):
    name = "dwave-qpu"
    description = "D-Wave quantum annealer (DWaveSampler + cached embedding); mock=True runs offline"
    sampler_options = declare(
        Option("num_reads", "anneals", Check("integer in [1, 10000]", lambda v, f: validate.integer(v, f, low=1, high=10000)),
               default=100, role=Role.SAMPLING, flag=True),
        Option("annealing_time", "microseconds per anneal (default: the QPU's)", POSITIVE),
        Option("anneal_schedule", "[[t_us, s], ...]: a forward (s from 0) or reverse (s from 1) schedule ending at s = 1",
               Check("[[t, s], ...]", check_schedule), nullable=True),
        Option("reverse_anneal", "reverse annealing to this s (0 < s < 1) and back, from initial_state: 5 us ramps, "
               "reverse_hold_us at s", Check("number in (0, 1)", lambda v, f: validate.number(
                   v, f, low=0.0, high=1.0, low_open=True, high_open=True)), nullable=True),
        Option("reverse_hold_us", "microseconds held at the reverse_anneal point", POSITIVE, default=10.0),
        Option("initial_state", "the state a reverse anneal starts from: heuristic (qportfolio's rounded and polished "
               "relaxation) or {variable: 0/1}", Check("heuristic or {variable: 0/1}", check_initial_state),
               nullable=True),
        Option("reinitialize_state", "reverse annealing: start every read from initial_state (false: from the last read)",
               BOOLEAN, default=True),
        Option("num_spin_reversal_transforms", "spin-reversal transforms (dwave-preprocessing's composite): reads are "
               "split over this many gauges", COUNT, nullable=True),
        Option("chain_strength", "a number, 'uniform_torque_compensation' (default) or 'scaled'", NUMBER_OR_TEXT),
        Option("auto_scale", "let the QPU rescale biases to its range", BOOLEAN, default=True),
        Option("postprocess", "steepest: dwave-samplers' steepest descent on each read", choice("none", "steepest"),
               default="none"),
        Option("embedding", "how to embed (auto: clique embedding for dense QUBOs)", choice(*METHODS), default="auto"),
        Option("embedding_cache", "folder of cached embeddings (default ~/.cache/qportfolio/embeddings), or false",
               BOOL_OR_TEXT, local_only=True),
        Option("embedding_timeout", "seconds for minorminer", POSITIVE, default=60.0),
        Option("qpu", "solver name or dwave-cloud-client feature filter (default: the client's choice)", TEXT,
               nullable=True),
        Option("sampler", "a structured dimod sampler to use instead of DWaveSampler (e.g. MockDWaveSampler)"),
        Option("mock", "true or 'pegasus[:16]' / 'zephyr[:12,4]' / 'chimera[:16,16,4]': MockDWaveSampler, no account",
               BOOL_OR_TEXT),
        LABEL,
        seed_option("seed of the embedding heuristic and of a mock's annealer"),
        *CREDENTIAL_OPTIONS,
    )

    def child_sampler(self, sampler: Any = None, mock: Any = None, qpu: Any = None, profile: str | None = None,
                      config_file: str | None = None, seed: int = 0) -> Any:
        """The structured sampler to embed on: ``sampler`` as given, a mock of the ``mock`` topology, or
        ``DWaveSampler`` (``qpu`` picks the solver) with the user's credentials."""
        if sampler is not None and mock:
            raise ValidationError("give sampler= or mock=, not both")
        if sampler is not None:
            if not all(hasattr(sampler, a) for a in ("sample", "nodelist", "edgelist", "properties")):
                raise ValidationError("sampler must be a structured dimod sampler (nodelist, edgelist), "
                                      f"got {type(sampler).__name__}")
            return sampler
        if mock:
            return mock_sampler(mock, seed)
        cloud_config(profile, config_file)  # fails fast, with the setup hint, when there is no token
        from dwave.system import DWaveSampler

        kwargs: dict[str, Any] = {"profile": profile, "config_file": config_file}
        if qpu is not None:
            kwargs["solver"] = qpu
        with cloud_errors("connecting to the D-Wave QPU"):
            return DWaveSampler(**{k: v for k, v in kwargs.items() if v is not None})

    def _child(self, sampler: Any, mock: Any, qpu: Any, profile: str | None, config_file: str | None, seed: int) -> Any:
        """Deprecated alias of :meth:`child_sampler` (``decompose`` moves to :meth:`as_sampler`)."""
        return self.child_sampler(sampler, mock, qpu, profile, config_file, seed)

    def _qpu_sampler(self, params: dict[str, Any], seed: int, **defaults: Any) -> QPUSampler:
        child = self.child_sampler(params.get("sampler"), params.get("mock"), params.get("qpu"), params.get("profile"),
                                   params.get("config_file"), seed)
        return QPUSampler(child, solver=self.name, embedding=params["embedding"], seed=seed, defaults=defaults,
                          embedding_cache=params.get("embedding_cache"), owns_mock=bool(params.get("mock")),
                          embedding_timeout=float(params["embedding_timeout"]))

    def as_sampler(self, **options: Any) -> QPUSampler:
        """The QPU (or its mock) configured by this solver's own options, as a dimod sampler of any BQM
        (see :class:`~.sampler.QPUSampler`). Options are validated as a solve validates them; those that act
        on the QUBO and the result (encoding, repair...) or need one QUBO (reverse_anneal, initial_state) are
        refused. ``properties["qportfolio"]`` says what it is: the largest subproblem (a clique) it embeds,
        whether it is a mock, that it neither keeps a Hamming weight nor is deterministic."""
        given = self.validate_options(options)
        other = sorted(k for k in set(given) - set(self.sampler_options))
        needs_qubo = sorted(k for k in QUBO_ONLY_OPTIONS if given.get(k) is not None)
        if other or needs_qubo:
            raise ValidationError(f"as_sampler takes the QPU's own options; {', '.join(other + needs_qubo)} act on one "
                                  "QUBO (pass anneal_schedule and initial_state to the sampler's sample instead)")
        params = {**self.defaults, **given}
        if params.get("anneal_schedule") is not None and params.get("annealing_time") is not None:
            raise ValidationError("annealing_time and an anneal schedule both set the anneal; give one")
        require_dwave_system()
        seed = int(params.get("seed") or 0)
        defaults = {k: v for k, v in params.items()
                    if k not in (*CHILD_OPTIONS, "reverse_hold_us") and v is not None}
        return self._qpu_sampler(params, seed, **defaults)

    def largest_subproblem(self, options: Mapping[str, Any]) -> tuple[int | None, str]:
        """The largest clique that embeds on the QPU (or mock) these options choose, and why."""
        params = {**self.defaults, **options}
        child = self.child_sampler(params.get("sampler"), params.get("mock"), params.get("qpu"), params.get("profile"),
                                   params.get("config_file"), int(params.get("seed") or 0))
        return largest_clique(child), f"the largest clique that embeds on {qpu_name(child)}"

    def _sample(self, qubo: QuboModel, *, seed: int, **params: Any) -> SampleRun:
        require_dwave_system()
        sampler = self._qpu_sampler(params, seed)
        anneal, anneal_recorded = anneal_controls(
            qubo, sampler.child, annealing_time=params.get("annealing_time"),
            anneal_schedule=params.get("anneal_schedule"), reverse_anneal=params.get("reverse_anneal"),
            reverse_hold_us=params["reverse_hold_us"], initial_state=params.get("initial_state"),
            reinitialize_state=params["reinitialize_state"])
        calls = {k: params.get(k) for k in ("num_reads", "annealing_time", "chain_strength", "auto_scale",
                                            "num_spin_reversal_transforms", "postprocess")}
        label = params.get("label") or f"qportfolio {qubo.problem.fingerprint}"
        sampleset = sampler.sample(qubo.bqm, **calls, **anneal, label=label)
        info = dict(sampleset.info.pop("qportfolio"))
        recorded = {**info.pop("sent"), **anneal_recorded, "num_reads": int(params["num_reads"]),
                    "chain_strength": "uniform_torque_compensation" if params.get("chain_strength") is None
                    else params["chain_strength"],
                    "postprocess": params["postprocess"], "source": "mock" if is_mock(sampler.child) else "qpu"}
        return SampleRun(sampleset, info, recorded)

    def fit(self, *, qubo: QuboModel | None = None, size: int | None = None, **options: Any) -> Fit:
        """:func:`~.fit.fit_check` with this solver's options (validated; those that only act when sampling are
        refused): will ``qubo``, or a dense ``size``-variable decompose subproblem, embed, and at what cost."""
        other = sorted(set(options) - set(FIT_OPTIONS))
        if other:
            raise ValidationError(f"fit does not use {', '.join(other)} (they act when sampling); it takes "
                                  f"{', '.join(FIT_OPTIONS)}")
        opts = {**self.defaults, **self.validate_options(options)}
        seed = int(opts.get("seed") or 0)
        child = self.child_sampler(opts.get("sampler"), opts.get("mock"), opts.get("qpu"), opts.get("profile"),
                                   opts.get("config_file"), seed)
        schedule = opts.get("anneal_schedule")
        if opts.get("reverse_anneal") is not None:
            schedule = reverse_schedule(float(opts["reverse_anneal"]), float(opts["reverse_hold_us"]))
        return fit_check(child, qubo=qubo, size=size, num_reads=int(opts["num_reads"]),
                         annealing_time=opts.get("annealing_time"), anneal_schedule=schedule,
                         reverse=is_reverse(schedule), embedding=opts["embedding"],
                         embedding_cache=opts.get("embedding_cache", False), seed=seed,
                         embedding_timeout=float(opts["embedding_timeout"]))

    def diagnose(self, result: Result) -> tuple[Diagnostics, ...]:
        """The sample statistics, the QUBO, and the QPU (or its mock, labelled as one)."""
        return diagnostics.of(result, SampleStatistics, QuboDiagnostics, QPUDiagnostics)
