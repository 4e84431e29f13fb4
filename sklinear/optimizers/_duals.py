r"""The dual variables of the SVM losses, and the two sums the solvers take of them.

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

__all__ = ["_eta", "_flows", "_total"]


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
