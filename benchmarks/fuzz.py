"""Fuzz the estimators: draw many cases, fit each under a watchdog, tally outcomes.

Not part of the test suite; run it by hand, from the repository root, with
sklinear and the test extras installed (``pip install -e ".[test]"``):

    nice -n 10 python benchmarks/fuzz.py [n_property_examples] [out.json]

Cases: the strategies of tests/estimators/test_properties.py with more
examples, plus a grid of optimizer x loss x penalty x extreme hyperparameters
on a few small data sets. Outcomes: finite model, clear ValueError (matches
CLEAR_MESSAGES), ConvergenceWarning (finite model, warned), other exception
(an unclear ValueError included), NaN model, hang, RuntimeWarning.
"""

import collections
import itertools
import json
import os
import re
import sys
import time
import traceback
import warnings

import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from sklearn.exceptions import ConvergenceWarning

# The property tests' strategies, and the helpers they import.
TESTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "tests")
sys.path[:0] = [os.path.join(TESTS, "estimators"), TESTS]
import test_properties as tp  # noqa: E402

from sklinear import SoftmaxClassifier, SVMClassifier  # noqa: E402

N_PROPERTY = int(sys.argv[1]) if len(sys.argv) > 1 else 700
OUT = sys.argv[2] if len(sys.argv) > 2 else "/tmp/props_work/fuzz_results.json"
HANG = 20

tally = collections.Counter()
details = []


def _where(exc):
    frames = [
        f for f in traceback.extract_tb(exc.__traceback__) if "sklinear" in f.filename
    ]
    if not frames:
        frames = traceback.extract_tb(exc.__traceback__)[-1:]
    f = frames[-1]
    return f"{f.filename.split('wt-props/')[-1]}:{f.lineno} {f.name}"


def _describe(X, y):
    values = X.data if sp.issparse(X) else X
    return {
        "shape": list(X.shape),
        "dtype": str(X.dtype),
        "layout": X.format if sp.issparse(X) else "dense",
        "max_abs": float(np.abs(values).max(initial=0.0)),
        "n_classes": int(len(np.unique(y))),
    }


def run_case(source, estimator, X, y, sample_weight=None):
    t0 = time.perf_counter()
    outcome, info = None, ""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.simplefilter("error", RuntimeWarning)
        try:
            with tp.watchdog(HANG):
                estimator.fit(X, y, sample_weight=sample_weight)
        except tp.Hang as exc:
            outcome, info = "hang", _where(exc)
        except RuntimeWarning as exc:
            outcome, info = "RuntimeWarning", f"{exc} at {_where(exc)}"
        except ValueError as exc:
            message = str(exc)
            if any(
                re.search(p, message, flags=re.DOTALL)
                for p in tp.CLEAR_MESSAGES.values()
            ):
                outcome, info = "clear ValueError", message[:120]
            else:
                outcome, info = (
                    "other exception",
                    f"unclear ValueError: {message[:300]} at {_where(exc)}",
                )
        except Exception as exc:  # noqa: BLE001 - the tally is the point
            outcome, info = (
                "other exception",
                f"{type(exc).__name__}: {str(exc)[:300]} at {_where(exc)}",
            )
    if outcome is None:
        finite = (
            np.all(np.isfinite(estimator.coef_))
            and np.all(np.isfinite(estimator.intercept_))
            and np.isfinite(estimator.objective_)
        )
        if not finite:
            outcome = "NaN model"
            info = f"objective_={estimator.objective_}"
        elif any(issubclass(w.category, ConvergenceWarning) for w in caught):
            outcome = "ConvergenceWarning"
            info = next(
                str(w.message)
                for w in caught
                if issubclass(w.category, ConvergenceWarning)
            )[:160]
        else:
            outcome = "finite model"
    tally[outcome] += 1
    elapsed = time.perf_counter() - t0
    if (
        outcome not in ("finite model", "clear ValueError", "ConvergenceWarning")
        or elapsed > 5
    ):
        details.append(
            {
                "source": source,
                "outcome": outcome,
                "info": info,
                "seconds": round(elapsed, 2),
                "estimator": repr(estimator.get_params()),
                "data": _describe(X, y),
            }
        )
    return outcome


