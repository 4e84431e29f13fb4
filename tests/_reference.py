"""Independent exact reference solutions for multiclass linear classifiers.

This module is used by the test suite only. It does not import ``sklinear``: it
re-implements the optimisation problem from its mathematical definition with
plain NumPy / SciPy / cvxpy so that the package's own optimisers can be checked
against it.

The problem
-----------
Data ``X`` of shape (n, d), integer labels ``y`` in ``0..K-1`` and sample
weights ``w >= 0``. Parameters ``W`` of shape (d, K) and ``b`` of shape (K,);
scores ``S = X W + b`` (``b = 0`` when there is no intercept). With
``m_ij = s_ij - s_{i, y_i} + margin`` the per-sample losses are

- ``"hinge"`` (Weston-Watkins): ``L_i = sum_{j != y_i} max(0, m_ij)``
- ``"squared_hinge"``: ``L_i = sum_{j != y_i} max(0, m_ij) ** 2``
- ``"crammer_singer"``: ``L_i = max(0, max_{j != y_i} m_ij)``
- ``"cross_entropy"``: ``L_i = logsumexp(s_i) - s_{i, y_i}``

and the objective is::

    sum_i w_i L_i / sum_i w_i + alpha * R(W)

with ``R = sum W**2`` (``"l2"``), ``sum |W|`` (``"l1"``),
``l1_ratio * sum |W| + (1 - l1_ratio) * sum W**2`` (``"elasticnet"``) or 0
(``None``). The intercept is never penalised.
"""

import warnings

import cvxpy as cp
import numpy as np
import scipy.sparse as sp
from scipy.optimize import linprog, minimize
from scipy.special import logsumexp

LOSSES = ("hinge", "squared_hinge", "crammer_singer", "cross_entropy")
PENALTIES = ("l2", "l1", "elasticnet", None)

# Clarabel aims at 1e-10; a stalled run still within 1e-8 ("AlmostSolved", which
# cvxpy reports as optimal_inaccurate) is accepted: that happens with exp cones.
# The single-threaded "faer" factorisation is faster than the default QDLDL
# here (the W columns are dense: ~1.5x on QPs, up to 5x with exp cones) but
# occasionally fails on exp cones, so QDLDL is the fallback.
_CLARABEL_OPTS = dict(
    tol_gap_abs=1e-10,
    tol_gap_rel=1e-10,
    tol_feas=1e-10,
    tol_ktratio=1e-8,
    reduced_tol_gap_abs=1e-8,
    reduced_tol_gap_rel=1e-8,
    reduced_tol_feas=1e-8,
    max_iter=500,
    max_threads=1,
)
_HIGHS_OPTS = dict(primal_feasibility_tolerance=1e-10, dual_feasibility_tolerance=1e-10)


def _check(X, y, sample_weight, n_classes, loss, penalty):
    """Validate inputs; return X, y, normalised weights, one-hot labels."""
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}")
    if penalty not in PENALTIES:
        raise ValueError(f"unknown penalty {penalty!r}")
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.intp)
    n_classes = int(y.max()) + 1 if n_classes is None else int(n_classes)
    if y.min() < 0 or y.max() >= n_classes or n_classes < 2:
        raise ValueError("labels must lie in 0..n_classes-1 with n_classes >= 2")
    w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
    if np.any(w < 0) or w.sum() <= 0:
        raise ValueError("sample weights must be >= 0 with a positive sum")
    Y = np.eye(n_classes)[y]
    return X, y, w / w.sum(), Y


def _margins(S, Y, margin):
    """``m_ij = s_ij - s_iy + margin`` for ``j != y_i`` and 0 for ``j == y_i``."""
    return S - (S * Y).sum(axis=1, keepdims=True) + margin * (1.0 - Y)


def _penalty_value(W, penalty, l1_ratio):
    """Value of the penalty ``R(W)``."""
    l1, l2 = np.abs(W).sum(), np.square(W).sum()
    return {
        "l2": l2,
        "l1": l1,
        "elasticnet": l1_ratio * l1 + (1 - l1_ratio) * l2,
        None: 0.0,
    }[penalty]


