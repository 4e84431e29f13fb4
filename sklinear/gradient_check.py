r"""Numerical gradients and the gradient check.

The numerical gradient is approximate and slow (two function evaluations per
coordinate) but easy to write; the analytic gradient is exact and fast but
easy to get wrong. In practice one derives the analytic gradient and checks it
against the numerical one: the *gradient check*.

Centred differences are used throughout,

.. math::

    \frac{\partial f}{\partial x_k} \approx \frac{f(x + h e_k) - f(x - h e_k)}{2h},

whose error is :math:`O(h^2)` rather than the :math:`O(h)` of the one-sided
formula.
"""

import numpy as np
from sklearn.utils import check_random_state

__all__ = ["numerical_gradient", "relative_error", "check_gradient"]


def _probe(f, x, k, h):
    """Centred difference of ``f`` along coordinate ``k`` (flat index) of ``x``."""
    flat = x.reshape(-1)
    old = flat[k]
    try:
        flat[k] = old + h
        f_plus = f(x)
        flat[k] = old - h
        f_minus = f(x)
    finally:
        flat[k] = old  # leave x exactly as it was given, even if f raises
    return (f_plus - f_minus) / (2.0 * h)


def numerical_gradient(f, x, h=1e-5):
    r"""Centred-difference gradient of a scalar function at ``x``.

    Every coordinate of ``x`` is perturbed in place by :math:`\pm h` and
    restored after its probe, so ``x`` is unchanged on return.

    Parameters
    ----------
    f : callable
        ``f(x)`` returning a float.
    x : ndarray of float
        Point at which to evaluate the gradient; any shape, contiguous.
    h : float, default=1e-5
        Step of the centred difference.

    Returns
    -------
    grad : ndarray of the shape of ``x``
        The numerical gradient.

    See Also
    --------
    check_gradient : Compare with an analytic gradient on a few coordinates.

    Examples
    --------
    The gradient of :math:`z = x^2 + y^2` at :math:`(5, 3)` is :math:`(10, 6)`:

    >>> import numpy as np
    >>> from sklinear.gradient_check import numerical_gradient
    >>> grad = numerical_gradient(lambda v: v[0] ** 2 + v[1] ** 2, np.array([5.0, 3.0]))
    >>> grad.round(6)
    array([10.,  6.])
    """
    grad = np.empty(x.shape, dtype=np.float64)
    flat_grad = grad.reshape(-1)
    for k in range(x.size):
        flat_grad[k] = _probe(f, x, k, h)
    return grad


def relative_error(a, b):
    r"""Elementwise relative error :math:`|a - b| / \max(|a| + |b|, \text{tiny})`.

    Parameters
    ----------
    a, b : array-like
        Values to compare (broadcastable).

    Returns
    -------
    error : ndarray
        In ``[0, 1]``; ``0`` where both are zero.

    See Also
    --------
    check_gradient

    Examples
    --------
    >>> from sklinear.gradient_check import relative_error
    >>> relative_error([1.0, 0.0], [3.0, 0.0])
    array([0.5, 0. ])
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), np.finfo(np.float64).tiny)


def check_gradient(f, x, analytic_grad, n_checks=10, h=1e-5, random_state=None):
    """Gradient check: compare an analytic gradient with centred differences.

    Probes ``n_checks`` coordinates of ``x`` drawn at random (with
    replacement) and returns the relative error at each. Values around 1e-7
    or below mean the analytic gradient is right; around 1e-2 or above, it is
    wrong (or the point sits on a kink of the function).

    Parameters
    ----------
    f : callable
        ``f(x)`` returning a float.
    x : ndarray of float
        Point of the check; restored after every probe.
    analytic_grad : ndarray of the shape of ``x``
        The gradient to check.
    n_checks : int, default=10
        Number of coordinates probed.
    h : float, default=1e-5
        Step of the centred difference.
    random_state : int, RandomState instance or None, default=None
        Draws the coordinates.

    Returns
    -------
    errors : ndarray of shape (n_checks,)
        Relative error at each probed coordinate.

    See Also
    --------
    numerical_gradient, relative_error

    Examples
    --------
    >>> import numpy as np
    >>> from sklinear.gradient_check import check_gradient
    >>> x = np.array([5.0, 3.0])
    >>> errors = check_gradient(lambda v: v @ v, x, 2 * x, n_checks=3, random_state=0)
    >>> bool(errors.max() < 1e-9)
    True
    """
    rng = check_random_state(random_state)
    coords = rng.randint(x.size, size=n_checks)
    analytic = np.asarray(analytic_grad).reshape(-1)[coords]
    numeric = np.array([_probe(f, x, k, h) for k in coords])
    return relative_error(analytic, numeric)
