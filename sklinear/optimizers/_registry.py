"""The optimizer registry: what each optimizer is, takes and supports."""

import dataclasses
from collections.abc import Callable

from ..penalties import PENALTIES
from ._dual_cd import dual_cd
from ._gradient_descent import gradient_descent
from ._lbfgs import lbfgs
from ._random_search import random_local_search, random_search
from ._sgd import sgd

__all__ = ["OptimizerSpec", "OPTIMIZERS"]

_ALL_PENALTIES = frozenset(PENALTIES)


@dataclasses.dataclass(frozen=True)
class OptimizerSpec:
    """An optimizer as the estimators see it.

    Parameters
    ----------
    function : callable
        ``function(objective, x0, *, callback=None, **settings)`` returning an
        :class:`~scipy.optimize.OptimizeResult`.
    hyperparameters : tuple of str
        The estimator hyperparameters passed to ``function`` as settings.
    losses : frozenset of str or None, default=None
        The losses it can minimize; None for all.
    penalties : frozenset, default=all four
        The penalties it can handle, by name (None for no penalty).
    partial_fit : bool, default=False
        Whether one call can continue the last (an estimator's
        ``partial_fit``).
    warm_start : bool, default=True
        Whether it starts from ``x0``, so that a warm start continues a
        previous solution.
    state : bool, default=True
        Whether it returns a ``state`` in its result and takes one back, to
        resume where it stopped (step size, smoothing, momentum).
    chunk_size : int or None, default=None
        Candidates it scores per product with ``X``, passed as ``chunk_size``
        (the random searches); None for one.
    counts_max_iter : bool, default=True
        Whether its iterations are bounded by ``max_iter`` (the random searches
        are budgeted by evaluations instead).
    baseline : bool, default=False
        A lecture baseline that fits poorly by design.
    positive_alpha : bool, default=False
        Whether it needs ``alpha > 0`` (a dual method: its bounds are
        :math:`1 / (2 \alpha)`).
    ignores : callable, default=None
        ``ignores(settings)``: the hyperparameters among its own that these
        settings make it ignore, as a dict from name to the setting's
        description (``momentum`` with ``learning_rate="auto"``).
    keeps_scores : bool, default=False
        Whether it takes ``keep_scores=True`` to return the scores
        :math:`XW + b` of its result in its ``state``, for a warm start
        from that result to skip their product (a regularization path
        asks; see :func:`sklinear._path._warm_path`).
    own_products : bool, default=False
        Whether its steps take large BLAS products of their own, besides
        those with ``X`` (L-BFGS's compact form multiplies its stored
        pairs). Only such an optimizer keeps BLAS's threads on sparse data,
        which SciPy multiplies without BLAS (:mod:`sklinear._threading`).
    """

    function: Callable
    hyperparameters: tuple
    losses: frozenset | None = None
    penalties: frozenset = _ALL_PENALTIES
    partial_fit: bool = False
    warm_start: bool = True
    state: bool = True
    chunk_size: int | None = None
    counts_max_iter: bool = True
    baseline: bool = False
    positive_alpha: bool = False
    ignores: Callable | None = None
    keeps_scores: bool = False
    own_products: bool = False

    def unsupported(self, problem):
        """Why this optimizer cannot minimize ``problem``, or None if it can."""
        return self.refuses(problem.loss.name, problem.penalty.name, problem.alpha)

    def refuses(self, loss, penalty, alpha):
        """Why it cannot minimize loss ``loss`` with penalty ``penalty`` (names)
        and ``alpha``, or None if it can: what :meth:`unsupported` checks,
        before there is a problem (an estimator resolving ``"auto"``)."""
        if self.losses is not None and loss not in self.losses:
            return f"the losses {sorted(self.losses)}"
        if penalty not in self.penalties:
            names = sorted(self.penalties, key=str)
            return f"the penalties {names}"
        if self.positive_alpha and not alpha > 0:
            return "only alpha > 0"
        return None


def _gd_ignores(settings):
    if settings.get("learning_rate") == "auto":
        why = " and learning_rate='auto' (the accelerated method)"
        return dict.fromkeys(("momentum", "nesterov", "n_iter_no_change"), why)
    return {}


#: Optimizers by the name the estimators' ``optimizer`` parameter takes.
OPTIMIZERS = {
    "dual_cd": OptimizerSpec(
        dual_cd,
        ("max_iter", "tol", "random_state"),
        losses=frozenset({"hinge", "squared_hinge", "crammer_singer"}),
        penalties=frozenset({"l2"}),
        positive_alpha=True,
    ),
    "lbfgs": OptimizerSpec(
        lbfgs,
        ("max_iter", "tol"),
        penalties=frozenset({"l2", None}),
        keeps_scores=True,
        own_products=True,
    ),
    "gd": OptimizerSpec(
        gradient_descent,
        (
            "learning_rate",
            "momentum",
            "nesterov",
            "max_iter",
            "tol",
            "n_iter_no_change",
        ),
        ignores=_gd_ignores,
    ),
    "sgd": OptimizerSpec(
        sgd,
        (
            "batch_size",
            "learning_rate",
            "schedule",
            "power_t",
            "momentum",
            "nesterov",
            "average",
            "early_stopping",
            "validation_fraction",
            "n_iter_no_change",
            "max_iter",
            "tol",
            "random_state",
        ),
        partial_fit=True,
    ),
    "random_search": OptimizerSpec(
        random_search,
        ("n_candidates", "init_scale", "random_state"),
        warm_start=False,
        state=False,
        chunk_size=64,
        counts_max_iter=False,
        baseline=True,
    ),
    "random_local_search": OptimizerSpec(
        random_local_search,
        ("n_candidates", "init_scale", "step_size", "random_state"),
        state=False,
        chunk_size=16,
        counts_max_iter=False,
        baseline=True,
    ),
}
