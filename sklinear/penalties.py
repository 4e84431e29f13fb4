r"""Regularization penalties :math:`R(W)`: value, (sub)gradient and proximal operator.

The objective adds :math:`\alpha R(W)` to the data loss; the intercept is
never penalized, so every method here sees only the weight matrix :math:`W`.
The proximal operator

.. math::

    \operatorname{prox}_{t R}(V) = \arg\min_W \tfrac{1}{2}\|W - V\|^2 + t R(W)

is what proximal gradient methods use in place of a gradient step on the
penalty: it is exact for every penalty here, and for the ones with an L1 part
it sets small weights to exactly zero.

A penalty is an object with ``value(W)``, ``gradient(W)`` and
``prox(V, step)``, and three attributes that solvers may ask: its ``name``
(as the estimators' ``penalty`` parameter takes it), ``has_l1`` (whether it
has an L1 part, which needs proximal steps; elastic net counts even at
``l1_ratio=0``) and ``is_l2`` (whether it is exactly
:math:`\sum W_{kl}^2`, which a dual solver needs). :data:`PENALTIES` maps
the names to a factory taking ``l1_ratio``.
"""

import numpy as np

__all__ = ["L2", "L1", "ElasticNet", "NoPenalty", "PENALTIES", "make_penalty"]


def _soft_threshold(V, threshold):
    """``sign(V) * max(|V| - threshold, 0)``: the prox of ``threshold * sum|W|``."""
    return np.sign(V) * np.maximum(np.abs(V) - threshold, 0.0)


class L2:
    r"""Squared L2 penalty :math:`R(W) = \sum_{k,l} W_{kl}^2` (no 1/2, as in lecture).

    Its gradient is :math:`2W`; its prox shrinks toward zero,
    :math:`\operatorname{prox}_{tR}(V) = V / (1 + 2t)`.

    See Also
    --------
    L1, ElasticNet

    Examples
    --------
    L2 prefers spread-out weights: for ``x = [1, 1, 1, 1]`` both weight
    vectors below score 1, but the second has the smaller penalty.

    >>> import numpy as np
    >>> from sklinear.penalties import L2
    >>> L2().value(np.array([1.0, 0, 0, 0])), L2().value(np.full(4, 0.25))
    (1.0, 0.25)
    """

    name = "l2"
    has_l1 = False
    is_l2 = True

    def value(self, W):
        """Penalty value (a float)."""
        return float(np.vdot(W, W))

    def gradient(self, W):
        """Gradient ``2 W``."""
        return 2.0 * W

    def prox(self, V, step):
        """Proximal operator of ``step * R`` at ``V``."""
        return V / (1.0 + 2.0 * step)


class L1:
    r"""L1 penalty :math:`R(W) = \sum_{k,l} |W_{kl}|`, which favours sparse weights.

    Its subgradient is :math:`\operatorname{sign}(W)` (0 at 0); its prox is
    soft thresholding, :math:`\operatorname{sign}(V) \max(|V| - t, 0)`.

    See Also
    --------
    L2, ElasticNet

    Examples
    --------
    >>> import numpy as np
    >>> from sklinear.penalties import L1
    >>> L1().prox(np.array([0.3, -0.05, -2.0]), step=0.1)
    array([ 0.2, -0. , -1.9])
    """

    name = "l1"
    has_l1 = True
    is_l2 = False

    def value(self, W):
        """Penalty value (a float)."""
        return float(np.abs(W).sum())

    def gradient(self, W):
        """Subgradient ``sign(W)``."""
        return np.sign(W)

    def prox(self, V, step):
        """Proximal operator of ``step * R`` at ``V`` (soft thresholding)."""
        return _soft_threshold(V, step)


class ElasticNet:
    r"""Elastic-net penalty, a mix of L1 and squared L2.

    .. math::

        R(W) = \rho \sum_{k,l} |W_{kl}| + (1 - \rho) \sum_{k,l} W_{kl}^2

    with :math:`\rho` the ``l1_ratio``. Its prox soft-thresholds by
    :math:`t\rho`, then shrinks by :math:`1 + 2t(1-\rho)`.

    Parameters
    ----------
    l1_ratio : float, default=0.15
        The mixing parameter :math:`\rho` in ``[0, 1]``.

    See Also
    --------
    L1, L2

    Examples
    --------
    >>> import numpy as np
    >>> from sklinear.penalties import ElasticNet
    >>> ElasticNet(l1_ratio=0.5).value(np.array([1.0, -2.0]))
    4.0
    """

    name = "elasticnet"
    has_l1 = True
    is_l2 = False

    def __init__(self, l1_ratio=0.15):
        self.l1_ratio = l1_ratio

    def value(self, W):
        """Penalty value (a float)."""
        rho = self.l1_ratio
        return float(rho * np.abs(W).sum() + (1.0 - rho) * np.vdot(W, W))

    def gradient(self, W):
        """Subgradient ``l1_ratio * sign(W) + 2 (1 - l1_ratio) W``."""
        rho = self.l1_ratio
        return rho * np.sign(W) + 2.0 * (1.0 - rho) * W

    def prox(self, V, step):
        """Proximal operator of ``step * R`` at ``V``."""
        rho = self.l1_ratio
        return _soft_threshold(V, step * rho) / (1.0 + 2.0 * step * (1.0 - rho))


class NoPenalty:
    """No regularization, :math:`R(W) = 0`.

    See Also
    --------
    L2

    Examples
    --------
    >>> import numpy as np
    >>> from sklinear.penalties import NoPenalty
    >>> NoPenalty().value(np.ones(3))
    0.0
    """

    name = None
    has_l1 = False
    is_l2 = False

    def value(self, W):
        """Penalty value, always 0.0."""
        return 0.0

    def gradient(self, W):
        """Gradient, all zeros."""
        return np.zeros_like(W)

    def prox(self, V, step):
        """Proximal operator: the identity."""
        return V


PENALTIES = {
    "l2": lambda l1_ratio: L2(),
    "l1": lambda l1_ratio: L1(),
    "elasticnet": ElasticNet,
    None: lambda l1_ratio: NoPenalty(),
}


def make_penalty(penalty, l1_ratio=0.15):
    """Build the penalty named ``penalty`` (a key of :data:`PENALTIES`).

    Parameters
    ----------
    penalty : {"l2", "l1", "elasticnet"} or None
        Name of the penalty.
    l1_ratio : float, default=0.15
        Elastic-net mixing parameter (used by ``"elasticnet"`` only).

    Returns
    -------
    penalty : object
        An object with ``value``, ``gradient`` and ``prox`` methods.

    See Also
    --------
    PENALTIES : The registry it reads.
    L2, L1, ElasticNet, NoPenalty : The penalties.

    Examples
    --------
    >>> from sklinear.penalties import make_penalty
    >>> make_penalty("elasticnet", l1_ratio=0.5).l1_ratio
    0.5
    """
    try:
        factory = PENALTIES[penalty]
    except (KeyError, TypeError):
        names = ", ".join(repr(name) for name in PENALTIES)
        raise ValueError(f"penalty must be one of {names}; got {penalty!r}.") from None
    return factory(l1_ratio)
