"""Docstring parts that several public objects share, written once.

The classifiers share their parameters and attributes (:func:`fill_docstring`);
the losses and the optimizers share a few parameter descriptions
(:func:`fill_doc`).
"""

import textwrap

__all__ = ["fill_doc", "fill_docstring"]

#: Shared parameter descriptions, as numpydoc entries without indentation.
PARTS = {
    "hinge_scores_y": """\
scores : ndarray of shape (..., n_samples, n_classes)
    Class scores :math:`S = XW + b`, optionally stacked along leading
    batch dimensions.
y : ndarray of shape (n_samples,)
    Integer class indices in ``0..n_classes-1``.""",
    "loss_out_gradient": """\
out : ndarray of shape (..., n_samples, n_classes), default=None
    Where to write ``dscores``: a class-major array of the scores' dtype
    (its ``swapaxes(-1, -2)`` C-contiguous), such as a ``dscores``
    returned before. Reusing it saves an allocation per call.
gradient : bool, default=True
    Whether to compute ``dscores``; without it the call costs about half
    (``out`` is then still used as workspace).""",
    "loss_value": """\
loss : float or ndarray of shape (...)
    The weighted mean loss :math:`\\sum_i w_i L_i / \\sum_i w_i`, one per
    batch entry when ``scores`` has batch dimensions.""",
    "optimizer_start": """\
objective : LinearObjective
    The evaluator of the problem to minimize.
x0 : ndarray of shape (n_params,)
    Starting point; not modified.""",
    "optimizer_budget": """\
max_iter : int, default=1000
    Maximum number of iterations (over all smoothing stages).
tol : float, default=1e-4
    Tolerance of the stopping rule.""",
    "optimizer_callback": """\
callback : callable, default=None
    Called after every iteration with an ``OptimizeResult`` holding
    ``nit``, ``fun``, ``step`` and ``x``.""",
}


def fill_doc(function):
    """Replace each docstring line that reads ``{name}`` by the part ``name``.

    The part is indented as the line was, so a docstring reads as it will
    render. Returns ``function``, for use as a decorator.
    """
    lines = []
    for line in function.__doc__.split("\n"):
        name = line.strip()
        if name.startswith("{") and name.endswith("}") and name[1:-1] in PARTS:
            indent = line[: len(line) - len(line.lstrip())]
            line = textwrap.indent(PARTS[name[1:-1]], indent)
        lines.append(line)
    function.__doc__ = "\n".join(lines)
    return function


