r"""Dual coordinate descent for the SVM losses with the L2 penalty.

Divided by :math:`2\alpha`, the objective of an SVM with ``penalty="l2"`` is

.. math::

    \tfrac12 \|W\|^2 + \sum_i C_i\, L_i(W^\top x_i + b),
    \qquad C_i = \frac{w_i}{2 \alpha \sum_l w_l} ,

the form of Hsieh et al. (2008) and Keerthi et al. (2008). Each sample owns
dual variables :math:`\beta_{ij} \ge 0` for the classes :math:`j \ne y_i`,
the weights are :math:`W = \sum_i x_i \eta_i^\top` with
:math:`\eta_{ij} = -\beta_{ij}`, :math:`\eta_{i y_i} = \sum_j \beta_{ij}`,
and the dual is

.. math::

    \max_\beta\ D(\beta) = \Delta \sum_{ij} \beta_{ij} - \tfrac12 \|W\|^2
    - \sum_{ij} \frac{\beta_{ij}^2}{4 C_i}\,[\text{squared}]
    \quad \text{s.t.}\ \sum_i \eta_i = 0\ [\text{intercept}],

with :math:`\beta_{ij} \le C_i` for the Weston-Watkins hinge,
:math:`\sum_j \beta_{ij} \le C_i` for Crammer-Singer and no upper bound for
the squared hinge. An epoch maximizes :math:`D` over one sample's block at a
time, exactly (:mod:`._dual_cd_fast`).

The unpenalized intercept is the multiplier of the equality constraint. It
is handled by the method of multipliers: each block step sees the scores
with :math:`b = b_k + v^2 z`, :math:`z = \sum_i \eta_i`, the exact minimizer
of the objective plus :math:`\|b - b_k\|^2 / (2 v^2)`, and after each epoch
the centre moves, :math:`b_k \leftarrow b`. As :math:`z \to 0` the fixed
points are those of the unpenalized problem, not of a penalized bias
feature.
"""

import numpy as np
import scipy.sparse as sp
from scipy.linalg.blas import dger
from scipy.optimize import linprog, minimize_scalar
from sklearn.utils import check_random_state

from .._docstrings import fill_doc
from ..objective import LinearObjective
from ._active_set import active_set_solution, subspace_step
from ._dual_cd_fast import epoch, primal_losses, row_products, weights_of
from ._duals import _eta, _flows, _total, into_box, separable
from ._lbfgs import MIN_MEMORY, _memory_within, lbfgs
from ._result import OptimizeResult, make_result

__all__ = ["dual_cd"]

#: The kernel's code of each loss.
_LOSS_CODES = {"hinge": 0, "squared_hinge": 1, "crammer_singer": 2}
#: The intercept's step :math:`v^2`, as a fraction of the mean squared norm
#: of the centred rows ...
INTERCEPT_STEP = 0.05
#: ... and at least this many margins per unit of the largest box bound: one
#: sample's whole mass then moves the intercept by this share of a margin.
INTERCEPT_FLOOR = 0.01
#: Entries of the dual variables made feasible at a time by the certificate.
BLOCK_SIZE = 2**16
#: The most shrunk epochs between two full ones.
MAX_SHRUNK = 50
#: Shrunk epochs go on until their largest violation falls below this
#: fraction of the last full epoch's.
COOLING = 0.1
#: Shrunk epochs between two checks of whether the dual already certifies
#: the best iterate (then a full epoch comes at once).
SCREEN_EVERY = 5
#: Full epochs solve the optimality conditions of their active set
#: (:mod:`._active_set`) once their gap is below this ...
POLISH_BELOW = 1e-2
#: ... and has fallen by this factor since the last attempt that failed.
POLISH_PROGRESS = 3.0
#: Memory the system of the active set may take: this fraction of the size
#: of X, or ``POLISH_MEMORY`` bytes on smaller data.
POLISH_SHARE = 0.1
POLISH_MEMORY = 2**22
#: Subspace steps (:func:`~._active_set.subspace_step`) start once a full
#: epoch's gap is below this ...
STEP_BELOW = 0.1
#: ... and each waits until the epochs since the last did this share of its
#: work. A set too large for the system is looked at again after twice as
#: many epochs as the last time, up to ``MAX_STEP_WAIT``.
STEP_PACE = 0.5
MAX_STEP_WAIT = 32
#: Guesses in a row, each followed by a full epoch from its solution.
MAX_RETRIES = 2
#: A guess whose gap is below this got the active set right (what is left
#: is rounding): no full epoch follows it.
EXACT = np.sqrt(np.finfo(np.float64).eps)
#: The primal start (:func:`_primal_start`): at the first full epoch after
#: ``PRIMAL_AFTER`` epochs, a dual that is dense (the epochs so far visited
#: at least ``DENSE_SHARE`` of the rows: shrinking set few aside)
#: and whose gaps project, from their rate of decrease since the first full
#: epoch after half as many, more than ``PRIMAL_EPOCHS`` epochs still to
#: ``tol`` is crawling, and the fit tries a smoothed primal solution and its
#: duals (see :func:`_smoothed_primal`). A fit that projects fewer epochs than it
#: has run is nearly over, and the start is not worth its L-BFGS.
PRIMAL_AFTER = 50
PRIMAL_EPOCHS = PRIMAL_AFTER
DENSE_SHARE = 0.75
#: The tol of the primal start's L-BFGS, whatever the fit's: its duals
#: need only be near, the epochs that follow certify.
PRIMAL_TOL = 1e-4
#: A fit that ends uncertified tries the smoothed primal once more, its
#: L-BFGS keeping as many pairs as fit in this many bytes (at least
#: ``MIN_MEMORY``), when they and ``FINAL_ARRAYS`` arrays the size of the
#: dual variables (L-BFGS's buffers of scores, the duals of its solution)
#: fit in the allowance of the exact finish's system (:func:`_allowance`).
FINAL_MEMORY = 2**20
FINAL_ARRAYS = 6
#: A full epoch is certified only when the gap it guesses without a pass
#: over X (:func:`_guessed_gap`) is below ``GUESS_MARGIN`` times ``tol`` or
#: below the polishing threshold; after ``MAX_GUESSED`` guesses in a row it
#: is certified anyway.
GUESS_MARGIN = 10.0
MAX_GUESSED = 3
#: What :func:`_exact` hands back to the epoch loop.
_STATE = ("beta", "b", "V", "residual")
#: Most doublings of the bracket of an intercept jump (:func:`_intercept_on_line`).
DOUBLINGS = 60


