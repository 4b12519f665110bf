"""Classical portfolio construction with cvxpy (convex) and SCIP (cardinality): minimum variance,
mean-variance targets, maximum Sharpe, risk budgeting, minimum CVaR, score trade-offs, the
efficient frontier, shadow prices and infeasibility diagnostics."""

from .constraints import LONG_ONLY, SHORTS_ALLOWED, Constraints, Group
from .diagnostics import conflicting_subset, explain_infeasibility
from .frontier import Frontier, efficient_frontier, plot_frontier
from .mean_variance import equal_weight, max_return_for_volatility, min_variance, min_variance_for_return
from .result import PortfolioResult
from .risk_parity import risk_budgeting, risk_contributions
from .scores import score_tradeoff
from .sharpe import max_sharpe
from .tail_risk import cvar, min_cvar

__all__ = [
    "LONG_ONLY",
    "SHORTS_ALLOWED",
    "Constraints",
    "Frontier",
    "Group",
    "PortfolioResult",
    "conflicting_subset",
    "cvar",
    "efficient_frontier",
    "equal_weight",
    "explain_infeasibility",
    "max_return_for_volatility",
    "max_sharpe",
    "min_cvar",
    "min_variance",
    "min_variance_for_return",
    "plot_frontier",
    "risk_budgeting",
    "risk_contributions",
    "score_tradeoff",
]
