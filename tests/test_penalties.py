"""Penalties: values, (sub)gradients, and proximal operators checked by their definition."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy.optimize import minimize

from sklinear.gradient_check import numerical_gradient
from sklinear.penalties import L1, L2, PENALTIES, ElasticNet, NoPenalty, make_penalty

ALL = [L2(), L1(), ElasticNet(0.15), ElasticNet(0.7), NoPenalty()]


def test_l2_prefers_spread_out_weights():
    """For x = [1,1,1,1], w1 = [1,0,0,0] and w2 = [0.25]*4 score alike; L2 prefers w2."""
    x = np.ones(4)
    w1, w2 = np.array([1.0, 0, 0, 0]), np.full(4, 0.25)
    assert w1 @ x == w2 @ x == 1.0
    assert L2().value(w1) == 1.0 and L2().value(w2) == 0.25
    assert L1().value(w1) == L1().value(w2) == 1.0  # L1 is indifferent here


def test_values():
    """sum W^2 (no 1/2), sum |W|, and their elastic-net mix."""
    W = np.array([[1.0, -2.0], [0.5, 0.0]])
    assert L2().value(W) == pytest.approx(5.25)
    assert L1().value(W) == pytest.approx(3.5)
    assert ElasticNet(0.3).value(W) == pytest.approx(0.3 * 3.5 + 0.7 * 5.25)
    assert NoPenalty().value(W) == 0.0


@pytest.mark.parametrize("penalty", ALL, ids=repr)
def test_gradient_matches_numerical_gradient(penalty):
    """Away from zero, the (sub)gradient is the gradient."""
    W = np.random.default_rng(0).uniform(0.2, 1.0, size=(3, 4)) * np.sign(
        np.random.default_rng(1).normal(size=(3, 4))
    )
    assert_allclose(
        penalty.gradient(W), numerical_gradient(penalty.value, W), rtol=1e-7, atol=1e-9
    )


@pytest.mark.parametrize("step", [0.05, 0.7])
@pytest.mark.parametrize("penalty", ALL, ids=repr)
def test_prox_is_the_minimizer_of_its_definition(penalty, step):
    """prox(V, t) minimizes 1/2 ||W - V||^2 + t R(W) (checked with Powell's method)."""
    V = np.array([0.9, -0.02, 0.3, -1.5, 0.0])
    prox = penalty.prox(V, step)

    def f(W):
        return 0.5 * np.sum((W - V) ** 2) + step * penalty.value(W)

    ref = minimize(f, V, method="Powell", options={"xtol": 1e-12, "ftol": 1e-14}).x
    assert f(prox) <= f(ref) + 1e-12
    assert_allclose(prox, ref, atol=1e-5)


@pytest.mark.parametrize("penalty", [L1(), ElasticNet(0.5)], ids=repr)
def test_l1_prox_gives_exact_zeros(penalty):
    """Entries below the threshold become exactly 0."""
    prox = penalty.prox(np.array([0.01, -0.02, 3.0]), 0.1)
    assert prox[0] == 0.0 and prox[1] == 0.0 and prox[2] > 0


def test_registry():
    """Every name of the estimators' penalty parameter builds its penalty."""
    assert set(PENALTIES) == {"l2", "l1", "elasticnet", None}
    assert isinstance(make_penalty("l2"), L2)
    assert make_penalty("elasticnet", l1_ratio=0.4).l1_ratio == 0.4
    assert isinstance(make_penalty(None), NoPenalty)