@fill_doc
def dual_cd(
    objective,
    x0,
    *,
    max_iter=1000,
    tol=1e-4,
    random_state=None,
    shrinking=True,
    callback=None,
    state=None,
):
    r"""Minimize an SVM objective by exact block coordinate ascent on its dual.

    Each epoch visits the samples in a random order (drawn from
    ``random_state``) and sets each one's dual variables to the exact
    maximizer of the dual over them (:mod:`._dual_cd_fast`).

    **Shrinking** (as liblinear's): let :math:`\epsilon` be the largest
    violation of the optimality conditions met in the last epoch,
    :math:`\max_i Q_i \|\beta_i' - \beta_i\|_\infty` (in the units of the
    dual's gradient :math:`g_{ij} = s_j - s_{y_i} + \Delta`). A variable that
    stays at 0 with :math:`g_{ij} < -\epsilon` is set aside: the next epochs
    neither compute its score nor solve for it, and a sample left with no
    variable is not visited. As the violations shrink, so does the
    threshold. Once the shrunk epochs' violation falls below ``COOLING``
    times the last full epoch's, after ``MAX_SHRUNK`` of them, or when the
    Lagrangian (checked every ``SCREEN_EVERY`` shrunk epochs) already
    certifies the best iterate, every variable is restored and a full epoch
    checks them all; only full epochs may stop.

    **Stopping rule**: after each full epoch, the relative duality gap

    .. math::

        \frac{P(W, b) - D(\tilde\beta)}{\max(P(W, b), \epsilon)}
        \le \texttt{tol},

    with :math:`P(W, b)` the lowest objective of the iterates so far (the
    one returned: the primal iterates of a dual method need not descend) and
    :math:`\tilde\beta` the dual point made feasible for the intercept's
    constraint (:func:`_circulation`). It is a certificate:
    :math:`P(W, b) - P^\star \le \texttt{tol} \cdot P(W, b)`, up to the
    rounding of the two values.

    **Intercept jumps**: a full epoch whose gap is above ``tol`` and
    ``EXACT`` (below it what is left is rounding), has not halved since the
    last full epoch, and whose Lagrangian is within
    ``GUESS_MARGIN * tol`` moves the intercept to the primal's minimum along
    the residual when that gains more than ``tol`` and half the Lagrangian's
    gap (:func:`_intercept_jump`): the multiplier steps crawl when the
    residual is the tiny mass of classes weighted orders of magnitude below
    others. After a line search that did not pay, the next waits twice as
    many epochs as the last.

    **Guessed gaps**: the objective costs a pass over ``X``. A full epoch
    first guesses its gap without one (:func:`_guessed_gap`: its data term
    as the visits saw it, each sample at the scores its visit started
    from); while the guess is above ``GUESS_MARGIN * tol`` and the
    polishing threshold, nothing is near a stop, and the iterate is neither
    evaluated nor certified (at most ``MAX_GUESSED`` full epochs in a row,
    and never the last epoch, whose iterate is always a candidate). A fit
    stops only on a certified gap.

    **Exact finish**: full epochs whose gap is below ``POLISH_BELOW`` (and
    has fallen ``POLISH_PROGRESS``-fold since the last try), and the one
    that meets ``tol``, solve the optimality conditions of their active set
    as a linear system (:mod:`._active_set`). The solution is certified like
    any iterate and taken when better; when the active set was right, the
    fit ends at the optimum to rounding. After a solution that was nearly
    right, one full epoch runs from it and the set is solved again (at most
    ``MAX_RETRIES`` times in a row).

    **Subspace steps**: once a full epoch's gap is below ``STEP_BELOW``,
    the epochs are interleaved with projected Newton steps on the variables
    strictly inside their box (:func:`~._active_set.subspace_step`): the
    solution of the optimality conditions of the current active set, the
    system of the exact finish, taken along the projected arc towards it as
    far as it raises the Lagrangian: the full step at the solution's
    intercept, which the fit then takes, a shorter one at the current
    intercept, which it keeps. Coordinate ascent settles those variables'
    values slowly, as they move together; a step settles them at once, and
    the epochs are left to find the set. A step is tried once the epochs
    since the last have done ``STEP_PACE`` times its work (its system, Gram
    matrix and a pass over ``X``, in estimated floating-point operations); a
    set too large for the memory budget of the system is looked at again
    after twice as many epochs as the last time, up to ``MAX_STEP_WAIT``.
    Before ``STEP_BELOW`` the set is far from settled and its systems are
    large: there the steps cost more than they saved (see the user guide).

    **Primal start** (cold fits): at the first full epoch after
    ``PRIMAL_AFTER`` epochs, if the dual is dense (the epochs visited at
    least ``DENSE_SHARE`` of the rows: shrinking found few samples without a
    support-vector candidate) and the gaps project more
    than ``PRIMAL_EPOCHS`` epochs to ``tol`` (:func:`_crawls`), the fit
    tries, once, a smoothed L-BFGS solution and its duals
    (:func:`_primal_start`) and starts again from them if their certified
    gap is at most half the current one; its iterations are not epochs. A
    dense dual makes an epoch cost a pass over ``X``, as an L-BFGS
    iteration does, while coordinate ascent gains least per epoch; on a
    sparse dual the epochs are cheap, and L-BFGS at a small ``alpha`` costs
    more than they do.

    **A final attempt**: a fit that reaches ``max_iter`` uncertified runs
    L-BFGS on the smoothed primal once more, from its best iterate, keeping
    as many pairs as fit in ``FINAL_MEMORY`` bytes (enough to learn the
    curvature of small problems, which 10 pairs are not), for about as
    many passes over ``X`` as the epochs made (so the fit costs up to about
    twice its epochs), when they and its buffers fit in the allowance of the
    exact finish's system. Its solution is kept if better, and the gap
    reported is the smaller of the epochs' duals' and its duals', which the
    returned ``state`` then holds. Where the dual crawls (unscaled
    features, a tiny ``alpha``) the primal is often far better than the
    epochs' best. Its iterations are not epochs; the callback does not see
    it, and the last entry of ``loss_curve`` includes it.

    Parameters
    ----------
    objective : LinearObjective
        The problem: an SVM loss, the ``"l2"`` penalty and ``alpha > 0``.
    x0 : ndarray
        The start: only its intercept is used without a ``state`` (the dual
        variables of a given ``W`` are not known). It is also a candidate:
        the fit returns it if no iterate has a lower objective.
    max_iter : int, default=1000
        Maximum number of epochs.
    tol : float, default=1e-4
        Relative duality gap at which to stop.
    random_state : int, RandomState instance or None, default=None
        Draws the order of the samples in each epoch.
    shrinking : bool, default=True
        Whether epochs skip the samples that did not move.
    callback : callable, default=None
        Called after each epoch with an ``OptimizeResult`` with ``nit``,
        ``fun`` (the objective of the epoch's iterate, which costs a pass
        over ``X``), ``step`` (None),
        ``x`` and ``dual_gap``: after a full epoch the certified relative
        gap of the best iterate so far, else None. Certifying every full
        epoch costs a linear program and a pass over ``X`` more, which a fit
        without a callback spends only once the gap is near ``tol``.
    state : dict, default=None
        The ``state`` of a previous run on the same samples: its dual
        variables, kept where the bounds :math:`C_i` grew (``W`` is then the
        previous one) and scaled down into the box where they shrank (a
        warm start along a path of ``alpha``). The intercept comes from
        ``x0``; the shrinking, the orders and the polishing thresholds start
        afresh, and the primal start is for cold fits only. From an exact
        solution at :math:`\alpha` with data term :math:`L`, the start's
        gap at :math:`\alpha' < \alpha` is :math:`L(1 - \alpha'/\alpha)`.

    Returns
    -------
    result : OptimizeResult
        With ``dual_gap``, the last relative gap, and ``state``. Its
        ``loss_curve`` holds, after each epoch, the objective of the best
        iterate so far, the one returned had the fit stopped there: the
        objective is evaluated after full epochs whose gap is not guessed
        far above ``tol`` (a pass over ``X``, which a shrunk epoch costs a
        fraction of) and after the last, so it changes only then.
    """
    problem = objective.problem
    rows = _rows(problem.X)
    n, k = problem.n_samples, problem.n_classes
    rng = check_random_state(random_state)
    weights = np.ones(n) if problem.sample_weight is None else problem.sample_weight
    weights = np.asarray(weights, dtype=np.float64)
    # In this order no product overflows, whatever alpha and the weights.
    shares = weights / weights.sum()
    upper = shares / (2.0 * problem.alpha)
    y = np.asarray(problem.y, dtype=np.intp)
    centre, scale, step = np.zeros((problem.n_features, 1)), 0.0, 0.0
    if problem.fit_intercept:
        weights_of(*rows, shares[:, None], centre)
    centre = centre[:, 0]
    sqnorm, offset = np.empty(n), np.empty(n)
    row_products(*rows, centre, sqnorm, offset)
    if problem.fit_intercept:
        sqnorm = np.maximum(sqnorm - 2 * offset + centre @ centre, 0.0)
        # On rows of negligible norm next to alpha, every sample's duals
        # reach their bound at once and the intercept alone is left to fit:
        # a step scaled by the rows' norm would move it by a vanishing share
        # of a margin per epoch, and the fit would crawl for thousands of
        # epochs. Scaled by the bound, one sample's mass moves it by a fixed
        # share of a margin whatever the scale of X and alpha.
        typical = float(np.average(sqnorm, weights=weights))
        floor = INTERCEPT_FLOOR * problem.loss.margin / upper.max()
        step = max(INTERCEPT_STEP * typical, floor)
        sqnorm += step
        scale = step + centre @ centre
    del weights  # the epochs need only the shares and the bounds

    beta = np.zeros((n, k))
    if state is not None and state["beta"].shape == beta.shape:
        old = state["upper"]
        # Kept as they are where the bounds grew (a smaller alpha): W stays
        # the last solution, the start every primal method would take.
        # Scaling them up with the bounds overshoots, as the optimal W grows
        # more slowly than C (on the digits path of the benchmarks, as many
        # epochs as cold fits, against 0.76 times kept; see the user guide).
        # Scaled down where the bounds shrank, and clipped, to stay feasible.
        ratio = np.divide(upper, old, out=np.zeros(n), where=old > 0)
        beta = state["beta"] * np.minimum(ratio, 1.0)[:, None]
        if (ratio < 1).any():
            beta = into_box(beta, upper, problem.loss.name)
    V, W = np.zeros((problem.n_features, k)), np.empty((problem.n_features, k))
    if beta.any():
        weights_of(*rows, _eta(beta, y), V)
    residual = _total(beta, y)
    W_start, b = objective.unpack(x0)
    b = np.array(b, dtype=np.float64)

    code, margin = _LOSS_CODES[problem.loss.name], problem.loss.margin
    live = np.flatnonzero(upper > 0)
    classes, keep = np.ones((n, k), dtype=np.uint8), np.zeros(n, dtype=np.uint8)
    active, shrunk, threshold, target = live, 0, np.inf, 0.0
    curve, gap, last_gap = [], np.inf, np.inf
    next_jump, backoff = 0, 1  # when an intercept jump may next be tried
    polish_below, retries, uncertified = POLISH_BELOW, 0, 0
    max_size = _max_system(problem.X)
    # Subspace steps are paced by work, counted in the rows of positive
    # weight only (dropping the others leaves the steps where they were): a
    # visit scores and updates a row.
    row_work = 2.0 * k * _stored(rows, live) / max(len(live), 1)
    credit, price, next_step, wait = 0.0, 0.0, 0, 1
    # A cold fit may restart from the primal, once; the rows visited tell
    # whether its dual is dense.
    early = None if state is None else False
    visits = 0
    # The start is a candidate: a fit never ends above where it started
    # (the primal iterates of a dual method need not descend).
    W_start = np.ascontiguousarray(W_start, dtype=np.float64)
    # A cold start's scores are its intercept: no pass over X needed.
    start_rows = rows if W_start.any() else _featureless(rows, n)
    best, best_theta = _primal(problem, start_rows, y, shares, W_start, b), x0
    del W_start, start_rows
    for nit in range(1, max_iter + 1):
        full = active is live
        if full:
            classes[:] = 1
        order = rng.permutation(active)
        violation, seen = epoch(
            *rows,
            y,
            upper,
            sqnorm,
            beta,
            V,
            b,
            residual,
            offset,
            scale,
            order,
            code,
            margin,
            classes,
            threshold,
            keep,
        )
        b += step * residual  # the multiplier step: b_k <- b
        credit += len(order) * row_work
        visits += len(order)
        if gap <= STEP_BELOW and credit >= STEP_PACE * price and nit >= next_step:
            moved, price = subspace_step(problem, rows, beta, upper, b, V, max_size)
            if price:  # it built a system, after a pass for the held weights
                price += len(live) * row_work / 2
                wait = 1
            else:  # no free variable, or too many: looked at less and less often
                wait = min(2 * wait, MAX_STEP_WAIT)
            credit, next_step = 0.0, nit + wait
            if moved is not None:
                samples, rows_of_beta, delta_V, b = moved
                beta[samples] = rows_of_beta
                V += delta_V
                residual = _total(beta, y)
        # The primal costs a pass over X, a shrunk epoch a fraction of one:
        # it is evaluated after full epochs (and for a callback) only, and
        # after the last epoch, which may follow uncertified ones.
        last = nit == max_iter
        guess = None
        if full or callback is not None or last:
            _weights(V, centre, residual, out=W)
            if full and not last and callback is None and uncertified < MAX_GUESSED:
                # The crawl test of the primal start compares certified gaps.
                if early is False or nit < PRIMAL_AFTER // 2:
                    guess = _guessed_gap(problem, seen, beta, upper, W, b, residual)
                    if guess <= max(GUESS_MARGIN * tol, polish_below):
                        guess = None
            if guess is None:
                value = _primal(problem, rows, y, shares, W, b)
                if not value >= best:  # the primal is not monotone: keep the best
                    best_theta = None  # one copy of the parameters at a time
                    best, best_theta = value, problem.pack(W, b)
        curve.append(best)
        if full and guess is not None:
            # Far above tol: neither a stop nor a polish is near, and the
            # certificate would cost a pass over X for nothing.
            gap, uncertified = guess, uncertified + 1
        elif full:
            # A callback is shown certified gaps; the fit alone screens them.
            screen = np.inf if callback is not None else tol
            gap = _gap(objective, rows, centre, beta, y, upper, W, b, best, screen)
            uncertified = 0
        adopted = False
        # The crawl of the intercept (see _intercept_jump) is a gap that no
        # longer halves from one full epoch to the next.
        crawling = full and gap > last_gap / 2
        if full:
            last_gap = gap
        if full and (gap <= polish_below or gap <= tol):
            # Try the exact optimum of the active set: when it is right, the
            # fit is over at once, to rounding; and a fit that is over ends
            # there if it can.
            exact = _exact(
                objective, rows, centre, beta, y, shares, upper, b, max_size, W
            )
            if exact is not None and exact["gap"] < gap and exact["fun"] <= best:
                beta, b, V, residual = (exact[key] for key in _STATE)
                best, best_theta, gap = exact["fun"], exact["x"], exact["gap"]
                curve[-1] = best
                adopted = retries < MAX_RETRIES and gap > EXACT
                retries += 1
            else:
                retries = 0
            polish_below = min(gap, polish_below) / POLISH_PROGRESS
        if adopted:
            # A nearly right guess of the active set leaves a few variables
            # out of place: one full epoch from its solution puts them back,
            # and the next guess is usually exact.
            polish_below = np.inf
        elif (
            crawling
            and nit >= next_jump
            and guess is None
            and gap > max(tol, EXACT)
            and problem.fit_intercept
            and residual.any()
        ):
            # W again: the certificate worked in its memory.
            dual = _lagrangian(problem, beta, upper, V, centre, b, residual, W)
            lagrangian = _relative(value, dual)
            if lagrangian <= GUESS_MARGIN * tol:
                gain = max(tol, lagrangian / 2)
                jump = _intercept_jump(
                    problem, rows, y, shares, W, b, residual, value, gain
                )
                # A line search costs a pass over X and tens of evaluations
                # of the loss.
                backoff = 1 if jump is not None else 2 * backoff
                next_jump = nit + backoff
            else:
                jump = None
            if jump is not None:
                b, value = jump
                if value < best:
                    best_theta = None
                    best, best_theta = value, problem.pack(W, b)
                    curve[-1] = best
                threshold, active = np.inf, live
        if callback is not None:
            callback(
                OptimizeResult(
                    nit=nit,
                    fun=value,
                    step=None,
                    # W's memory may hold the certificate's work: recomputed.
                    x=problem.pack(_weights(V, centre, residual, out=W), b),
                    dual_gap=gap if full else None,
                )
            )
        if full and gap <= tol and not adopted:
            break
        if full and early is not False and nit >= PRIMAL_AFTER // 2:
            if early is None:
                early = (nit, gap)
            elif nit >= PRIMAL_AFTER:
                # Tested once: later full epochs may be guessed again.
                dense = visits >= DENSE_SHARE * nit * len(live)
                crawling = dense and _crawls(early, (nit, gap), tol)
                early = False
                if crawling:
                    theta, value, duals, certified = _smoothed_primal(
                        objective, rows, centre, y, shares, upper, best_theta,
                        best, max_iter,
                    )  # fmt: skip
                    if value < best:
                        best, best_theta = value, theta
                        curve[-1] = best
                    # On separable data at a tiny alpha the smoothed solution
                    # violates no margin, its duals are all zero, and
                    # restarting from them undid the epochs' progress: only a
                    # start that at least halves the gap is taken.
                    if certified < 0.5 * gap:
                        beta, V, residual, b = duals
                        polish_below, retries, threshold = POLISH_BELOW, 0, np.inf
                        active = live
                        continue
        if full:
            target, shrunk = COOLING * violation, 0
        else:
            shrunk += 1
        if not shrinking:
            continue
        # The next epoch sets aside the variables at 0 whose gradient is
        # below minus the largest violation: liblinear's cooling threshold.
        threshold = violation
        restore = not full and (violation <= target or shrunk >= MAX_SHRUNK)
        # The dual may already vouch for the best iterate. The screen costs
        # passes over arrays the size of W, more than a shrunk epoch on wide
        # sparse data: it runs every SCREEN_EVERY shrunk epochs.
        if not full and not restore and shrunk % SCREEN_EVERY == 0:
            lagrangian = _lagrangian(problem, beta, upper, V, centre, b, residual, W)
            restore = _relative(best, lagrangian) <= tol
        if restore or adopted:
            active = live
            continue
        kept = keep[order].view(bool)
        if not kept.all():
            active = np.sort(order[kept])
    success = gap <= tol
    if not success:
        # Before giving up, the smoothed primal once more (see "A final
        # attempt" above): where the dual crawls its solution is often far
        # better than the epochs' best, and its duals may certify more.
        memory = _memory_within(FINAL_MEMORY, x0.size, objective.dtype)
        pairs = 2 * memory * x0.size * np.dtype(objective.dtype).itemsize
        certified = np.inf
        if FINAL_ARRAYS * beta.nbytes + pairs <= _allowance(problem.X):
            budget = max(1, visits // (2 * max(len(live), 1)))
            theta, value, duals, certified = _smoothed_primal(
                objective, rows, centre, y, shares, upper, best_theta, best,
                budget, memory,
            )  # fmt: skip
            if value < best:
                best, best_theta = value, theta
                if curve:
                    curve[-1] = best
        # A certificate, not the screen's estimate: the better of the two
        # dual points at the best iterate, which a warm start continues from.
        _weights(V, centre, residual, out=W)
        gap = _gap(objective, rows, centre, beta, y, upper, W, b, best, np.inf)
        if certified < gap:
            (beta, *_), gap = duals, certified
        success = gap <= tol
    message = (
        f"relative duality gap {gap:.3g} <= tol"
        if success
        else f"max_iter reached with a relative duality gap of {gap:.3g}"
    )
    return make_result(
        best_theta,
        best,
        curve,
        success,
        message,
        dual_gap=gap,
        state={"beta": beta, "upper": upper},
    )


def _crawls(first, last, tol):
    r"""Whether the gaps ``first = (epoch, gap)`` and ``last`` project more
    than ``PRIMAL_EPOCHS`` epochs more to ``tol``, at the rate
    :math:`\log(g_1 / g_0) / (t_1 - t_0)` of their log's decrease."""
    (t0, g0), (t1, g1) = first, last
    if not (np.isfinite(g0) and np.isfinite(g1)) or g1 <= tol:
        return False
    if g1 >= g0 or g0 <= 0:
        return True
    rate = np.log(g0 / g1) / (t1 - t0)
    return np.log(g1 / tol) / rate > PRIMAL_EPOCHS


def _smoothed_primal(
    objective, rows, centre, y, shares, upper, x0, best, max_iter, memory=MIN_MEMORY
):
    """The smoothed primal solution from ``x0`` (:func:`_primal_start`) and
    its duals, certified: the primal start and the final attempt.

    Returns
    -------
    theta, value : ndarray, float
        The smoothed primal solution and its objective, a candidate.
    duals : tuple
        Its duals ``(beta, V, residual, b)``, to continue from.
    certified : float
        Their certified relative gap at the better of ``value`` and ``best``.
    """
    problem = objective.problem
    theta, beta = _primal_start(objective, x0, max_iter, upper, memory)
    W, b = problem.unpack(theta)
    b = np.array(b, dtype=np.float64)
    value = _primal(problem, rows, y, shares, np.ascontiguousarray(W, np.float64), b)
    V = np.zeros(W.shape)
    weights_of(*rows, _eta(beta, y), V)
    residual = _total(beta, y)
    W = _weights(V, centre, residual)  # theta's W may be a view: not into it
    certified = _gap(
        objective, rows, centre, beta, y, upper, W, b, min(value, best), np.inf
    )
    return theta, value, (beta, V, residual, b), certified


def _primal_start(objective, x0, max_iter, upper, memory=MIN_MEMORY):
    r"""A smoothed primal solution and the dual variables it implies.

    On data where most samples violate a margin and :math:`C_i \|x_i\|^2`
    is large, block coordinate ascent crawls: the dual mass builds up by a
    step of about :math:`\Delta / \|x_i\|^2` a visit towards bounds far
    larger. L-BFGS on the smoothed loss (:func:`~._lbfgs.lbfgs`, at
    ``PRIMAL_TOL``) does not care, and its solution :math:`(W, b)` at
    smoothing :math:`\mu` is the primal image of the duals

    .. math::

        \beta_{ij} = C_i \, \partial L_i^\mu / \partial s_{ij},
        \qquad j \ne y_i,

    the derivatives of the smoothed losses (:func:`_smoothed_duals`): at the
    smoothed optimum :math:`W = \sum_i x_i \eta_i^\top` exactly. The squared
    hinge is smooth (:math:`\mu = 0`): L-BFGS solves it as it is, and
    :math:`\beta_{ij} = 2 C_i \max(g_{ij}, 0)` are its duals, unbounded above,
    where the epochs crawl as the dual's mass builds up. The epochs then
    continue from these duals and certify.

    Returns
    -------
    theta : ndarray
        The L-BFGS solution, a candidate like any iterate.
    beta : ndarray of shape (n_samples, n_classes)
        Its dual variables.
    """
    problem = objective.problem
    # Its own evaluator, whose buffers go with it, and by default the
    # shortest memory: the fit's peak memory stays that of the epochs.
    found = lbfgs(
        LinearObjective(problem),
        x0,
        tol=PRIMAL_TOL,
        max_iter=max_iter,
        memory=memory,
    )
    theta, smoothing = found.x, found.state["smoothing"]
    del found  # and L-BFGS's memory with it
    # The scores of theta from a fresh evaluator (the same product, the same
    # numbers) once L-BFGS's evaluator and memory are gone: the duals are
    # not made beside L-BFGS's four score buffers.
    scores = LinearObjective(problem).scratch_scores(theta)
    beta = _smoothed_duals(problem.loss, scores, problem.y, smoothing, upper)
    return theta, beta


def _smoothed_duals(loss, scores, y, smoothing, upper):
    r"""The dual variables of the scores ``scores`` under ``loss`` smoothed
    by ``smoothing`` (:math:`\mu`):

    .. math::

        \beta_{ij} = C_i \, \partial L_i^\mu / \partial s_{ij},
        \qquad j \ne y_i,

    zero on each sample's label, put into the box (which only rounding
    leaves). For the Weston-Watkins hinge, the clipped ramp
    :math:`C_i \min(\max(g_{ij}, 0), \mu) / \mu` of its Huber smoothing at
    each margin violation :math:`g_{ij} = s_j - s_{y_i} + \Delta`; for
    Crammer-Singer, :math:`C_i` times the softmax weights of the
    violations in its log-sum-exp, whose total is at most :math:`C_i`; for
    the squared hinge, which ignores :math:`\mu`, :math:`2 C_i \max(g_{ij},
    0)`. At :math:`\mu = 0`, :math:`C_i` times the loss's subgradient.

    Returns
    -------
    beta : ndarray of shape (n_samples, n_classes)
        C-contiguous float64, as the kernels take it.
    """
    y = np.asarray(y, dtype=np.intp)
    # The derivatives of the mean loss: each sample's, over n.
    _, dscores = loss(scores, y, smoothing=smoothing)
    beta = np.empty(dscores.shape)
    np.multiply(dscores, (len(y) * upper)[:, None], out=beta)
    beta[np.arange(len(y)), y] = 0.0
    return into_box(beta, upper, loss.name)


def _allowance(X):
    """The bytes that a system of the exact finish, or the final attempt,
    may take beyond the epochs' arrays on ``X``: ``POLISH_SHARE`` of the
    size of ``X``, at least ``POLISH_MEMORY``."""
    if sp.issparse(X):
        size = X.data.nbytes + X.indices.nbytes + X.indptr.nbytes
    else:
        size = X.nbytes
    return max(POLISH_SHARE * size, POLISH_MEMORY)


def _max_system(X):
    """The largest system :func:`active_set_solution` may solve for ``X``:
    it holds about three square float64 arrays of its size."""
    return int(np.sqrt(_allowance(X) / 24))


def _exact(objective, rows, centre, beta, y, shares, upper, b, max_size, work=None):
    """The optimum of the active set of ``beta`` (:mod:`._active_set`),
    with its objective, certified gap and parameters ``x``, or None.

    Its weights are worked out in ``work``, an array of W's shape, if given
    (the epochs' scratch W, recomputed from ``V`` when next needed), and
    the certificate then works in them once ``x`` holds a copy: with the
    epochs' V, W and best parameters alive, each array of W's size it
    allocates adds to the fit's peak memory.
    """
    problem = objective.problem
    beta, b = active_set_solution(problem, rows, beta, upper, b, max_size)
    if beta is None:
        return None
    V = np.zeros((problem.n_features, beta.shape[1]))
    weights_of(*rows, _eta(beta, y), V)
    residual = _total(beta, y)
    W = _weights(V, centre, residual, out=work)
    fun = _primal(problem, rows, y, shares, W, b)
    if not np.isfinite(fun):
        return None
    x = problem.pack(W, b)
    gap = _gap(objective, rows, centre, beta, y, upper, W, b, fun, -np.inf)
    return {"beta": beta, "b": b, "V": V, "residual": residual,
            "fun": fun, "gap": gap, "x": x}  # fmt: skip


def _weights(V, centre, residual, out=None):
    r"""The weights :math:`W = V - \mu z^\top` of the centred rows, into
    ``out`` (which may be ``V``) with no other array of their size: a BLAS
    rank-one update in place."""
    if out is None:
        out = V.copy()
    elif out is not V:
        np.copyto(out, V)
    # dger updates a Fortran-ordered matrix: the transpose of C-ordered out.
    dger(-1.0, residual, centre, a=out.T, overwrite_a=True)
    return out


def _rows(X):
    """The kernel's row arguments: ``(dense, data, indices, indptr, sparse)``.

    C-ordered dense and CSR data are used as they are; CSC or F-ordered data
    are converted once, as the kernel reads whole rows.
    """
    if sp.issparse(X):
        X = X.tocsr()
        if not X.has_canonical_format:
            X = X.copy()
            X.sum_duplicates()
        empty = np.empty((0, 0), dtype=X.dtype)
        return empty, X.data, X.indices, X.indptr, True
    X = np.ascontiguousarray(X)
    index = np.empty(0, dtype=np.int32)
    return X, np.empty(0, dtype=X.dtype), index, index, False


def _stored(rows, samples):
    """The number of entries that the rows of ``samples`` store (``rows``
    as :func:`_rows` gives them)."""
    dense, _, _, indptr, sparse = rows
    if sparse:
        return int(np.diff(indptr)[samples].sum())
    return len(samples) * dense.shape[1]


def _featureless(rows, n):
    """Kernel row arguments of ``n`` samples that store no value: the
    kernels score them by the intercept alone, the bits that zero weights
    give on the real rows (each term ``x * 0`` adds a signed zero)."""
    dtype = rows[1].dtype
    indptr = np.zeros(n + 1, dtype=np.int32)
    return np.empty((0, 0), dtype), np.empty(0, dtype), indptr[:0], indptr, True


def _circulation(flows):
    r"""Scales :math:`s_{cj} \in [0, 1]` that make ``s * flows`` a circulation.

    :math:`\sum_i \eta_i = 0` says that the flows ``F[c, j]`` between the
    classes form a circulation: as much mass leaves each class as enters it.
    Scaling the variables of class pair :math:`(c, j)` by :math:`s_{cj}`
    keeps them within their bounds; the linear program picks the scales that
    keep the most flow. None if it fails.
    """
    k = flows.shape[0]
    pairs = np.argwhere(flows > 0)
    if not len(pairs):
        return np.zeros((k, k))
    mass = flows[pairs[:, 0], pairs[:, 1]]
    mass = mass / mass.max()
    balance = np.zeros((k, len(pairs)))
    balance[pairs[:, 0], np.arange(len(pairs))] = mass
    balance[pairs[:, 1], np.arange(len(pairs))] -= mass
    found = linprog(
        -mass,
        A_eq=balance,
        b_eq=np.zeros(k),
        bounds=(0, 1),
        method="highs",
        options={"primal_feasibility_tolerance": 1e-10},
    )
    if found.status != 0:
        return None
    scales = np.zeros((k, k))
    scales[pairs[:, 0], pairs[:, 1]] = np.clip(found.x, 0, 1)
    return scales


def _gap(objective, rows, centre, beta, y, upper, W, b, value, screen):
    """The relative duality gap of the parameters (value ``value``) and ``beta``.

    With an intercept, the Lagrangian at the current intercept screens
    first: it is returned, as an estimate, when above ``screen``. Otherwise
    the dual point is made feasible (:func:`_circulation`), which takes a
    linear program and a product with ``X``, and the certified gap is
    returned. The feasible point's weights are worked out in ``W``'s
    memory, after ``W`` is read: every caller's ``W`` is a scratch array
    recomputed from ``V`` when next needed, and a second array of its size
    was the peak memory of fits on wide data.
    """
    problem = objective.problem
    flows = _flows(beta, y)
    residual = _total(beta, y, flows)
    dual = _dual(problem, separable(beta, upper, problem.loss), W, b, residual)
    gap = _relative(value, dual)
    if not problem.fit_intercept or gap > screen:
        return gap
    scales = _circulation(flows)
    if scales is None:
        return np.inf
    terms, residual, weights = 0.0, 0.0, W
    weights.fill(0.0)
    # A block of rows at a time: the feasible point is never whole in memory.
    size = max(1, BLOCK_SIZE // beta.shape[1])
    for first in range(0, len(y), size):
        block = slice(first, first + size)
        feasible = scales[y[block]]
        feasible *= beta[block]
        terms += separable(feasible, upper[block], problem.loss)
        residual += _total(feasible, y[block])
        weights_of(*rows, _eta(feasible, y[block], out=feasible), weights, first)
    _weights(weights, centre, residual, out=weights)
    return max(gap, _relative(value, _dual(problem, terms, weights, b, residual)))


def _primal(problem, rows, y, shares, W, b):
    """The objective at ``(W, b)`` in float64 (:func:`primal_losses`): with
    float32 rows too, so that the gap compares like with like. ``shares``
    are the weights divided by their sum: no weighted sum overflows."""
    losses = primal_losses(*rows, y, shares, W, b, _LOSS_CODES[problem.loss.name],
                           problem.loss.margin)  # fmt: skip
    return losses + problem.alpha * np.vdot(W, W)


def _guessed_gap(problem, seen, beta, upper, W, b, residual):
    r"""The relative gap of a full epoch's iterate, guessed without a pass
    over ``X``: its data term as the epoch saw it (``seen``, the sum of
    :math:`C_i L_i` at the scores each visit started from), against the
    Lagrangian (:func:`_dual`). Not a certificate: the visits moved ``W``
    after they scored, by less and less as the fit converges."""
    value = problem.alpha * (2 * seen + np.vdot(W, W))
    return _relative(
        value, _dual(problem, separable(beta, upper, problem.loss), W, b, residual)
    )


def _lagrangian(problem, beta, upper, V, centre, b, residual, W):
    """The Lagrangian of ``beta`` at ``b`` (:func:`_dual`), without a pass
    over ``X``: whether the best iterate may already be within ``tol``. Its
    weights are worked out in ``W`` (the epochs' scratch weights)."""
    _weights(V, centre, residual, out=W)
    return _dual(problem, separable(beta, upper, problem.loss), W, b, residual)


def _intercept_jump(problem, rows, y, shares, W, b, residual, value, gain):
    r"""A better intercept when the multiplier steps crawl: ``(b', P(W, b'))``
    or None.

    The steps :math:`b \leftarrow b + v^2 z` move the intercept by a share
    of the residual :math:`z`, which is the mass of the classes whose flows
    do not balance. When the classes' weights differ by orders of magnitude
    that mass can be tiny while :math:`b` is still far from optimal, and the
    fit crawls (the caller's tests): the gap stops halving from one full
    epoch to the next, and the duals are nearly optimal for the current
    :math:`b` (its Lagrangian is within ``GUESS_MARGIN * tol`` of the primal
    value ``value``), but the circulation certificate finds no flow to
    balance them with. The intercept then moves along :math:`z` to the
    minimum of the primal at the current :math:`W`
    (:func:`_intercept_on_line`) if that lowers the primal by more than
    ``gain`` of its value (the caller's: ``tol``, and half the Lagrangian's
    gap, so that the intercept is most of what is left); the next epochs
    fit the duals to it.
    """
    moved = _intercept_on_line(problem, W, b, residual)
    fun = _primal(problem, rows, y, shares, W, moved)
    if not value - fun > gain * value:
        return None
    return moved, fun


def _intercept_on_line(problem, W, b, direction):
    r"""The intercept on the line :math:`b + t z`, :math:`t \ge 0`, that
    minimizes the data term at ``W``, ``z`` the ``direction``.

    The data term is convex in :math:`t` (piecewise linear, or piecewise
    quadratic for the squared hinge). The line is walked in units of the
    scores: a unit step moves every difference :math:`s_j - s_{y_i}` by at
    most one, whatever the scale of :math:`z`. A step of one margin is
    doubled until the term stops falling, which brackets the minimum, and
    the bracket is searched by bounded Brent's method, in units of the
    bracket and of the term at :math:`t = 0`. The scores are those
    of the rows' dtype: the intercept is a proposal, which the caller
    evaluates in float64.
    """
    X = problem.X
    # Class-major, the layout the losses reduce in.
    base = np.ascontiguousarray(np.asarray(X @ W.astype(X.dtype, copy=False)).T)
    base += b[:, None].astype(base.dtype)
    unit = direction / np.ptp(direction)
    along = unit[:, None].astype(base.dtype)

    def data_term(t):
        # Past the overflow of the scores' dtype the term is inf: larger
        # than any finite value, which is all the search needs.
        with np.errstate(over="ignore", invalid="ignore"):
            value = problem.loss(
                (base + t * along).T,
                problem.y,
                sample_weight=problem.sample_weight,
                gradient=False,
            )[0]
        return value if np.isfinite(value) else np.inf

    start = data_term(0.0)
    if not start > 0:
        return b  # no loss left to lose
    width = problem.loss.margin
    last = data_term(width)
    for _ in range(DOUBLINGS):
        ahead = data_term(2 * width)
        if not ahead < last:
            break
        width, last = 2 * width, ahead
    # Searched in [0, 1] for values relative to the start: Brent's parabolas
    # multiply differences of steps by differences of values, which in the
    # units of the scores overflow at margins of 1e200.
    found = minimize_scalar(
        lambda u: data_term(2 * width * u) / start,
        bounds=(0.0, 1.0),
        method="bounded",
        # The epochs after a jump finish the intercept: a millionth of the
        # bracket is close enough, and takes fewer evaluations.
        options={"xatol": 1e-6},
    )
    return b + 2 * width * found.x * unit if found.fun < 1.0 else b


def _dual(problem, terms, W, b, residual):
    r"""The Lagrangian :math:`D(\beta) - b^\top z` in the objective's units,
    from ``terms``, the dual's terms of each variable alone
    (:func:`~._duals.separable`): the dual value when the intercept's
    constraint :math:`z = 0` holds, and with :math:`z` at rounding level,
    the bound of the current intercept."""
    return 2 * problem.alpha * (terms - 0.5 * np.vdot(W, W) - b @ residual)


def _relative(value, dual):
    with np.errstate(over="ignore", invalid="ignore"):
        gap = (value - dual) / max(value, np.finfo(np.float64).tiny)
    # Beyond float64 (or inf - inf): nothing is certified.
    return gap if not np.isnan(gap) else np.inf
