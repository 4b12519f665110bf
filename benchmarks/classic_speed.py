"""Classical portfolios, qportfolio against the libraries a user would otherwise pick, in one run.

    python benchmarks/classic_speed.py [--sets port1 ... port5] [--repeats 5] [--points 50]

For each OR-Library set (long-only, fully invested, the sets' own mu and Sigma): minimum variance,
maximum Sharpe (risk-free 0), risk parity and a 50-point efficient frontier, each timed as a user
calls it (best of ``--repeats`` calls, problem construction included) with qportfolio,
PyPortfolioOpt (``EfficientFrontier``: ``min_volatility``, ``max_sharpe``, ``efficient_return`` on
one object, which re-solves its cvxpy Parameter) and skfolio (``MeanRisk``, ``RiskBudgeting``; fed
returns whose sample mean and covariance are exactly the set's, so that every library solves the same
problem). PyPortfolioOpt has no risk parity (its HRP is another portfolio), so that row has skfolio
only. The frontier's targets are qportfolio's 50 (minimum-variance return to maximum return), given
to every library.

Accuracy: per row, the largest difference in volatility from the peer, relative, over the points,
``best``: how much lower qportfolio's variance (higher Sharpe ratio) is than the peer's, relative
(positive: the peer stopped short of the optimum), and ``viol``: each answer's largest violation of
the budget or of long-only (an answer that violates them can look "better" than the optimum). ``ratio`` is the
fastest peer's time over qportfolio's: >= 1 means qportfolio is at least as fast.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import print_table

import qportfolio as qp
from qportfolio.classic import efficient_frontier, max_sharpe, min_variance, risk_budgeting


def best_time(fn, repeats: int):
    best, out = np.inf, None
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def exact_moment_returns(mu: np.ndarray, cov: np.ndarray, periods: int, seed: int = 0) -> np.ndarray:
    """Returns (periods x n) whose sample mean is mu and sample covariance (ddof=1) is cov exactly."""
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((periods, len(mu)))
    z -= z.mean(axis=0)
    s = np.cov(z, rowvar=False, ddof=1)
    z = z @ np.linalg.inv(np.linalg.cholesky(s)).T  # whitened: sample covariance I
    return z @ np.linalg.cholesky(cov).T + mu


def violation(weights: np.ndarray) -> float:
    """Largest violation of the budget (sum w = 1) or of long-only (w >= 0) over the rows."""
    w = np.atleast_2d(weights)
    return float(max(np.abs(w.sum(axis=1) - 1).max(), max(-w.min(), 0.0)))


def ours(mu, cov, targets):
    return {
        "min variance": lambda: min_variance(mu, cov).weights,
        "max Sharpe": lambda: max_sharpe(mu, cov, risk_free=0.0).weights,
        "risk parity": lambda: risk_budgeting(mu, cov).weights,
        "frontier": lambda: efficient_frontier(mu, cov, targets=targets).weights,
    }


def pypfopt_calls(mu, cov, targets):
    from pypfopt import EfficientFrontier

    def frontier():
        ef = EfficientFrontier(mu, cov, weight_bounds=(0, 1))
        out = []
        for r in targets:
            ef.efficient_return(float(r))
            out.append(np.array(list(ef.weights)))
        return np.array(out)

    return {
        "min variance": lambda: np.asarray(EfficientFrontier(mu, cov, weight_bounds=(0, 1)).min_volatility_weights()),
        "max Sharpe": lambda: np.asarray(EfficientFrontier(mu, cov, weight_bounds=(0, 1)).max_sharpe_weights()),
        "frontier": frontier,
    }


def skfolio_calls(returns, targets):
    from skfolio import RiskMeasure
    from skfolio.optimization import MeanRisk, ObjectiveFunction, RiskBudgeting

    def run(model):
        model.fit(returns)
        return np.asarray(model.weights_)

    return {
        "min variance": lambda: run(MeanRisk(risk_measure=RiskMeasure.VARIANCE)),
        "max Sharpe": lambda: run(MeanRisk(risk_measure=RiskMeasure.STANDARD_DEVIATION,
                                           objective_function=ObjectiveFunction.MAXIMIZE_RATIO)),
        "risk parity": lambda: run(RiskBudgeting(risk_measure=RiskMeasure.VARIANCE)),
        "frontier": lambda: run(MeanRisk(risk_measure=RiskMeasure.VARIANCE, min_return=np.asarray(targets))),
    }


def _patch_pypfopt():
    """Small adapters: PyPortfolioOpt returns OrderedDicts from its solve methods."""
    from pypfopt import EfficientFrontier

    def min_volatility_weights(self):
        self.min_volatility()
        return list(self.weights)

    def max_sharpe_weights(self):
        self.max_sharpe(risk_free_rate=0.0)
        return list(self.weights)

    EfficientFrontier.min_volatility_weights = min_volatility_weights
    EfficientFrontier.max_sharpe_weights = max_sharpe_weights


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", nargs="+", default=["port1", "port2", "port3", "port4", "port5"])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--points", type=int, default=50)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    _patch_pypfopt()
    rows = []
    for name in args.sets:
        p = qp.load_orlib(name, cardinality=10)
        mu, cov = p.expected_returns, p.covariance
        full = efficient_frontier(mu, cov, points=args.points).targets
        # the top end a hair below the maximum return: PyPortfolioOpt refuses targets above its own (interior-point) maximum
        targets = np.linspace(full[0], full[-1] - 1e-6 * (full[-1] - full[0]), args.points)
        returns = exact_moment_returns(mu, cov, periods=len(mu) + 200)
        peers = {"PyPortfolioOpt": pypfopt_calls(mu, cov, targets), "skfolio": skfolio_calls(returns, targets)}
        for task, fn in ours(mu, cov, targets).items():
            t_ours, w_ours = best_time(fn, args.repeats)
            w_ours = np.atleast_2d(w_ours)
            row = {"set": name, "n": len(mu), "task": task, "qportfolio s": t_ours}
            fastest = np.inf
            for peer, calls in peers.items():
                if task not in calls:
                    row[f"{peer} s"] = "—"
                    continue
                try:
                    t_peer, w_peer = best_time(calls[task], args.repeats)
                except Exception as exc:  # a peer's solver giving up is a result, not a crash of the benchmark
                    row[f"{peer} s"] = f"failed ({type(exc).__name__})"
                    print(f"{name} {task}: {peer} failed: {exc}", flush=True)
                    continue
                w_peer = np.atleast_2d(w_peer)
                fastest = min(fastest, t_peer)
                row[f"{peer} s"] = t_peer
                var_o = np.einsum("pi,ij,pj->p", w_ours, cov, w_ours)
                var_p = np.einsum("pi,ij,pj->p", w_peer, cov, w_peer)
                row["qportfolio viol"] = f"{violation(w_ours):.0e}"
                if task == "max Sharpe":
                    s_o = (w_ours @ mu) / np.sqrt(var_o)
                    s_p = (w_peer @ mu) / np.sqrt(var_p)
                    diff, better = float(np.max(np.abs(s_o - s_p) / s_o)), float(np.min(s_o - s_p) / s_o.max())
                else:
                    diff = float(np.max(np.abs(np.sqrt(var_o) - np.sqrt(var_p)) / np.sqrt(var_o)))
                    better = float(np.min((var_p - var_o) / var_o))
                row[f"{peer} dvol"] = f"{diff:.1e}"
                row[f"{peer} viol"] = f"{violation(w_peer):.0e}"
                row[f"{peer} best"] = f"{better:+.1e}"
            row["ratio"] = fastest / t_ours if np.isfinite(fastest) else float("nan")
            rows.append(row)
            print(f"{name} {task}: qportfolio {t_ours * 1e3:.2f} ms, fastest peer {fastest * 1e3:.2f} ms", flush=True)
    print()
    def cell(v, spec):
        return v if isinstance(v, str) else format(v, spec)

    for row in rows:
        for key in ("qportfolio s", "PyPortfolioOpt s", "skfolio s"):
            row[key] = cell(row.get(key, "—"), ".4f")
        row["ratio"] = f"{row['ratio']:.1f}"
    columns = ("set", "n", "task", "qportfolio s", "PyPortfolioOpt s", "skfolio s", "ratio", "qportfolio viol",
               "PyPortfolioOpt dvol", "PyPortfolioOpt best", "PyPortfolioOpt viol",
               "skfolio dvol", "skfolio best", "skfolio viol")
    print_table(rows, [(k, k, "") for k in columns])


if __name__ == "__main__":
    main()
