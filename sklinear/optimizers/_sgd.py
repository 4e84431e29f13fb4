r"""Mini-batch stochastic gradient descent.

The full gradient is a mean over all samples; a mini-batch of ``batch_size``
random samples gives an unbiased estimate of it at a fraction of the cost, so
SGD takes many cheap, noisy steps per pass over the data (an *epoch*) where
gradient descent takes one exact step.
"""

import math

import numpy as np
import scipy.sparse as sp
from sklearn.utils import check_random_state

from .._docstrings import fill_doc
from .._splitting import stratified_split
from ..losses import LOSSES
from ..penalties import L1, L2, ElasticNet, NoPenalty
from ._continuation import smoothing_ladder
from ._gradient_descent import _initial_lipschitz
from ._result import make_result, notify
from ._sgd_fast import sgd_steps
from ._stopping import NoImprovement, blew_up, check_blow_up, step_too_large

__all__ = ["sgd", "SCHEDULES"]

#: Step-size schedules: step ``t`` (from 1) of a run with initial step ``eta0``.
SCHEDULES = {
    "constant": lambda eta0, t, power_t, alpha: eta0,
    "invscaling": lambda eta0, t, power_t, alpha: eta0 / t**power_t,
    "optimal": lambda eta0, t, power_t, alpha: 1.0 / (1.0 / eta0 + 2.0 * alpha * t),
    "adaptive": lambda eta0, t, power_t, alpha: eta0,  # divided by 5 on plateaus
}
#: Rows and steps of the trial runs that pick the initial step.
CALIBRATION_ROWS = 1000
CALIBRATION_STEPS = 20
#: Most steps below the candidates that the calibration tries (a factor of
#: 4 each) while the smallest tried is the best.
SMALLER_STEPS = 10
#: The adaptive schedule gives up once its step falls below this.
MIN_ADAPTIVE_STEP = 1e-6
#: What a step is divided by: at each plateau of "adaptive", after a blow-up
#: of a calibrated step, and after a run that kept its start.
STEP_CUT = 5.0
#: Dense mini-batches of at most this many entries of ``X_B W`` (``batch_size
#: * n_features * n_classes``) take the compiled row kernel, larger ones the
#: BLAS path (see :func:`_row_kernel`).
DENSE_KERNEL_MAX_WORK = 10**5
#: The kernel's codes of the losses (see :mod:`._sgd_fast`).
KERNEL_LOSSES = {
    "hinge": 0,
    "squared_hinge": 1,
    "crammer_singer": 2,
    "cross_entropy": 3,
}