SHARED_PARAMETERS = r"""
    penalty : {"l2", "l1", "elasticnet"} or None, default="l2"
        The regularization :math:`R(W)`: ``"l2"`` is :math:`\sum W_{kl}^2`
        (no 1/2), ``"l1"`` is :math:`\sum |W_{kl}|`, ``"elasticnet"`` is
        ``l1_ratio * l1 + (1 - l1_ratio) * l2``. The intercept is never
        penalized.
    alpha : float, default=1e-4
        Regularization strength (the lecture's :math:`\lambda`).
    l1_ratio : float, default=0.15
        Elastic-net mixing parameter in ``[0, 1]``.
    fit_intercept : bool, default=True
        Whether to fit the intercept :math:`b`; if False, :math:`b = 0`.
    class_weight : dict, "balanced" or None, default=None
        Weights of the classes, multiplied into the sample weights:
        ``{label: weight}``, or ``"balanced"`` for
        ``n_samples / (n_classes * np.bincount(y))``. Weights must be finite
        and non-negative, with a positive total over the samples; a class
        left out of the dict weighs 1, and, as in scikit-learn, a dict that
        names a class absent from ``y`` while leaving out one of ``y``'s
        is an error.
    optimizer : str, default="auto"
        How the objective is minimized (see :mod:`sklinear.optimizers`), one
        of ``"auto"``, ``"dual_cd"``, ``"lbfgs"``, ``"gd"``, ``"sgd"``,
        ``"random_search"`` and ``"random_local_search"``:
        ``"dual_cd"``, exact dual coordinate descent, certified by its duality
        gap (SVM losses, penalty ``"l2"``, ``alpha > 0``);
        ``"lbfgs"``, limited-memory BFGS (penalty ``"l2"`` or None);
        ``"gd"``, full-batch gradient descent, accelerated and proximal with
        ``learning_rate="auto"``; ``"sgd"``, mini-batch stochastic gradient
        descent (the only one with ``partial_fit``); ``"random_search"``, the
        best of ``n_candidates`` random weight matrices; and
        ``"random_local_search"``, random steps kept when they lower the
        objective. ``"auto"`` picks ``"dual_cd"`` where it applies, else
        ``"lbfgs"`` for a differentiable penalty and ``"gd"`` (whose proximal
        steps give exact zeros) for ``"l1"`` and ``"elasticnet"``; the choice
        is stored in ``optimizer_``. The hinge
        losses are not differentiable: ``"lbfgs"`` and ``"gd"`` minimize a
        smoothed version whose smoothing shrinks until it no longer matters.
        Each optimizer takes only its own hyperparameters below; one that the
        chosen optimizer ignores, set away from its default, raises a
        ``UserWarning``, and an optimizer that cannot handle the penalty a
        ``ValueError``.
    learning_rate : "auto" or float, default="auto"
        Step size :math:`\eta` of ``"gd"`` and initial step of ``"sgd"``.
        ``"auto"`` needs no tuning: ``"gd"`` finds its step by a backtracking
        line search, ``"sgd"`` tries a few on a sample of the data. A float
        gives ``"gd"`` the lecture's plain step
        :math:`W \leftarrow W - \eta \nabla L`; if it makes the objective blow
        up, ``fit`` raises a ``ValueError``.
    max_iter : int, default={max_iter}
        Maximum number of iterations (epochs for ``"sgd"``), over all
        smoothing stages for the hinge losses; reaching it raises a
        ``ConvergenceWarning``.
    tol : float, default={tol}
        Tolerance of the stopping rule. ``"dual_cd"`` stops when the relative
        duality gap :math:`(L - D) / L` is at most ``tol``, a certificate that
        ``L`` is within ``tol * L`` of the optimum (see ``dual_gap_``).
        ``"lbfgs"`` and ``"gd"`` with
        ``learning_rate="auto"`` stop when the largest entry of the gradient
        (for ``"gd"``, of the gradient mapping, which accounts for an L1 part),
        each divided by the scale of its weight, is at most ``tol * |L|``,
        ``L`` the best objective value so far. The scale of a weight of
        feature :math:`j` is :math:`\sqrt{\sigma_j^2 + 2\alpha}` with
        :math:`\sigma_j` the root mean square of the feature (for the
        ``"l2"`` penalty; the curvature of the penalty in general), and 1 for
        an intercept: so divided, an entry is the slope of ``L`` per unit
        change of the scores, which does not depend on the scale of ``X``.
        On the data times 0.001, with ``alpha`` times 1e-6 (the same
        problem), the rule accepts the same models as on the data; on
        standardized data it is the plain gradient to within a relative
        ``alpha``. For the hinge losses this applies to the smoothed
        objective, and the smoothing is shrunk until its error
        :math:`|L - L_\mu|` is also below ``tol * |L|``. ``"gd"`` with a
        float ``learning_rate`` stops when the best objective value improved
        by at most ``tol * |L|`` over ``n_iter_no_change`` iterations, and if
        the objective never moved by that much, the fit raises a
        ``ConvergenceWarning`` (``learning_rate`` is too small). ``"sgd"``
        stops when it improved by at most ``tol * max(|L|, L_0)`` over
        ``n_iter_no_change`` epochs, ``L_0`` the objective of the zero model
        (``log(n_classes)`` for softmax, ``(n_classes - 1) * margin`` for the
        hinge): like ``SGDClassifier``'s ``tol``, in units of the loss. No
        rule is fooled by a non-monotone objective, and the iterate with the
        lowest objective is kept.
    random_state : int, RandomState instance or None, default=None
        Seed of the random draws: the order of the samples in the epochs of
        ``"dual_cd"``, the candidates and steps of the random searches, and
        the shuffling, step calibration and validation split of
        ``"sgd"``. ``"lbfgs"`` and ``"gd"`` are deterministic.
    verbose : int, default=0
        If positive, print one line per iteration: objective, step size and
        elapsed time.
    warm_start : bool, default=False
        Start ``fit`` from the previous solution (for example along a path of
        decreasing ``alpha``) instead of zeros.
    n_candidates : int, default=1000
        Number of random weight matrices evaluated by ``"random_search"``.
    init_scale : float, default=1e-4
        Standard deviation of the random candidates and starting points of
        the random searches (the lecture draws ``0.0001 * randn``).
    step_size : float, default=1e-2
        Standard deviation of the steps of ``"random_local_search"`` (the
        lecture uses 1e-4, which barely moves in 1000 evaluations).
    batch_size : int, default=256
        Mini-batch size of ``"sgd"``; 1 is classic SGD.
    schedule : {"adaptive", "constant", "invscaling", "optimal"}, default="adaptive"
        Step-size schedule of ``"sgd"``: ``"adaptive"`` divides the step by
        5 whenever ``n_iter_no_change`` epochs pass without improvement, and
        stops once such a cut no longer pays (its whole plateau improved the
        objective by at most ``tol * max(|L|, L_0)``, see ``tol``);
        ``"invscaling"`` is ``eta0 / t**power_t``; ``"optimal"`` is the
        Pegasos step ``1 / (2 * alpha * t)`` offset to start near ``eta0``,
        ``1 / (1 / eta0 + 2 * alpha * t)``.
    power_t : float, default=0.5
        Exponent of ``schedule="invscaling"``.
    momentum : float, default=0.0
        Momentum in ``[0, 1)`` of ``"sgd"``, and of ``"gd"`` with a float
        ``learning_rate``.
    nesterov : bool, default=False
        Use Nesterov's look-ahead gradient with ``momentum``.
    average : bool or int, default=False
        Make ``"sgd"`` return the average of its iterates (Polyak-Ruppert);
        an integer starts averaging after that many samples.
    early_stopping : bool, default=False
        Make ``"sgd"`` hold out ``validation_fraction`` of the data and stop
        when its accuracy stops improving, as in scikit-learn's
        ``SGDClassifier``.
    validation_fraction : float, default=0.1
        Fraction of the data held out by ``early_stopping``, rounded up to
        whole samples. Each side of the split needs at least as many samples
        as there are classes, else ``fit`` raises a ``ValueError``.
    n_iter_no_change : int, default=5
        Iterations over which ``"sgd"`` and fixed-step ``"gd"`` must
        improve."""

