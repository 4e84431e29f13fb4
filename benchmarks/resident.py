"""Peak resident memory of one fit, measured in a fresh process.

tracemalloc counts what NumPy asks for, not what the process holds: an
``np.zeros`` array that is only read costs no memory (its pages stay the
kernel's shared zero page), and BLAS workspaces and liblinear's own copies of
``X`` are not seen at all. This probe measures what the process holds instead,
so that scikit-learn's compiled solvers can be measured on the same footing:

1. build the data set (the generators of :mod:`rows.dual_cd`);
2. fit the estimator once on a small slice of it (fewer rows and features),
   so that imports, lazily built tables and first-call allocations happen
   before the measurement;
3. reset the kernel's high-water mark of the resident set
   (``/proc/self/clear_refs``, Linux), fit on the whole training split, and
   report ``VmHWM`` minus the resident size before the fit.

It runs with glibc's ``MALLOC_MMAP_THRESHOLD_`` fixed (set by
:func:`peak_resident`): large arrays are then mapped and unmapped, so a freed
array leaves the resident set at once, and the data generation's freed memory
cannot be reused unseen by the fit.

Usage: ``python resident.py SET ROWS ESTIMATOR``; prints a JSON object with
``peak`` (bytes), ``coef`` (bytes of the fitted ``coef_``) and ``nbytes``
(the size of X: its buffer, or CSR's data + indices + indptr).
"""

import json
import re
import sys
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from sklinear import SoftmaxClassifier, SVMClassifier

#: The regularisation of the softmax fits, and LogisticRegression's matching C.
ALPHA = 1e-4
#: Rows and at most features of the warm-up fit's slice.
WARM_ROWS, WARM_FEATURES = 300, 500

ESTIMATORS = {
    "SVMClassifier()": lambda n: SVMClassifier(),
    "LinearSVC()": lambda n: LinearSVC(),
    f"SoftmaxClassifier(alpha={ALPHA:g})": lambda n: SoftmaxClassifier(alpha=ALPHA),
    "LogisticRegression(same C)": lambda n: LogisticRegression(C=1 / (2 * n * ALPHA)),
}


def _resident(field):
    with open("/proc/self/status") as status:
        return int(re.search(rf"^{field}:\s+(\d+) kB", status.read(), re.M)[1]) * 1024


def main(name, rows, estimator):
    from rows.dual_cd import _nbytes, dense_set, text_set

    X, _, y, _ = {"text": text_set, "dense": dense_set}[name](int(rows))
    make = ESTIMATORS[estimator]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        make(WARM_ROWS).fit(X[:WARM_ROWS, :WARM_FEATURES], y[:WARM_ROWS])
        model = make(X.shape[0])
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")  # resets VmHWM to the current resident size
        before = _resident("VmRSS")
        model.fit(X, y)
        peak = _resident("VmHWM") - before
    coef = np.asarray(model.coef_).nbytes
    print(json.dumps({"peak": peak, "coef": coef, "nbytes": _nbytes(X)}))


if __name__ == "__main__":
    main(*sys.argv[1:])