@fill_doc
def sgd(
    objective,
    x0,
    *,
    batch_size=256,
    learning_rate="auto",
    schedule="adaptive",
    power_t=0.5,
    momentum=0.0,
    nesterov=False,
    average=False,
    early_stopping=False,
    validation_fraction=0.1,
    n_iter_no_change=5,
    max_iter=1000,
    tol=1e-4,
    random_state=None,
    callback=None,
    state=None,
):
    r"""Minimize ``objective`` by proximal mini-batch SGD, one epoch per iteration.

    Each epoch reshuffles the samples (with ``random_state``) and walks through
    them in mini-batches :math:`B` of ``batch_size`` rows (``batch_size=1`` is
    classic SGD). With step :math:`\eta_t` and momentum :math:`\beta`, a step
    is

    .. math::

        v \leftarrow \beta v - \eta_t \nabla f_B(\theta), \qquad
        \theta \leftarrow \operatorname{prox}_{\eta_t g}(\theta + v),

    :math:`f_B` the data loss on the mini-batch (a subgradient for the hinge
    losses), :math:`g = \alpha R(W)` the penalty, applied by its proximal
    operator so that L1 gives exact zeros; ``nesterov=True`` takes the
    gradient at :math:`\theta + \beta v`. The step follows ``schedule``, with
    :math:`t` the number of steps taken so far (from 1):

    - ``"constant"``: :math:`\eta_t = \eta_0`;
    - ``"invscaling"``: :math:`\eta_t = \eta_0 / t^{p}`, :math:`p` = ``power_t``;
    - ``"optimal"``: :math:`\eta_t = 1 / (1 / \eta_0 + 2 \alpha t)`,
      that is :math:`1 / (2 \alpha (t_0 + t))` with :math:`t_0 = 1 / (2
      \alpha \eta_0)`: the Pegasos step for an objective that is
      :math:`2\alpha`-strongly convex (``"l2"``), offset as in Bottou's
      recipe (and ``SGDClassifier``) so that it starts near :math:`\eta_0`
      rather than at :math:`1 / (2 \alpha)`, a step that blows up for small
      :math:`\alpha`;
    - ``"adaptive"``: :math:`\eta_0`, divided by 5 each time the stopping
      rule below fires (a *plateau*), the run restarting from the best
      iterate so far; it stops at the first cut that no longer pays (see
      below), or once the step falls below 1e-6.

    :math:`\eta_0` is ``learning_rate``, or with ``"auto"`` the best of a few
    candidate steps tried on a sample of the data (Bottou's recipe; see
    :func:`_calibrated_step`).

    The steps run in a compiled row kernel (:mod:`._sgd_fast`) on sparse
    input and on dense mini-batches with small products (see
    :func:`_row_kernel`), at a cost of :math:`O(\mathrm{nnz}(X_B) K)` a step
    without momentum; the others in NumPy and BLAS. The two take the same
    steps, to rounding.

    ``average=True`` returns the Polyak-Ruppert average of the iterates,
    :math:`\bar\theta_t = \frac{1}{t}\sum_{s \le t} \theta_s`; an integer
    starts averaging after that many samples.

    **Stopping rule**: after each epoch, the full objective at the returned
    (averaged) iterate is recorded; the rule fires when its best value
    improved by at most

    .. math::

        \texttt{tol} \cdot \max(|L^\star|, L_0)

    over ``n_iter_no_change`` epochs, :math:`L^\star` the best value and
    :math:`L_0` the objective of the zero model (:math:`W = 0`, :math:`b =
    0`, where every sample's scores tie: :math:`\log K` for softmax,
    :math:`(K - 1)\Delta` for the Weston-Watkins hinge). ``tol`` is thus in
    units of the loss, as ``SGDClassifier``'s (absolute on a mean loss whose
    zero model's value is 1 for the hinge), not of the optimum: relative to
    :math:`|L^\star|` alone, the rule asked for improvements that vanish
    with the optimum, which on nearly separable data is a small share of
    :math:`L_0`, and SGD crawled on through hundreds of epochs that moved
    neither the model's accuracy nor, much, its objective.
    Every schedule but ``"adaptive"`` stops there. ``"adaptive"`` cuts its
    step instead, and stops when the whole plateau of its last cut improved
    the best value by no more than that: a constant step leaves the
    iterates in a noise ball whose excess objective is roughly proportional
    to the step, so a cut by 5 removes about 4/5 of what is left at the old
    step, and all further cuts together would gain about a quarter of what
    the last one did. (It used to cut until the step fell below 1e-6, at
    ``n_iter_no_change`` epochs a cut: 5 to 7 cuts, 25 to 35 epochs, that
    changed the objective by less than ``tol``; on 8k x 50k text the
    softmax ran 71 epochs where 44 reach the same accuracy.) If no epoch
    ends below the objective at the start, the run reports failure
    (``success=False``, so the estimators warn) and, without early stopping,
    returns the start (``kept_start=True``): its ``state`` then continues
    from the start too, with a calibrated step 5 times smaller.
    With ``early_stopping=True``, a stratified ``validation_fraction`` of the
    data is held out, and the rule watches the validation error
    (``1 - accuracy``) instead, relative to its best value; the best iterate
    by that criterion is returned.

    Parameters
    ----------
    {optimizer_start}
    batch_size : int, default=256
        Rows per mini-batch (the last one of an epoch may be smaller).
    learning_rate : "auto" or float, default="auto"
        Initial step :math:`\eta_0`.
    schedule : {"adaptive", "constant", "invscaling", "optimal"}, default="adaptive"
        How the step changes with :math:`t`.
    power_t : float, default=0.5
        Exponent of ``"invscaling"``.
    momentum : float, default=0.0
        Momentum :math:`\beta` in ``[0, 1)``.
    nesterov : bool, default=False
        Take the gradient at the look-ahead point.
    average : bool or int, default=False
        Return the average of the iterates (from that many samples on).
    early_stopping : bool, default=False
        Stop on the error of a held-out validation set.
    validation_fraction : float, default=0.1
        Fraction of the data held out when ``early_stopping``.
    n_iter_no_change : int, default=5
        Epochs over which the stopping rule measures improvement.
    max_iter : int, default=1000
        Maximum number of epochs.
    tol : float, default=1e-4
        Tolerance of the stopping rule.
    random_state : int, RandomState instance or None, default=None
        Shuffles the data and splits off the validation set.
    callback : callable, default=None
        Called after every epoch with an ``OptimizeResult`` holding ``nit``,
        ``fun``, ``step`` and ``x`` (the returned, possibly averaged, iterate).
    state : dict, default=None
        The ``state`` of a previous result: the run continues its iterate,
        step counter, velocity and average (as ``partial_fit`` and warm
        starts do). ``"adaptive"`` restarts from the step the previous run
        started from (after any back-off from a blow-up), not from its last,
        cut, step: the cuts measured plateaus of the data seen then. The
        other schedules continue from the step counter, as
        ``SGDClassifier`` does.

    Returns
    -------
    result : OptimizeResult
        ``x``, ``fun``, ``nit`` (epochs), ``success``, ``message``,
        ``loss_curve``, ``state`` and ``kept_start`` (whether no epoch beat
        the start, which was returned).

    Raises
    ------
    ValueError
        If ``schedule="optimal"`` with ``alpha == 0``, if
        ``validation_fraction`` leaves no rows to train on, or if the
        objective blows up.

    See Also
    --------
    gradient_descent : Full-batch gradient descent.
    lbfgs : The fastest for data that fit in memory.

    Examples
    --------
    >>> import numpy as np
    >>> from sklinear import make_problem
    >>> from sklinear.objective import LinearObjective
    >>> from sklinear.optimizers import sgd
    >>> rng = np.random.RandomState(0)
    >>> X = rng.normal(size=(200, 3)); y = (X[:, 0] > 0).astype(int)
    >>> obj = LinearObjective(make_problem(X, y, alpha=0.01))
    >>> result = sgd(obj, np.zeros(obj.n_params), batch_size=16, average=True,
    ...              random_state=0)
    >>> bool(result.fun < 0.5 * np.log(2))
    True
    """
    alpha = objective.problem.alpha
    if schedule == "optimal" and alpha == 0:
        raise ValueError(
            "schedule='optimal' decays the step as 1 / (2 * alpha * t) and needs "
            "alpha > 0; use another schedule with alpha=0."
        )
    rng = check_random_state(random_state)
    state = dict(state or {})
    train, valid = objective, None
    if early_stopping:
        train, valid = _split(objective, validation_fraction, rng)

    x = state.get("x", x0).copy()
    # Copies: the kernel updates them in place.
    velocity = state.get("velocity", np.zeros_like(x)).copy()
    t = state.get("t", 0)
    # A copy: the steps update the average in place, and the state handed in
    # (an estimator's) must stay as it was.
    mean, n_seen = state.get("mean", x).copy(), state.get("n_seen", 0)
    n_averaged = state.get("n_averaged", 0)
    if "eta0" in state:
        # A continued run (partial_fit, a warm start) restarts "adaptive" from
        # its step before the plateau cuts: those cuts measured plateaus of
        # the data seen then, and the new data have not reached one. The
        # other schedules continue their step counter, so their steps
        # continue too. (States saved before "eta_start" existed hold only
        # the cut step.)
        eta0 = state.get("eta_start", state["eta0"])
    elif learning_rate == "auto":
        eta0 = _calibrated_step(train, x, batch_size, rng)
    else:
        eta0 = float(learning_rate)
    start = objective.value(x0)
    start_averaging = 1 if average is True else int(average)
    cause = step_too_large(learning_rate)

    def watched(theta):
        """What the stopping rule minimizes, and what the curve records."""
        with np.errstate(over="ignore", invalid="ignore"):  # see check_blow_up
            fun = objective.value(theta)
        return fun, (1.0 - valid.accuracy(theta) if valid is not None else fun)

    kernel = _row_kernel(train, batch_size, momentum, average)
    eta = eta_start = eta0
    # The objective's unit: that of the zero model, where every sample's
    # scores tie (no product needed); the validation error's is the error.
    unit = 0.0 if valid is not None else abs(objective.value(np.zeros_like(x0)))
    rule = NoImprovement(tol, n_iter_no_change, unit)
    # The best watched value when the current step began (None before the
    # first cut): what the plateau of that step has to improve on.
    cut_from = None
    curve = []
    converged = False
    for epoch in range(1, max_iter + 1):
        order = rng.permutation(train.n_samples)
        if kernel is not None:
            etas = _step_sizes(
                schedule, eta0, t, len(order), batch_size, power_t, alpha
            )
            n_seen, n_averaged = kernel.steps(
                x,
                mean,
                velocity,
                order,
                etas,
                batch_size,
                n_seen,
                n_averaged,
                start_averaging,
                momentum,
                nesterov,
            )
            t += len(etas)
            eta = float(etas[-1]) if len(etas) else eta
        else:
            for start_row in range(0, train.n_samples, batch_size):
                batch = train.subset(order[start_row : start_row + batch_size])
                t += 1
                eta = SCHEDULES[schedule](eta0, t, power_t, alpha)
                with np.errstate(over="ignore", invalid="ignore"):  # checked per epoch
                    point = x + momentum * velocity if nesterov else x
                    grad = _batch_gradient(batch, point)
                    velocity = momentum * velocity - eta * grad
                    x = objective.prox(x + velocity, eta)
                    n_seen += batch.n_samples
                    if average and n_seen >= start_averaging:
                        n_averaged += 1
                        mean += (x - mean) / n_averaged
        current = mean.copy() if n_averaged else x.copy()
        fun, watched_value = watched(current)
        if blew_up(fun, start) and learning_rate == "auto":
            # The calibrated step was too bold for the whole data: back off to
            # the best point so far with a step 5 times smaller.
            x = (rule.best_x if rule.best_x is not None else x0).copy()
            mean, n_averaged = x.copy(), 0
            velocity = np.zeros_like(x)
            eta0 /= STEP_CUT
            eta_start = eta0  # the start proved too large as well
            current = x.copy()
            fun, watched_value = watched(current)
        check_blow_up(fun, start, epoch, cause)
        curve.append(fun)
        notify(callback, len(curve), fun, eta, current)
        if rule.update(watched_value, current):
            if schedule != "adaptive":
                converged = True
                break
            if cut_from is not None and cut_from - rule.best <= rule.threshold:
                # The whole plateau of the last cut gained no more than the
                # rule's tol: a step leaves a noise floor proportional to it,
                # so a cut removes about 4/5 of the excess left at the old
                # step, and all later cuts together about a quarter of what
                # this one gained. Further cuts no longer pay.
                converged = True
                break
            cut_from = rule.best
            eta0 /= STEP_CUT
            # Restart the smaller step from the best iterate, so that its
            # plateau is measured from the best value (the last iterate sits
            # anywhere in the larger step's noise, and a restarted average
            # would take epochs to catch up with it), and average only its
            # iterates: the old ones sit in the wider noise of the larger step.
            x = rule.best_x.copy()
            velocity = np.zeros_like(x)
            mean, n_averaged = x.copy(), min(n_averaged, 1)
            best, best_x = rule.best, rule.best_x
            rule = NoImprovement(tol, n_iter_no_change, unit)
            rule.update(best, best_x)
            if eta0 < MIN_ADAPTIVE_STEP:
                converged = True
                break
    best = rule.best_x if rule.best_x is not None else x0
    message = "no improvement" if converged else "maximum number of epochs reached"
    fun = objective.value(best)
    kept_start = fun > start and not early_stopping
    if fun > start:
        # No epoch ended below the start (steps too large or too noisy for the
        # data's scale, or too few epochs): say so rather than return a model
        # worse than the one the run started from. Without early stopping the
        # start is the best point seen, so it is returned; with it, the
        # iterate of the best validation error is kept, as documented.
        advice = (
            "scale the data, or try average=True or more epochs"
            if learning_rate == "auto"
            else step_too_large(learning_rate)
        )
        message = (
            f"the objective at the best epoch, {fun:.6g}, is above its start, "
            f"{start:.6g}: the steps are too large or too noisy for the data's "
            f"scale; {advice}"
        )
        converged = False
    if kept_start:
        best, fun = x0, start
        # A continued run (partial_fit, a warm start) goes on from the model
        # returned, not from iterates worse than it; and with a calibrated
        # step, from a smaller one, as after a blow-up: the same step would
        # likely fail again on the next batch.
        x, velocity, mean, n_averaged = x0.copy(), np.zeros_like(x0), x0.copy(), 0
        if learning_rate == "auto":
            eta_start = eta0 = eta_start / STEP_CUT
            message += "; a continued run takes steps 5 times smaller"
    state = {
        "x": x,
        "velocity": velocity,
        "t": t,
        "mean": mean,
        "n_seen": n_seen,
        "n_averaged": n_averaged,
        "eta0": eta0,
        "eta_start": eta_start,
    }
    return make_result(
        best, fun, curve, converged, message, state=state, kept_start=kept_start
    )