SHARED_ATTRIBUTES = r"""
    coef_ : {ndarray, sparse matrix} of shape (1 or n_classes, n_features)
        The weights, one row per class (:math:`W^\top`). For two classes, a
        single row ``W[:, 1] - W[:, 0]``: a positive score means
        ``classes_[1]``. A CSR matrix after :meth:`sparsify`, an ndarray
        again after :meth:`densify` or a new fit.
    intercept_ : ndarray of shape (1,) or (n_classes,)
        The intercept :math:`b` (for two classes ``b[1] - b[0]``).
    classes_ : ndarray of shape (n_classes,)
        The class labels.
    n_features_in_ : int
        Number of features seen during ``fit``.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the features seen during ``fit``; defined only when ``X``
        has string feature names.
    optimizer_ : str
        The optimizer used (``"auto"`` resolved).
    n_iter_ : int
        Number of iterations run (epochs for ``"dual_cd"`` and ``"sgd"``).
    loss_curve_ : ndarray of shape (`n_iter_`,)
        The objective :math:`L` after each iteration.
    objective_ : float
        The objective :math:`L` of the fitted parameters on the training
        data."""

OBJECTIVE = r"""
    It minimizes

    .. math::

        L(W, b) = \frac{\sum_i w_i L_i}{\sum_i w_i} + \alpha R(W),
        \qquad s_i = x_i W + b,

    with :math:`w` the sample weights (times the class weights)."""


def fill_docstring(cls, tol, max_iter):
    """Insert the shared parts (plain ``str.replace``: the math has braces)."""
    cls.__doc__ = (
        cls.__doc__.replace("{objective}", OBJECTIVE)
        .replace("{parameters}", SHARED_PARAMETERS.strip("\n")[4:])
        .replace("{attributes}", SHARED_ATTRIBUTES.strip("\n")[4:])
        .replace("{tol}", tol)
        .replace("{max_iter}", max_iter)
    )