def objective_value(
    W,
    b,
    X,
    y,
    *,
    loss,
    penalty="l2",
    alpha,
    l1_ratio=0.15,
    margin=1.0,
    sample_weight=None,
):
    """Evaluate the regularised objective at ``(W, b)``.

    Parameters
    ----------
    W : array-like of shape (n_features, n_classes)
        Coefficients.
    b : array-like of shape (n_classes,) or None
        Intercepts; ``None`` means zero.
    X : array-like of shape (n_samples, n_features)
        Data.
    y : array-like of shape (n_samples,)
        Integer labels in ``0..n_classes-1``.
    loss : {"hinge", "squared_hinge", "crammer_singer", "cross_entropy"}
        Per-sample loss.
    penalty : {"l2", "l1", "elasticnet", None}, default="l2"
        Penalty on ``W`` (never on ``b``).
    alpha : float
        Regularisation strength.
    l1_ratio : float, default=0.15
        Mixing parameter of the elastic net.
    margin : float, default=1.0
        Margin of the hinge-type losses.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights (default: all ones).

    Returns
    -------
    float
        ``sum_i w_i L_i / sum_i w_i + alpha * R(W)``.
    """
    W = np.asarray(W, dtype=np.float64)
    X, y, wn, Y = _check(X, y, sample_weight, W.shape[1], loss, penalty)
    S = X @ W + (0.0 if b is None else np.asarray(b, dtype=np.float64))
    if loss == "cross_entropy":
        L = logsumexp(S, axis=1) - S[np.arange(len(y)), y]
    else:
        M = _margins(S, Y, margin)  # the y_i entry is 0 and never contributes
        L = {
            "hinge": np.maximum(M, 0).sum(axis=1),
            "squared_hinge": np.square(np.maximum(M, 0)).sum(axis=1),
            "crammer_singer": M.max(axis=1),
        }[loss]
    return float(wn @ L + alpha * _penalty_value(W, penalty, l1_ratio))


def solve_reference(
    X,
    y,
    *,
    loss,
    penalty="l2",
    alpha,
    l1_ratio=0.15,
    margin=1.0,
    sample_weight=None,
    fit_intercept=True,
    n_classes=None,
    method=None,
):
    """Compute the exact minimiser of the objective (see module docstring).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        Data.
    y : array-like of shape (n_samples,)
        Integer labels in ``0..n_classes-1``.
    loss : {"hinge", "squared_hinge", "crammer_singer", "cross_entropy"}
        Per-sample loss.
    penalty : {"l2", "l1", "elasticnet", None}, default="l2"
        Penalty on ``W``.
    alpha : float
        Regularisation strength.
    l1_ratio : float, default=0.15
        Mixing parameter of the elastic net.
    margin : float, default=1.0
        Margin of the hinge-type losses.
    sample_weight : array-like of shape (n_samples,), default=None
        Non-negative sample weights (default: all ones).
    fit_intercept : bool, default=True
        Whether to fit the (unpenalised) intercept ``b``; otherwise ``b = 0``.
    n_classes : int, default=None
        Number of classes ``K`` (default ``y.max() + 1``).
    method : {"lbfgs", "lp", "cvxpy"}, default=None
        Force a route (mainly to cross-check routes against each other).
        By default: ``"lbfgs"`` for smooth losses with l2/None, ``"lp"`` for
        hinge-type losses with l1/None, ``"cvxpy"`` otherwise.

    Returns
    -------
    W : ndarray of shape (n_features, n_classes)
        Optimal coefficients.
    b : ndarray of shape (n_classes,)
        Optimal intercepts (zeros if ``fit_intercept=False``).
    objective : float
        Objective at ``(W, b)``, recomputed with :func:`objective_value`.

    Notes
    -----
    Minimisers of the hinge-type problems and the unpenalised problems need not
    be unique; only the objective value is guaranteed. With ``penalty=None``
    the cross-entropy minimum does not exist for separable data.
    """
    X, y, wn, Y = _check(X, y, sample_weight, n_classes, loss, penalty)
    smooth = loss in ("cross_entropy", "squared_hinge")
    if method is None:
        if penalty in ("l2", None):
            method = "lbfgs" if smooth else "cvxpy"
        else:
            method = "lp" if (not smooth and penalty == "l1") else "cvxpy"
    if method == "lp" and (smooth or penalty not in ("l1", None)):
        raise ValueError("the LP route needs a hinge-type loss and penalty l1/None")
    if method == "lbfgs" and not (smooth and penalty in ("l2", None)):
        raise ValueError("the L-BFGS route needs a smooth loss and penalty l2/None")
    args = (X, y, wn, Y, loss, penalty, alpha, l1_ratio, margin, fit_intercept)
    solver = {"lbfgs": _solve_lbfgs, "lp": _solve_lp, "cvxpy": _solve_cvxpy}[method]
    W, b = solver(*args)
    obj = objective_value(
        W,
        b,
        X,
        y,
        loss=loss,
        penalty=penalty,
        alpha=alpha,
        l1_ratio=l1_ratio,
        margin=margin,
        sample_weight=wn,
    )
    return W, b, obj