def _calibrated_step(objective, x0, batch_size, rng):
    """Bottou's recipe for the initial step: try a few on a sample, keep the best.

    Candidates are ``4**k / L`` for ``k = -1..3``, ``L`` the curvature of the
    data loss at ``x0`` (the step full-batch descent would take); each runs
    :data:`CALIBRATION_STEPS` constant steps on at most
    :data:`CALIBRATION_ROWS` rows, and the one with the lowest objective on
    those rows wins. The curvature at the start is often far larger than
    near the optimum, which is why larger steps are tried too. While the
    smallest step tried is the best, a 4 times smaller one is tried as well
    (at most :data:`SMALLER_STEPS` of them): the noise of small mini-batches
    can make every step from ``1 / (4L)`` up end above the start, and the
    least bad of them then left the model where it started. From the zero
    model, if every candidate ends strictly above the start (and finite),
    ``1 / L`` is taken: there every sample's scores tie, and the sum of the
    samples' subgradients can point uphill, so that every short run ascends
    and the least bad step is merely the tiniest (Crammer-Singer on text,
    whose maximum over the other classes is then a tie of all of them: the
    fit stayed at zero). Only longer runs descend from such a kink.
    """
    rows = rng.permutation(objective.n_samples)[:CALIBRATION_ROWS]
    sample = objective.subset(rows)
    base = 1.0 / _initial_lipschitz(sample, x0, smoothing_ladder(sample)[0])
    batches = [
        np.arange(start, min(start + batch_size, len(rows)))
        for start in range(0, len(rows), batch_size)
    ]
    kernel = _row_kernel(sample, batch_size, 0.0, False)

    def trial(eta):
        """The sample's objective after the constant steps of ``eta`` (inf for NaN)."""
        with np.errstate(all="ignore"):  # a diverging candidate just loses
            if kernel is not None:
                x = _kernel_trial(kernel, x0, batches, eta)
            else:
                x = x0.copy()
                for step in range(CALIBRATION_STEPS):
                    batch = sample.subset(batches[step % len(batches)])
                    x = objective.prox(x - eta * _batch_gradient(batch, x), eta)
            value = sample.value(x)
        return value if not np.isnan(value) else np.inf

    # In increasing order: on ties the smaller step wins.
    values = {float(eta): trial(eta) for eta in base * 4.0 ** np.arange(-1, 4)}
    smallest = min(values)
    for _ in range(SMALLER_STEPS):
        if min(values, key=values.get) != smallest:
            break
        smallest /= 4.0
        values = {smallest: trial(smallest), **values}
    best = min(values, key=values.get)
    if not x0.any() and np.isfinite(values[best]) and values[best] > sample.value(x0):
        # Every step ascends from the zero model (see above): take the one
        # full-batch descent would take; the epochs back off from a blow-up.
        return base
    return best