# -- 1. the property strategies, more examples ----------------------------------


@settings(max_examples=N_PROPERTY, **tp.SETTINGS)
@given(data=tp.datasets(), estimator=tp.estimators(), weights=tp.class_weight_patterns)
def _property_cases(data, estimator, weights):
    X, y = data
    run_case("property", tp.with_class_weight(estimator, y, weights), X, y)


# -- 2. a grid of extreme hyperparameters -----------------------------------------


def _grid_data():
    rng = np.random.RandomState(0)
    centers = rng.standard_normal((3, 5)) * 3
    y = np.repeat(np.arange(3), 20)
    X = centers[y] + rng.standard_normal((60, 5))
    X -= X.mean(0)
    X /= X.std(0)
    yield "blobs-f64", X, y, None
    Xs = X.copy()
    Xs[rng.random_sample(Xs.shape) < 0.7] = 0
    yield "blobs-csr-f32", sp.csr_matrix(Xs.astype(np.float32)), y, None
    w = rng.choice([0.0, 1e-300, 1.0, 1e300], size=60)
    w[:3] = 1.0
    yield "blobs-f64-weights", X * 1e-3, y, w


ESTIMATORS = [
    (SVMClassifier, "hinge"),
    (SVMClassifier, "squared_hinge"),
    (SVMClassifier, "crammer_singer"),
    (SoftmaxClassifier, "cross_entropy"),
]
OPTIMIZERS = ["lbfgs", "gd", "sgd", "random_search", "random_local_search", "dual_cd"]
PENALTIES = ["l2", "l1"]
EXTREMES = [
    {"alpha": 0.0},
    {"alpha": 1e-300},
    {"alpha": 1e300},
    {"margin": 1e-200},
    {"margin": 1e200},
    {"max_iter": 1},
    {"tol": 0.0, "max_iter": 30},
    {"tol": 1e-300, "max_iter": 30},
    {"class_weight": "extreme"},
]


def _grid_cases():
    for (name, X, y, w), (Est, loss), opt, pen, extreme in itertools.product(
        list(_grid_data()), ESTIMATORS, OPTIMIZERS, PENALTIES, EXTREMES
    ):
        params = dict(
            loss=loss, optimizer=opt, penalty=pen, random_state=0, n_candidates=50
        )
        params.update(extreme)
        if "margin" in params and Est is SoftmaxClassifier:
            continue
        if params.get("class_weight") == "extreme":
            params["class_weight"] = {0: 1e300, 1: 1e-300, 2: 0.0}
        if opt == "sgd" and "max_iter" not in extreme:
            params["max_iter"] = 20
        yield f"grid:{name}:{extreme}", Est(**params), X, y, w


def main():
    t0 = time.perf_counter()
    warnings.filterwarnings("ignore", message=".*has no effect with optimizer=")
    warnings.filterwarnings("ignore", message="The number of unique classes")
    _property_cases()
    n_property = sum(tally.values())
    for source, est, X, y, w in _grid_cases():
        run_case(source, est, X, y, w)
    total = sum(tally.values())
    elapsed = time.perf_counter() - t0
    summary = {
        "total": total,
        "property_cases": n_property,
        "grid_cases": total - n_property,
        "seconds": round(elapsed, 1),
        "tally": dict(tally),
    }
    print(json.dumps(summary, indent=1))
    with open(OUT, "w") as f:
        json.dump({"summary": summary, "details": details}, f, indent=1)
    groups = collections.Counter((d["outcome"], d["info"][:100]) for d in details)
    for (outcome, info), n in groups.most_common(40):
        print(f"{n:4d}  {outcome}: {info}")


if __name__ == "__main__":
    main()
