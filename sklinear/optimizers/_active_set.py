r"""The exact finish of the dual solver: the optimum of a guessed active set.

Coordinate descent identifies which dual variables of an SVM sit at a bound
long before it has converged in their values: on standardised digits the
variables strictly inside their box are the same at a relative gap of 1e-2
as at 1e-8, give or take a handful. Once that set :math:`F` is known, the
optimum solves a linear system, and this module solves it.

In the scaled form of :mod:`._dual_cd` (weights
:math:`W = \sum_i x_i \eta_i^\top`), write :math:`a_{ij} = x_i \otimes
(e_{y_i} - e_j)`, so that :math:`W = \sum_{ij} \beta_{ij} a_{ij}` and the
dual's gradient is :math:`g_{ij} = \Delta - a_{ij} \cdot W - (e_{y_i} -
e_j) \cdot b`: the margin violation :math:`s_j - s_{y_i} + \Delta` of the
scores :math:`s = W^\top x_i + b`. At the optimum, every variable of
:math:`F` satisfies its optimality condition with equality:

.. math::

    g_{ij} = \frac{\beta_{ij}}{2 C_i}\,[\text{squared hinge}]
    + \xi_i\,[\text{Crammer-Singer, sample } i \text{ at its bound}],

the variables at a bound keep their value (:math:`C_i` or 0), the
intercept's constraint holds, :math:`\sum_{ij} \beta_{ij} (e_{y_i} - e_j) =
0`, and for Crammer-Singer each sample at its bound keeps
:math:`\sum_j \beta_{ij} = C_i`, with :math:`\xi_i` its slack. That is the
symmetric system

.. math::

    \begin{pmatrix} G + D & B & S \\ B^\top & 0 & 0 \\ S^\top & 0 & 0
    \end{pmatrix}
    \begin{pmatrix} \beta_F \\ b \\ \xi \end{pmatrix} =
    \begin{pmatrix} \Delta - A_F W_U \\ -z_U \\ C_S \end{pmatrix},

with :math:`G = A_F A_F^\top` (entries :math:`(x_i \cdot x_{i'})\,
(e_{y_i} - e_j) \cdot (e_{y_{i'}} - e_{j'})`), :math:`B` the rows
:math:`e_{y_i} - e_j`, :math:`W_U` and :math:`z_U` the weights and the
constraint's residual of the variables held at a bound, and one more row
that fixes the mean of :math:`b` (the scores are invariant to a common
shift). Its size is :math:`|F|` plus the classes, a few hundred on digits
whatever the number of samples.

Nothing here is trusted: the solution is clipped into the dual's box and
its duality gap certified like any iterate's. A wrong guess of :math:`F`
only costs the solve.

The same system gives the epochs a Newton step (:func:`subspace_step`):
before :math:`F` is final, its solution is a direction for the variables
that coordinate ascent moves only one sample at a time, followed as far as
the dual's box and a rise of the Lagrangian allow.
"""

import warnings

import numpy as np
import scipy.linalg
import scipy.sparse as sp

from ._dual_cd_fast import weights_of
from ._duals import _eta, _total, into_box, separable

__all__ = ["active_set_solution", "subspace_step"]

#: A variable within this fraction of its bound counts as at the bound.
AT_BOUND = 1e-12
#: The shift of the diagonal that keeps a subspace step's system
#: nonsingular, relative to its mean diagonal.
RIDGE = 1e-12
#: The most halvings of a subspace step.
HALVINGS = 8
#: What a subspace step costs beyond its arithmetic (the NumPy calls that
#: assemble its system), counted as floating-point operations, the unit in
#: which the steps are paced.
STEP_OVERHEAD = 1e6


