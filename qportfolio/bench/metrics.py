"""Benchmark metrics, computed from the stored rows (so that a finished database can be re-scored).

Gaps. OR-Library objectives are ~1e-5 and cross zero as lambda moves along the frontier, so a
plain (f - f*)/|f*| can blow up. Two gaps are reported, both to an exact reference optimum f* of
the same instance (``exact-discrete`` for ``gap_discrete``, ``exact-continuous`` for
``gap_continuous``; each reference's own proven status is kept beside it):

- ``gap_*`` = (f - f*) / max(|f|, |f*|): the relative gap of :func:`qportfolio.result.relative_gap`,
  always in [-2, 2] (0 when equal), so it never blows up; negative when a solver beats a
  time-limited reference.
- ``scaled_gap_*`` = (f - f*) / S with S = lambda * max_i Sigma_ii + (1 - lambda) * (max_i mu_i -
  min_i mu_i), an upper bound on the spread of f over all long-only fully invested portfolios
  (w'Sigma w <= max_i Sigma_ii and mu'w lies in [min mu, max mu]): the gap as a fraction of the
  instance's objective range, comparable across lambda and instances.

Samplers: ``feasible_fraction`` of raw samples (from the solver), ``p_opt`` = share of samples whose
decoded objective is within 1e-9 * S of f*_discrete, and TTS99 = t * ln(0.01) / ln(1 - p_opt),
t = sampling seconds per read (t itself when p_opt >= 0.99; infinite when p_opt = 0).

OR-Library: the percentage deviation of a portfolio (variance V, return R) from the unconstrained
efficient frontier (UEF, ``portefN.txt``), as in Chang, Meade, Beasley & Sharaiha (2000): the UEF
is interpolated linearly; the variance deviation 100 |V - V*(R)| / V*(R) and the return deviation
100 |R - R*(V)| / R*(V) are taken and the smaller one kept (a direction whose point lies outside
the UEF's range is not used). The mean over a solver's points is its mean percentage deviation.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..problem import PortfolioProblem
from ..result import relative_gap  # noqa: F401  (the gap these metrics use, re-exported)
from .suite import FINAL_STATUSES

OPT_TOLERANCE = 1e-9


def objective_scale(problem: PortfolioProblem) -> float:
    """S: an upper bound on max f - min f over long-only, fully invested portfolios (see above)."""
    lam = problem.risk_aversion
    mu = np.asarray(problem.expected_returns)
    return float(lam * np.max(np.diag(problem.covariance)) + (1.0 - lam) * (mu.max() - mu.min())) or 1.0


def optimum_probability(sample_objectives: list[list[float]] | None, num_samples: float | None, f_star: float,
                        scale: float) -> float | None:
    """Share of all samples whose objective is within tolerance of f* (None for non-samplers)."""
    if sample_objectives is None or not num_samples:
        return None
    tol = OPT_TOLERANCE * scale
    hits = sum(count for value, count in sample_objectives if value <= f_star + tol)
    return float(hits / num_samples)


def tts99(seconds_per_read: float | None, p: float | None, target: float = 0.99) -> float | None:
    """Time to solution at ``target`` confidence: t ln(1 - target) / ln(1 - p)."""
    if seconds_per_read is None or p is None:
        return None
    if p <= 0.0:
        return math.inf
    if p >= target:
        return seconds_per_read
    return seconds_per_read * math.log(1.0 - target) / math.log(1.0 - p)


def frontier_deviation(variance: float, ret: float, uef: np.ndarray) -> float | None:
    """Chang et al.'s percentage deviation of one (variance, return) point from the UEF."""
    means, variances = uef[:, 0], uef[:, 1]
    devs = []
    by_ret = np.argsort(means)
    if means.min() <= ret <= means.max():
        v_star = float(np.interp(ret, means[by_ret], variances[by_ret]))
        if v_star > 0:
            devs.append(100.0 * abs(variance - v_star) / v_star)
    by_var = np.argsort(variances)
    if variances.min() <= variance <= variances.max():
        r_star = float(np.interp(variance, variances[by_var], means[by_var]))
        if r_star != 0:
            devs.append(100.0 * abs(ret - r_star) / abs(r_star))
    return min(devs) if devs else None


def latest_references(runs: Any) -> Any:
    """``runs`` with one reference row per (instance fingerprint, reference solver): a proven one if
    any (a point rerun at a suite's extended_time_limit supersedes its unproven first try), else the
    latest. Other rows are kept as they are."""
    is_ref = runs["role"] == "reference"
    refs = runs[is_ref].assign(_proven=runs.loc[is_ref, "status"].isin(FINAL_STATUSES))
    keep = refs.sort_values(["_proven", "finished_at"]).groupby(["fingerprint", "solver"]).tail(1).index
    return runs[~is_ref | runs.index.isin(keep)].copy()