def _kernel_trial(kernel, x0, batches, eta):
    """The calibration's constant steps of ``eta`` from ``x0``, taken by the
    row kernel: on sparse data the NumPy steps cost :math:`O(pK)` each (a
    dense gradient and a prox over all of :math:`W`), which made the trials
    cost more than tens of epochs on 50k-term text.

    One kernel call per pass over the sample (``batches`` are its
    consecutive runs of ``batch_size`` rows, so a pass is one row order):
    each call ends by folding the lazy L2 scale into all of :math:`W`, an
    :math:`O(pK)` cost that one call per step would pay 20 times. The
    iterate stays in float64 between the calls (the kernel's arithmetic) and
    is returned in the dtype of ``x0``.
    """
    x = x0.astype(np.float64)
    unused = np.empty_like(x)  # no averaging: the kernel never reads it
    batch_size = len(batches[0])
    for first in range(0, CALIBRATION_STEPS, len(batches)):
        n_steps = min(len(batches), CALIBRATION_STEPS - first)
        order = np.concatenate(batches[:n_steps])
        etas = np.full(n_steps, eta, dtype=np.float64)
        kernel.steps(x, unused, None, order, etas, batch_size, 0, 0, 0)
    return x.astype(x0.dtype, copy=False)


def _batch_gradient(batch, theta):
    """The mini-batch's data-loss gradient: its weighted mean loss's gradient.

    A mini-batch whose weights are all zero carries no weight, and its mean
    (0 / 0) is taken as zero, not NaN: with small batches, rows of zero
    weight would otherwise turn a fit into NaN.
    """
    weights = batch.problem.sample_weight
    if weights is not None and not weights.any():
        return np.zeros(batch.n_params, dtype=batch.dtype)
    return batch.data_loss_gradient(theta)[1]