def _solve_lbfgs(X, y, wn, Y, loss, penalty, alpha, l1_ratio, margin, fit_intercept):
    """Smooth loss with l2/None penalty: L-BFGS-B with the analytic gradient."""
    d, K = X.shape[1], Y.shape[1]
    lam = alpha if penalty == "l2" else 0.0

    def fun(theta):
        W = theta[: d * K].reshape(d, K)
        S = X @ W + (theta[d * K :] if fit_intercept else 0.0)
        if loss == "cross_entropy":
            lse = logsumexp(S, axis=1, keepdims=True)
            L = lse[:, 0] - (S * Y).sum(axis=1)
            G = np.exp(S - lse) - Y  # dL_i / dS_i = softmax(s_i) - e_{y_i}
        else:
            H = np.maximum(_margins(S, Y, margin), 0.0)
            L = np.square(H).sum(axis=1)
            G = 2.0 * (H - Y * H.sum(axis=1, keepdims=True))
        G *= wn[:, None]
        grad_W = X.T @ G + 2.0 * lam * W
        grad = np.concatenate(
            [grad_W.ravel(), G.sum(axis=0)] if fit_intercept else [grad_W.ravel()]
        )
        return wn @ L + lam * np.square(W).sum(), grad

    theta = np.zeros(d * K + K * fit_intercept)
    for _ in range(5):  # restarts clear L-BFGS-B's memory if it stalls on ftol
        res = minimize(
            fun,
            theta,
            jac=True,
            method="L-BFGS-B",
            options=dict(
                maxiter=100_000, maxfun=200_000, maxcor=30, gtol=1e-12, ftol=1e-15
            ),
        )
        theta = res.x
        gnorm = np.abs(fun(theta)[1]).max()
        if gnorm < 1e-9:
            break
    if gnorm > 1e-7:
        warnings.warn(
            f"L-BFGS-B reference: gradient inf-norm {gnorm:.2e}", stacklevel=2
        )
    W = theta[: d * K].reshape(d, K)
    return W, (theta[d * K :] if fit_intercept else np.zeros(K))


def _solve_cvxpy(X, y, wn, Y, loss, penalty, alpha, l1_ratio, margin, fit_intercept):
    """Any loss / penalty as a conic programme solved by Clarabel."""
    (n, d), K = X.shape, Y.shape[1]
    W = cp.Variable((d, K))
    b = cp.Variable((1, K)) if fit_intercept else np.zeros((1, K))
    S = X @ W + np.ones((n, 1)) @ b
    s_y = cp.reshape(cp.sum(cp.multiply(Y, S), axis=1), (n, 1), order="C")
    M = S - s_y @ np.ones((1, K)) + margin * (1.0 - Y)  # 0 on the y_i entries
    cons = []
    if loss == "cross_entropy":
        data = wn @ (cp.log_sum_exp(S, axis=1) - s_y[:, 0])
    elif loss == "crammer_singer":
        xi = cp.Variable((n, 1))  # xi_i >= m_ij for all j (incl. j = y_i: xi_i >= 0)
        cons = [xi @ np.ones((1, K)) >= M]
        data = wn @ xi[:, 0]
    else:
        xi = cp.Variable((n, K), nonneg=True)
        cons = [xi >= M]
        data = (
            cp.sum(xi, axis=1) @ wn
            if loss == "hinge"
            else cp.sum_squares(cp.multiply(np.sqrt(wn)[:, None], xi))
        )
    l1, l2 = cp.sum(cp.abs(W)), cp.sum_squares(W)
    reg = {
        "l2": l2,
        "l1": l1,
        "elasticnet": l1_ratio * l1 + (1 - l1_ratio) * l2,
        None: 0.0,
    }[penalty]
    prob = cp.Problem(cp.Minimize(data + alpha * reg), cons)
    ok = (cp.OPTIMAL, cp.OPTIMAL_INACCURATE)
    for kkt in ("faer", "qdldl"):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)  # "may be inaccurate"
                prob.solve(
                    solver=cp.CLARABEL, direct_solve_method=kkt, **_CLARABEL_OPTS
                )
        except cp.SolverError:
            continue
        if prob.status in ok:
            break
    if prob.status not in ok:
        raise RuntimeError(f"cvxpy/Clarabel reference failed: status {prob.status}")
    b_val = b.value[0] if fit_intercept else np.zeros(K)
    return np.asarray(W.value), np.asarray(b_val)