def add_metrics(runs: Any, *, data_dir: str | None = None) -> Any:
    """The runs DataFrame with reference optima, gaps, P(optimum), TTS99 and frontier deviations."""
    import pandas as pd

    df = latest_references(runs)
    refs = df[df["role"] == "reference"]
    for kind, solver in (("discrete", "exact-discrete"), ("continuous", "exact-continuous")):
        table = (refs[refs["solver"] == solver].set_index("fingerprint")[["objective", "status", "bound"]]
                 .rename(columns={"objective": f"ref_{kind}", "status": f"ref_{kind}_status", "bound": f"ref_{kind}_bound"}))
        df = df.merge(table, left_on="fingerprint", right_index=True, how="left")
        ok = df["feasible"].astype(bool) & df[f"ref_{kind}"].notna()
        diff = df["objective"] - df[f"ref_{kind}"]
        denom = np.maximum(df["objective"].abs(), df[f"ref_{kind}"].abs())
        relative = np.where(denom > 0, diff / denom.where(denom > 0, 1.0), 0.0)  # result.relative_gap, vectorised
        df[f"gap_{kind}"] = np.where(ok, relative, np.nan)
        df[f"scaled_gap_{kind}"] = np.where(ok, diff / df["objective_scale"], np.nan)
    p_opt, tts = [], []
    for row in df.itertuples():
        if row.sample_objectives is None or pd.isna(row.ref_discrete):
            p_opt.append(np.nan)
            tts.append(np.nan)
            continue
        p = optimum_probability(row.sample_objectives, row.num_samples, row.ref_discrete, row.objective_scale)
        seconds = row.sample_seconds if row.sample_seconds is not None and not pd.isna(row.sample_seconds) else row.wall_time
        t = tts99(seconds / row.num_samples if row.num_samples else None, p)
        p_opt.append(np.nan if p is None else p)
        tts.append(np.nan if t is None else t)
    df["p_opt"] = p_opt
    df["tts99"] = tts
    df["frontier_deviation"] = _frontier_deviations(df, data_dir)
    return df


def _frontier_deviations(df: Any, data_dir: str | None) -> list[float]:
    from ..data import load_orlib_frontier
    from ..data.orlib import ORLIB_SETS
    from ..errors import DataError

    cache: dict[str, np.ndarray | None] = {}
    out = []
    for row in df.itertuples():
        if row.instance not in ORLIB_SETS or not row.feasible:
            out.append(np.nan)
            continue
        if row.instance not in cache:
            try:
                cache[row.instance] = load_orlib_frontier(row.instance, data_dir=data_dir)
            except DataError:
                cache[row.instance] = None
        uef = cache[row.instance]
        dev = None if uef is None else frontier_deviation(row.volatility ** 2, row.expected_return, uef)
        out.append(np.nan if dev is None else dev)
    return out


def summarize(df: Any, by: str = "instance_set") -> Any:
    """Per configuration x instance set (or x ``by`` = "instance"): jobs, feasibility, gap median and
    IQR, P(opt), TTS99, time, mean percentage deviation from the UEF, share and count proven optimal."""
    import pandas as pd

    def q(x: Any, p: float) -> float:
        x = x.dropna()
        return float(np.quantile(x, p)) if len(x) else np.nan

    rows = []
    for (config, iset), g in df.groupby(["config", by], sort=True):
        finite_tts = g["tts99"].replace(np.inf, np.nan)
        rows.append({
            "config": config,
            "solver": g["solver"].iloc[0],
            by: iset,
            "jobs": len(g),
            "feasible": float(g["feasible"].mean()),
            "sample_feasibility": float(g["feasible_fraction"].mean()) if g["feasible_fraction"].notna().any() else np.nan,
            "gap_median": q(g["gap_discrete"], 0.5),
            "gap_q25": q(g["gap_discrete"], 0.25),
            "gap_q75": q(g["gap_discrete"], 0.75),
            "scaled_gap_median": q(g["scaled_gap_discrete"], 0.5),
            "gap_continuous_median": q(g["gap_continuous"], 0.5),
            "optimal_share": float((g["gap_discrete"].dropna() <= 1e-6).mean()) if g["gap_discrete"].notna().any() else np.nan,
            "p_opt_median": q(g["p_opt"], 0.5),
            "tts99_median": q(finite_tts, 0.5) if finite_tts.notna().any() else (np.inf if g["tts99"].notna().any() else np.nan),
            "wall_median": q(g["wall_time"], 0.5),
            "qpu_time_mean": float(g["qpu_access_time"].mean()) if g["qpu_access_time"].notna().any() else np.nan,
            "mean_pct_deviation": float(g["frontier_deviation"].mean()) if g["frontier_deviation"].notna().any() else np.nan,
            "median_pct_deviation": (float(g["frontier_deviation"].median()) if g["frontier_deviation"].notna().any()
                                     else np.nan),
            "proven_optimal": float((g["status"] == "optimal").mean()) if (g["role"] == "reference").all() else np.nan,
            "proven": int((g["status"] == "optimal").sum()) if (g["role"] == "reference").all() else np.nan,
        })
    return pd.DataFrame(rows)
