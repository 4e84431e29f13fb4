"""The lecture's numerical gradient and gradient check."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sklinear.gradient_check import check_gradient, numerical_gradient, relative_error


def test_lecture_example():
    """The numerical gradient of z = x^2 + y^2 at (5, 3) is [10, 6]."""
    point = np.array([5.0, 3.0])
    grad = numerical_gradient(lambda v: v[0] ** 2 + v[1] ** 2, point)
    assert_allclose(grad, [10.0, 6.0], rtol=1e-9)
    assert np.array_equal(point, [5.0, 3.0])  # restored after every probe


def test_matrix_input_and_restoration():
    """Works on any shape; x is unchanged even if f raises midway."""
    x = np.arange(6.0).reshape(2, 3)
    A = np.random.default_rng(0).normal(size=(2, 3))
    assert_allclose(
        numerical_gradient(lambda m: np.sum(A * m**2), x), 2 * A * x, rtol=1e-8
    )
    calls = []

    def failing(m):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError
        return 0.0

    with pytest.raises(RuntimeError):
        numerical_gradient(failing, x)
    assert np.array_equal(x, np.arange(6.0).reshape(2, 3))


def test_relative_error():
    """|a - b| / max(|a| + |b|, tiny), 0 where both are 0."""
    assert_allclose(relative_error([1.0, 0.0, -1.0], [3.0, 0.0, 1.0]), [0.5, 0.0, 1.0])


def test_check_gradient_tells_right_from_wrong():
    """Errors ~1e-10 for the right gradient, ~1 for a wrong one."""
    A = np.random.default_rng(1).normal(size=(4, 4))
    A = A @ A.T

    def f(x):
        return 0.5 * x @ A @ x

    x = np.random.default_rng(2).normal(size=4)
    assert check_gradient(f, x, A @ x, n_checks=8, random_state=0).max() < 1e-8
    assert check_gradient(f, x, A @ x + 1.0, n_checks=8, random_state=0).min() > 1e-3
    errors = check_gradient(f, x, A @ x, n_checks=5, random_state=0)
    assert errors.shape == (5,)