def _solve_lp(X, y, wn, Y, loss, penalty, alpha, l1_ratio, margin, fit_intercept):
    """Hinge / Crammer-Singer with l1/None penalty as an LP solved by HiGHS.

    Variables ``[W+, W-, b, xi]`` with ``W = W+ - W-`` (C-order ravel of (d, K)).
    One row per pair ``r = (i, j)``, ``j != y_i``::

        x_i (w_j - w_{y_i}) + b_j - b_{y_i} - xi <= -margin

    with ``xi = xi_r`` (hinge) or ``xi = xi_i`` (Crammer-Singer), ``xi >= 0``.
    """
    (n, d), K = X.shape, Y.shape[1]
    i_r, j_r = np.nonzero(Y == 0)
    y_r, m = y[i_r], len(i_r)
    rows = np.repeat(np.arange(m), d)
    cols = np.arange(d) * K  # column of W[p, k] is p * K + k
    A_W = sp.csr_matrix(
        (
            np.concatenate([X[i_r].ravel(), -X[i_r].ravel()]),
            (
                np.concatenate([rows, rows]),
                np.concatenate(
                    [(cols + j_r[:, None]).ravel(), (cols + y_r[:, None]).ravel()]
                ),
            ),
        ),
        shape=(m, d * K),
    )
    A_b = sp.csr_matrix(
        (
            np.r_[np.ones(m), -np.ones(m)],
            (np.r_[np.arange(m), np.arange(m)], np.r_[j_r, y_r]),
        ),
        shape=(m, K),
    )
    if loss == "hinge":
        A_xi, c_xi = -sp.eye_array(m, format="csr"), wn[i_r]
    else:
        A_xi, c_xi = -sp.csr_matrix((np.ones(m), (np.arange(m), i_r)), shape=(m, n)), wn
    blocks = [A_W, -A_W] + ([A_b] if fit_intercept else []) + [A_xi]
    A_ub = sp.hstack(blocks, format="csc")
    lam = alpha if penalty == "l1" else 0.0
    n_b = K * fit_intercept
    c = np.concatenate([np.full(2 * d * K, lam), np.zeros(n_b), c_xi])
    lower = np.concatenate(
        [np.zeros(2 * d * K), np.full(n_b, -np.inf), np.zeros(len(c_xi))]
    )
    bounds = np.column_stack([lower, np.full(len(c), np.inf)])
    res = linprog(
        c,
        A_ub=A_ub,
        b_ub=np.full(m, -margin),
        bounds=bounds,
        method="highs",
        options=_HIGHS_OPTS,
    )
    if res.status != 0:
        raise RuntimeError(f"linprog reference failed: {res.message}")
    W = (res.x[: d * K] - res.x[d * K : 2 * d * K]).reshape(d, K)
    b = res.x[2 * d * K : 2 * d * K + n_b] if fit_intercept else np.zeros(K)
    return W, b


def standardized_dataset(name):
    """Load a small scikit-learn dataset, standardised with ``StandardScaler``.

    Parameters
    ----------
    name : {"iris", "wine", "digits"}
        Dataset name (digits keeps all 64 columns; constant ones become 0).

    Returns
    -------
    X : ndarray of shape (n_samples, n_features), float64
        Standardised data.
    y : ndarray of shape (n_samples,)
        Integer labels.
    """
    from sklearn import datasets
    from sklearn.preprocessing import StandardScaler

    loader = {
        "iris": datasets.load_iris,
        "wine": datasets.load_wine,
        "digits": datasets.load_digits,
    }[name]
    X, y = loader(return_X_y=True)
    return StandardScaler().fit_transform(X.astype(np.float64)), y.astype(np.intp)


def dense_dual_dataset():
    """Five overlapping classes in 20 features, 1000 rows, standardised: at
    ``alpha=1e-4`` nearly every sample violates a margin, so the SVM duals
    are dense and shrinking sets almost no row aside."""
    from sklearn.datasets import make_classification
    from sklearn.preprocessing import StandardScaler

    X, y = make_classification(
        n_samples=1000, n_features=20, n_informative=10, n_classes=5,
        n_clusters_per_class=1, class_sep=0.5, random_state=0,
    )  # fmt: skip
    return StandardScaler().fit_transform(X), y