def active_set_solution(problem, rows, beta, upper, b, max_size):
    r"""The dual variables and intercept that solve the optimality conditions
    of the active set of ``beta`` exactly.

    Parameters
    ----------
    problem : Problem
        An SVM loss with the ``"l2"`` penalty.
    rows : tuple
        The rows of ``problem.X`` as the kernels take them.
    beta : ndarray of shape (n_samples, n_classes)
        The dual variables (zero on each sample's label) whose active set is
        taken.
    upper : ndarray of shape (n_samples,)
        The bounds :math:`C_i`.
    b : ndarray of shape (n_classes,)
        The current intercept: the solution keeps its mean.
    max_size : int
        The largest system to solve; larger active sets are left alone.

    Returns
    -------
    beta, b : ndarray or None
        The solution, ``beta`` clipped into the dual's box; None when the
        set is too large or the system has no finite solution.
    """
    found = _ActiveSet(problem, beta, upper, max_size)
    if not found:
        return None, None
    X_s = found.rows_of(problem.X)
    solved = _optimality_system(problem, rows, found, X_s, beta, b)
    if solved is None:
        return None, None
    fixed, target, new_b = solved
    samples = found.samples
    fixed[samples] = into_box(target, upper[samples], problem.loss.name)
    return fixed, new_b


def _optimality_system(problem, rows, found, X_s, beta, b, ridge=0.0):
    """Solve the optimality conditions of the active set ``found``:
    ``(fixed, target, b)``, ``beta`` with every variable not held at its
    bound set to 0, the unclipped rows of the samples with a free variable
    and the intercept; None if the system has no finite solution. With a
    ``ridge``, the system is made quasi-definite by that multiple of its
    mean diagonal and solved as it comes, singular or not."""
    y, k, m, size = found.y, found.k, found.m, found.size
    intercept, first = problem.fit_intercept, m + len(found.tied)
    matrix = np.zeros((size, size))
    matrix[:m, :m] = found.hessian(X_s @ X_s.T)
    rhs = np.zeros(size)

    # The variables held at their bound: their weights and residual.
    fixed = np.where(found.held, beta, 0.0)
    held_weights = np.zeros((problem.n_features, k))
    weights_of(*rows, _eta(fixed, y), held_weights)
    rhs[:m] = problem.loss.margin - found.differences(X_s @ held_weights)
    found.add_ties(matrix, rhs, fixed)
    if intercept:
        matrix[:m, first : first + k] = found.directions
        matrix[first : first + k, :m] = found.directions.T
        rhs[first : first + k] = -_total(fixed, y)
        # The scores are invariant to a common shift of b: fix its mean.
        matrix[first : first + k, -1] = matrix[-1, first : first + k] = 1.0
        rhs[-1] = np.sum(b)
    if ridge:
        shift = ridge * max(np.trace(matrix[:m, :m]) / m, np.finfo(np.float64).tiny)
        diagonal = np.arange(size)
        matrix[diagonal[:m], diagonal[:m]] += shift
        matrix[diagonal[m:], diagonal[m:]] -= shift
    solution = _solve(matrix, rhs, singular="ignore" if ridge else "lstsq")
    if solution is None:
        return None
    target = fixed[found.samples]
    target[found.position, found.cols] = solution[:m]
    new_b = solution[first : first + k] if intercept else b.copy()
    return fixed, target, np.array(new_b, dtype=np.float64)


