"""The two streams of the gallery, timed for one build of sklinear.

Issue 18's target 4 asks that dask-ml's ``Incremental`` and the streaming
gallery example run at least as fast as before its compiled SGD kernel. That
compares two builds of sklinear, not sklinear with scikit-learn, so it is not
a row of ``run.py``: this script times the sklinear it imports, and a
comparison alternates processes of the two builds::

    git worktree add /tmp/before dbb1652^
    (cd /tmp/before && python setup.py build_ext --inplace)
    for i in 1 2 3 4 5 6; do
        PYTHONPATH=/tmp/before python benchmarks/streams.py --repeats 5
        python benchmarks/streams.py --repeats 5
    done

Each process prints one JSON line: which ``sklinear`` it imported and, for
each stream, the median time of ``--repeats`` runs (after one untimed run)
and the test accuracy it reached, which must be the same for both builds.

- ``stream``: the streaming example's model (softmax, ``alpha=1e-3``,
  averaged SGD in mini-batches of 10, ``"invscaling"`` from step 1.0) fed
  the standardized digits' training split in batches of about 100 rows
  through ``partial_fit``, 10 passes.
- ``incremental``: the scaling-out example's stream, ``Incremental`` over
  averaged SGD in mini-batches of 16 on chunks of 200 rows of a Dask array,
  8 passes of ``Incremental.partial_fit``, on Dask's synchronous scheduler
  (a cluster adds the same overhead to both builds, and noise).
"""

import argparse
import json
import time
import warnings

import dask
import dask.array as da
import numpy as np
from dask_ml.wrappers import Incremental
from sklearn.datasets import load_digits
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

import sklinear
from sklinear import SoftmaxClassifier


def digits():
    """The examples' split: standardized digits, a quarter held out."""
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=0
    )
    scaler = StandardScaler().fit(X_train)
    return scaler.transform(X_train), scaler.transform(X_test), y_train, y_test


def stream(X_train, X_test, y_train, y_test):
    """The streaming example's ``partial_fit`` stream; its test accuracy."""
    classes = np.unique(y_train)
    batches = np.array_split(np.arange(len(y_train)), len(y_train) // 100)
    model = SoftmaxClassifier(
        alpha=1e-3,
        optimizer="sgd",
        batch_size=10,
        learning_rate=1.0,
        schedule="invscaling",
        average=True,
        random_state=0,
    )
    for _ in range(10):
        for batch in batches:
            model.partial_fit(X_train[batch], y_train[batch], classes=classes)
    return model.score(X_test, y_test)


def incremental(X_train, X_test, y_train, y_test):
    """The scaling-out example's ``Incremental`` stream; its test accuracy."""
    X_chunks = da.from_array(X_train, chunks=(200, -1))
    y_chunks = da.from_array(y_train, chunks=200)
    model = SoftmaxClassifier(
        alpha=1e-3, optimizer="sgd", average=True, batch_size=16, random_state=0
    )
    wrapped = Incremental(model, scoring="accuracy", random_state=0)
    for _ in range(8):
        wrapped.partial_fit(X_chunks, y_chunks, classes=np.unique(y_train))
    return wrapped.score(
        da.from_array(X_test, chunks=(200, -1)), da.from_array(y_test, chunks=200)
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    repeats = parser.parse_args().repeats
    data = digits()
    result = {"sklinear": sklinear.__file__}
    with warnings.catch_warnings(), dask.config.set(scheduler="synchronous"):
        warnings.simplefilter("ignore", ConvergenceWarning)
        for run in (stream, incremental):
            run(*data)  # imports, first-call allocations
            times = []
            for _ in range(repeats):
                start = time.perf_counter()
                accuracy = run(*data)
                times.append(time.perf_counter() - start)
            result[run.__name__] = {"median": np.median(times), "accuracy": accuracy}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