def _split(objective, validation_fraction, rng):
    """Stratified train and validation evaluators (at least one row each)."""
    y = objective.problem.y
    rows = np.arange(objective.n_samples)
    n_valid = max(1, math.ceil(validation_fraction * objective.n_samples))
    if n_valid >= objective.n_samples:
        raise ValueError(
            f"validation_fraction={validation_fraction!r} holds out "
            f"{n_valid} of the {objective.n_samples} rows, leaving none to train "
            "on; lower validation_fraction or set early_stopping=False."
        )
    train, valid = stratified_split(rows, y=y, test_size=n_valid, random_state=rng)
    return objective.subset(train), objective.subset(valid)


def _step_sizes(schedule, eta0, t, n_rows, batch_size, power_t, alpha):
    """The steps of the ``ceil(n_rows / batch_size)`` mini-batches after step ``t``.

    The schedule's formula at the step counts ``t + 1, t + 2, ...``, as the
    NumPy path evaluates it one step at a time.
    """
    n_steps = -(-n_rows // batch_size)
    counts = np.arange(t + 1, t + n_steps + 1, dtype=np.float64)
    etas = SCHEDULES[schedule](eta0, counts, power_t, alpha)
    return np.ascontiguousarray(np.broadcast_to(etas, (n_steps,)), dtype=np.float64)


def _row_kernel(objective, batch_size, momentum, average):
    r"""The compiled row kernel for these settings, or None for the NumPy path.

    The kernel (:mod:`._sgd_fast`) takes the steps for the four registered
    losses and the four penalties. Without momentum a step costs
    :math:`O(\mathrm{nnz}(X_B) K)` (L2 as a lazy scale, L1 by cumulative
    truncation, a lazy average; averaging with an L1 part takes the NumPy
    path). With momentum the velocity moves every weight at every step, so
    the kernel takes those steps eagerly, at
    :math:`O(\mathrm{nnz}(X_B) K + n_\mathrm{features} K)`: the order of
    the NumPy path's cost, without its fixed cost per step.
    It runs on every sparse input it covers (the NumPy path pays for a CSR
    subset, two sparse products and a prox over all of :math:`W` each step),
    and on dense input when a mini-batch's products are small,
    ``batch_size * n_features * n_classes`` at most
    :data:`DENSE_KERNEL_MAX_WORK`. There the NumPy path's fixed cost of some
    40 us a step dominates; above it, BLAS's blocked products beat the
    kernel's row-by-row loops (about 0.9 ns against 0.5 ns per entry of
    :math:`X_B W` and its transpose product, measured on digits and on
    500-feature Gaussian data: the kernel was 65 times faster at one row a
    step on digits, as fast at 256 rows; 1.4 times faster at 16 rows and 1.7
    times slower at 256 on 500 features).
    """
    problem = objective.problem
    loss = problem.loss
    registered = LOSSES.get(loss.name)
    if (
        registered is None
        or loss.function is not registered.function
        or type(problem.penalty) not in (L1, L2, ElasticNet, NoPenalty)
        or (problem.penalty.has_l1 and average and momentum == 0)
        or not (
            sp.issparse(problem.X)
            or batch_size * problem.n_features * problem.n_classes
            <= DENSE_KERNEL_MAX_WORK
        )
    ):
        return None
    return _RowKernel(problem)


class _RowKernel:
    """A problem's rows, labels, weights and penalty as :mod:`._sgd_fast` reads them."""

    def __init__(self, problem):
        X = problem.X
        dtype = problem.dtype
        if sp.issparse(X):
            X = sp.csr_matrix(X, dtype=dtype)  # no copy when it is one already
            index = np.int64 if X.indices.dtype == np.int64 else np.int32
            self.dense = np.empty((0, 0), dtype=dtype)
            self.data = np.ascontiguousarray(X.data)
            self.indices = np.ascontiguousarray(X.indices, dtype=index)
            self.indptr = np.ascontiguousarray(X.indptr, dtype=index)
        else:
            self.dense = np.ascontiguousarray(X, dtype=dtype)
            self.data = np.empty(0, dtype=dtype)
            self.indices = self.indptr = np.empty(0, dtype=np.int32)
        self.sparse = sp.issparse(X)
        self.y = np.ascontiguousarray(problem.y, dtype=np.intp)
        weights = problem.sample_weight
        self.weights = (
            np.empty(0) if weights is None else np.asarray(weights, dtype=np.float64)
        )
        self.loss = KERNEL_LOSSES[problem.loss.name]
        self.margin = 0.0 if problem.loss.margin is None else problem.loss.margin
        # The prox of step eta thresholds by eta * alpha_l1, then divides by
        # 1 + 2 eta alpha_l2 (see sklinear.penalties).
        penalty, alpha = problem.penalty, problem.alpha
        self.alpha_l1, self.alpha_l2 = {
            L2: (0.0, alpha),
            L1: (alpha, 0.0),
            NoPenalty: (0.0, 0.0),
        }.get(
            type(penalty),
            (
                alpha * getattr(penalty, "l1_ratio", 0.0),
                alpha * (1.0 - getattr(penalty, "l1_ratio", 0.0)),
            ),
        )
        self.problem = problem

    def steps(
        self,
        x,
        mean,
        velocity,
        order,
        etas,
        batch_size,
        n_seen,
        n_averaged,
        start,
        momentum=0.0,
        nesterov=False,
    ):
        """Take the steps over ``order`` on ``x``, ``mean`` and ``velocity``,
        in place (``velocity`` only with momentum).

        Returns the counters ``n_seen`` and ``n_averaged`` after them.
        """
        problem = self.problem
        n_coef, n_classes = problem.n_coef, problem.n_classes
        # float64 arrays are updated where they are; float32 ones in float64
        # copies (the kernel's arithmetic is float64 throughout).
        arrays = [x, mean] + ([velocity] if momentum else [])
        work = [a if a.dtype == np.float64 else a.astype(np.float64) for a in arrays]

        def split(theta):
            """``W`` and ``b`` of a float64 parameter vector, as views."""
            W = theta[:n_coef].reshape(-1, n_classes)
            return W, theta[n_coef:] if problem.fit_intercept else np.zeros(n_classes)

        (W, b), (mean_W, mean_b) = split(work[0]), split(work[1])
        U, u_b = split(work[2]) if momentum else (None, None)
        n_seen, n_averaged = sgd_steps(
            self.dense,
            self.data,
            self.indices,
            self.indptr,
            self.sparse,
            self.y,
            self.weights,
            np.ascontiguousarray(order, dtype=np.intp),
            batch_size,
            etas,
            self.loss,
            self.margin,
            self.alpha_l2,
            self.alpha_l1,
            W,
            b,
            problem.fit_intercept,
            mean_W,
            mean_b,
            n_seen,
            n_averaged,
            start,
            momentum,
            nesterov,
            U,
            u_b,
        )
        # A blown-up float64 iterate overflows float32: checked per epoch.
        with np.errstate(over="ignore", invalid="ignore"):
            for array, copy in zip(arrays, work, strict=True):
                if copy is not array:
                    array[...] = copy
        return n_seen, n_averaged