def subspace_step(problem, rows, beta, upper, b, V, max_size):
    r"""A projected Newton step of the dual on the variables of ``beta``
    strictly inside their box.

    On the ill-conditioned duals of small :math:`\alpha`, coordinate ascent
    finds which variables sit at a bound long before it settles the values
    of the others, which move together: hundreds of epochs on standardized
    digits. Those values, the others held, solve the optimality conditions
    of :func:`active_set_solution`; with :math:`\beta^\star` and
    :math:`b^\star` their solution (the system made nonsingular by a
    relative shift ``RIDGE`` of its diagonal, which a direction tolerates),
    the step follows the projected arc

    .. math::

        \beta(t) = P\bigl(\beta + t\,(\beta^\star - \beta)\bigr),
        \qquad t = t_0, \tfrac{t_0}2, \tfrac{t_0}4, \dots,

    :math:`P` the projection onto the dual's box
    (:func:`~._duals.into_box`), to its first point that raises the
    Lagrangian :math:`\mathcal{L}(\beta, b) = D(\beta) - b^\top z`,
    :math:`z = \sum_i \eta_i` (the dual alone without an intercept). The
    full step is judged at :math:`b^\star`, the intercept of
    :math:`\beta^\star`, which maximizes :math:`\mathcal{L}(\cdot, b^\star)`
    on its set, and the fit takes :math:`b^\star` with it; a shorter one,
    which does not reach :math:`\beta^\star`, is judged at the current
    intercept and keeps it. (On rows of negligible norm the system hardly
    determines :math:`b^\star`: it ran to :math:`10^{16}` and beyond on
    standardized wine times :math:`10^{-3}`, and the partial steps that took
    it left the epochs to pull the intercept back.) Only the samples
    with a variable inside the box move, so :math:`\mathcal{L}` is updated
    from their rows alone, without a pass over ``X``. The arc starts at
    :math:`t_0 = \min(1, 1 / \max_{ij} |\beta^\star_{ij} - \beta_{ij}| / C_i)`,
    where its largest move spans one box width: when the free variables
    outnumber the rank of their rows (dense duals near their optimum), the
    face has null directions along which the dual grows linearly, and
    :math:`\beta^\star` lies orders of magnitude beyond the box along
    them, so that every point of an arc from :math:`t = 1` is in its
    corners.

    Parameters
    ----------
    problem, rows, beta, upper, b, max_size
        As for :func:`active_set_solution`.
    V : ndarray of shape (n_features, n_classes)
        :math:`\sum_i x_i \eta_i^\top` of ``beta``, the weights of
        uncentred rows, for which :math:`b^\star` is the intercept.

    Returns
    -------
    step : tuple or None
        ``(samples, rows, delta_V, b)``: the samples that moved, their new
        rows of ``beta``, the change of ``V`` and the intercept (:math:`b^\star`
        after the full step, the given ``b`` after a shorter one); None when
        the set is empty or too large, the system has no finite solution,
        or no point of the arc raises :math:`\mathcal{L}`.
    work : float
        Its floating-point operations beyond a pass over ``X``, roughly (0
        when it built no system), by which a caller paces the steps.
    """
    found = _ActiveSet(problem, beta, upper, max_size)
    if not found:
        return None, 0.0
    X_s = found.rows_of(problem.X)
    # The Gram matrix, the system, and the fixed cost of the Python that
    # assembles them (the caller adds the pass over X for the held weights).
    work = found.n_samples**2 * problem.n_features + found.size**3 / 3
    work += STEP_OVERHEAD
    solved = _optimality_system(problem, rows, found, X_s, beta, b, RIDGE)
    if solved is None:
        return None, work
    _, target, new_b = solved
    samples = found.samples
    start, bound, labels = beta[samples], upper[samples], found.y[samples]
    eta, terms = _eta(start, labels), separable(start, bound, problem.loss)
    direction = target - start

    def gain(moved, intercept):
        """The change of the Lagrangian at ``intercept`` when the samples'
        rows become ``moved``, and the change of ``V``."""
        delta_eta = _eta(moved, labels) - eta
        delta_V = np.asarray(X_s.T @ delta_eta)
        value = separable(moved, bound, problem.loss) - terms
        value -= np.vdot(V, delta_V) + 0.5 * np.vdot(delta_V, delta_V)
        if problem.fit_intercept:
            value -= intercept @ delta_eta.sum(axis=0)
        return value, delta_V

    # Where the free variables outnumber what their rows can tell apart, the
    # dual grows linearly along null directions of the face, and the ridged
    # solution runs off along them by orders of magnitude more than the box:
    # every point of an arc halved from t = 1 lands in its corners. The arc
    # starts where its largest move spans one box width (the bound C_i).
    span = np.max(np.abs(direction) / bound[:, None])
    t = 1.0 / span if span > 1.0 else 1.0
    kept = np.array(b, dtype=np.float64)  # the intercept of a partial step
    for _ in range(HALVINGS + 1):
        moved = into_box(start + t * direction, bound, problem.loss.name)
        intercept = new_b if t == 1.0 else kept
        value, delta_V = gain(moved, intercept)
        if value > 0:
            return (samples, moved, delta_V, intercept), work
        t /= 2
    return None, work


