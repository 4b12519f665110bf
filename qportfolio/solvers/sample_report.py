"""What every sampler's result shows beside its answer: the reads, their feasibility, why the run of
sampler calls ended, and the benchmark columns samplers share (QUBO or CQM)."""

from __future__ import annotations

from typing import Any

from ..result import Result
from .base import BENCHMARK_METRICS


def stop_reason(result: Result) -> str:
    """Why a run of sampler calls ended, in words (empty when the result does not say)."""
    return {"patience": f"stopped after {result.parameters.get('patience')} calls without a lower energy",
            "time_budget": "time budget spent", "target_objective": "target objective reached",
            "batches": "all calls made"}.get(result.info.get("stopped_by"), "")


def samples_report_lines(result: Result) -> list[str]:
    """The CLI lines about a sampler's reads, their feasibility, and where the answer came from."""
    info = result.info
    if info.get("feasible_fraction") is None:
        return []
    lines = [f"samples     {info['num_samples']} reads, {100 * info['feasible_fraction']:.1f} % feasible"]
    phases = info.get("phases")
    if phases and info.get("batches"):
        why = stop_reason(result)
        spent = ", ".join(f"{k} {v:.2f} s" for k, v in phases.items())
        lines.append(f"run         {info['batches']} sampler calls ({why}); {spent}")
    if result.has_portfolio and info.get("answer_from") not in (None, "a raw sample"):
        raw = info.get("raw_best_objective")
        lines.append(f"answer      from {info['answer_from']}; best raw feasible sample: "
                     + ("none" if raw is None else f"{raw:.10g}"))
    return lines


def sample_metrics(result: Result) -> dict[str, Any]:
    """Benchmark columns shared by every sampler (QUBO or CQM)."""
    info = result.info
    return {**dict.fromkeys(BENCHMARK_METRICS), "sample_seconds": info.get("sample_seconds"),
            "feasible_fraction": info.get("feasible_fraction"), "num_samples": info.get("num_samples"),
            "num_variables": info.get("num_variables")}
