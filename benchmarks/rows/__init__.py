"""The benchmark rows, one module each, in the order they run and are reported.

Every row module has ``NUMBER`` (the digit ``--rows`` selects it by),
``measure(workload)``, which runs the row's measurements on a
:class:`common.Workload` and returns plain data (numbers, strings, lists and
dicts of them), and ``report(data)``, which returns the row's report section
as a list of lines and its lines of the targets table as
``(row, target, measured, met)`` tuples (``met`` None where there is no
target).
"""

from . import (
    cv,
    dual_cd,
    float32,
    loss_gradient,
    memory,
    paths,
    random_search,
    scaling,
    sgd,
    shared,
    softmax,
    svm,
)

#: The order the rows run in, which is the order of their sections in the report.
ROWS = (
    softmax,
    loss_gradient,
    memory,
    random_search,
    scaling,
    svm,
    float32,
    shared,
    cv,
    dual_cd,
    sgd,
    paths,
)