class _ActiveSet:
    """The active set of ``beta``: which variables are free, which held at
    their bound, and the Crammer-Singer samples tied to theirs; the samples
    with a free variable, whose rows alone enter the system, in float64.
    False when no variable is free or the system (``size`` unknowns) would
    exceed ``max_size``."""

    def __init__(self, problem, beta, upper, max_size):
        name = problem.loss.name
        self.y = y = np.asarray(problem.y, dtype=np.intp)
        n, self.k = beta.shape
        bound = upper[:, None]
        positive = beta > AT_BOUND * bound
        saturated = np.zeros(n, dtype=bool)
        if name == "hinge":
            held = beta >= (1 - AT_BOUND) * bound
            free = positive & ~held
        elif name == "squared_hinge":
            held = np.zeros_like(positive)
            free = positive
        else:  # Crammer-Singer: the bound is on each sample's total
            saturated = beta.sum(axis=1) >= (1 - AT_BOUND) * upper
            alone = saturated & (positive.sum(axis=1) == 1)
            held = positive & alone[:, None]
            free = positive & ~held
            saturated &= ~alone
        self.held, self.name = held, name
        free_rows, self.cols = np.nonzero(free)
        self.tied = np.flatnonzero(saturated)
        self.m = m = len(free_rows)
        self.size = m + len(self.tied) + (self.k + 1 if problem.fit_intercept else 0)
        self._ok = bool(m) and self.size <= max_size
        if not self._ok:
            return
        self.free_rows, self.max_size = free_rows, max_size
        self.samples, self.position = np.unique(free_rows, return_inverse=True)
        self.n_samples = len(self.samples)
        self.labels = y[free_rows]
        self.directions = np.eye(self.k)[self.labels] - np.eye(self.k)[self.cols]
        self.upper = upper

    def __bool__(self):
        return self._ok

    def rows_of(self, X):
        """The rows of the samples with a free variable, in float64.

        Sparse rows are made dense while they take no more memory than the
        system: every layout then makes the same BLAS product, to the same
        bits (and a sparse product of dense rows is far slower).
        """
        X_s = X[self.samples]
        if sp.issparse(X_s):
            X_s = sp.csr_matrix(X_s, dtype=np.float64)
            if X_s.shape[0] * X_s.shape[1] <= self.max_size**2:
                X_s = X_s.toarray()  # these rows only, within the budget
        return X_s.astype(np.float64)

    def hessian(self, gram):
        r"""The block of the free variables, from the samples' Gram matrix:
        :math:`(x_i \cdot x_{i'})\,(e_{y_i} - e_j) \cdot (e_{y_{i'}} - e_{j'})`
        (the class products small integers, exact in floating point), plus
        :math:`1 / (2 C_i)` on the diagonal for the squared hinge."""
        gram = gram.toarray() if sp.issparse(gram) else np.asarray(gram)
        classes = self.directions @ self.directions.T
        block = gram[np.ix_(self.position, self.position)] * classes
        if self.name == "squared_hinge":
            block[np.diag_indices(self.m)] += 0.5 / self.upper[self.free_rows]
        return block

    def differences(self, scores):
        """:math:`s_{y_i} - s_j` of every free variable, from the samples'
        scores."""
        scores = np.asarray(scores)
        return scores[self.position, self.labels] - scores[self.position, self.cols]

    def add_ties(self, matrix, rhs, fixed):
        """The rows of the Crammer-Singer slacks: each tied sample's free
        variables sum to its bound less what its held variables take."""
        tied, m = self.tied, self.m
        if not len(tied):
            return
        where = np.searchsorted(tied, self.free_rows)
        last = np.minimum(where, len(tied) - 1)
        mine = (where < len(tied)) & (tied[last] == self.free_rows)
        columns = m + where[mine]
        matrix[np.flatnonzero(mine), columns] = 1.0
        matrix[columns, np.flatnonzero(mine)] = 1.0
        rhs[m : m + len(tied)] = self.upper[tied] - fixed[tied].sum(axis=1)


def _solve(matrix, rhs, singular="lstsq"):
    """The solution of the symmetric system; when it is singular (repeated
    rows make it so), its least-squares solution (``"lstsq"``) or what the
    factorization gives (``"ignore"``). None if not finite."""
    with warnings.catch_warnings():
        action = "ignore" if singular == "ignore" else "error"
        warnings.simplefilter(action, scipy.linalg.LinAlgWarning)
        try:
            solution = scipy.linalg.solve(matrix, rhs, assume_a="sym")
        except (np.linalg.LinAlgError, scipy.linalg.LinAlgWarning, ValueError):
            if singular != "lstsq":
                return None
            solution = scipy.linalg.lstsq(matrix, rhs)[0]
    return solution if np.all(np.isfinite(solution)) else None
