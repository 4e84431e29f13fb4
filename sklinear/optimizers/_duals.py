r"""The dual variables of the SVM losses: the two sums the solvers take of
them, their box, and the dual's terms of each variable alone.

Sample :math:`i` owns :math:`\beta_{ij} \ge 0` for the classes
:math:`j \ne y_i` (zero on its label); its column of the weights is
:math:`\eta_i`, :math:`\eta_{ij} = -\beta_{ij}` and
:math:`\eta_{i y_i} = \sum_j \beta_{ij}`, so that
:math:`W = \sum_i x_i \eta_i^\top`. The sums over samples run through
a compiled loop, one sample after another: rows of zero weight (zero
variables) then change no bit of them, as dropping those rows would not.
"""

import numpy as np

from ._dual_cd_fast import class_flows

__all__ = ["_eta", "_flows", "_total", "into_box", "separable"]


def _eta(beta, y, out=None):
    r""":math:`\eta`: ``-beta`` with each row's total on its label (``out``
    may be ``beta``)."""
    totals = beta.sum(axis=1)
    eta = np.negative(beta, out=out)
    eta[np.arange(len(y)), y] = totals
    return eta


def _total(beta, y, flows=None):
    r""":math:`z = \sum_i \eta_i`, the intercept's constraint's residual
    (out of flows: :func:`_flows`, if already at hand)."""
    flows = _flows(beta, y) if flows is None else flows
    return flows.sum(axis=1) - flows.sum(axis=0)


def _flows(beta, y):
    """``F[c, j]``: the dual mass of the samples of class ``c`` on class ``j``."""
    flows = np.zeros((beta.shape[1],) * 2)
    beta = np.ascontiguousarray(beta, dtype=np.float64)
    class_flows(np.asarray(y, dtype=np.intp), beta, flows)
    return flows


def into_box(beta, upper, loss):
    r"""``beta`` put into the dual's box of the bounds ``upper``, as a new array.

    Every variable is at least 0; for the Weston-Watkins hinge each is at
    most its sample's bound :math:`C_i`, and for Crammer-Singer each
    sample's total is, scaled down until it is (a scaled total may round an
    ulp above the bound, which the loop takes back). The squared hinge has
    no upper bound.
    """
    beta = np.maximum(beta, 0.0)
    if loss == "hinge":
        np.minimum(beta, upper[:, None], out=beta)
    elif loss == "crammer_singer":
        over = np.flatnonzero(beta.sum(axis=1) > upper)
        while len(over):
            totals = beta[over].sum(axis=1)  # aligned with over, not with beta
            beta[over] *= np.nextafter(upper[over] / totals, 0.0)[:, None]
            over = over[beta[over].sum(axis=1) > upper[over]]
    return beta


def separable(beta, upper, loss):
    r"""The dual's terms of each variable alone: :math:`\Delta \sum \beta`,
    less :math:`\sum \beta^2 / (4 C_i)` for the squared hinge (``loss``
    gives :math:`\Delta` and the name)."""
    value = loss.margin * beta.sum()
    if loss.name == "squared_hinge":
        inverse = np.divide(0.25, upper, out=np.zeros_like(upper), where=upper > 0)
        value -= np.einsum("ij,ij,i->", beta, beta, inverse)
    return value
