"""How many BLAS threads a fit uses: the one threading policy of the package.

On few shared cores a multi-threaded BLAS spends longer waking its threads
than computing a small product, and stalls outright when another process
holds a core. So products of fewer than :data:`SINGLE_THREAD_WORK`
multiply-adds run on one thread; larger ones keep BLAS's own threads. The
estimators wrap a whole fit in :func:`blas_threads`, and the evaluator
(:mod:`sklinear.objective`) splits exactly these small products into row
blocks, which is why the threshold lives here, once.
"""

import functools
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, nullcontext

from threadpoolctl import ThreadpoolController  # installed with scikit-learn

__all__ = ["SINGLE_THREAD_WORK", "blas_threads"]

#: Below this many multiply-adds per product ``X @ W``, BLAS runs on one thread.
SINGLE_THREAD_WORK = 10_000_000


class _SingleThreadBlas:
    """A process-wide "BLAS on one thread" that concurrent fits can share.

    threadpoolctl's limit saves and restores a setting of the whole process,
    so two overlapping fits that each limit and restore would leave BLAS on one
    thread for good (the second saves the first's limit as the original). Here
    the first fit in sets the limit and the last one out restores it.

    Both happen on one worker thread of sklinear's: threadpoolctl (3.8 and
    later) lets only the thread that set OpenBLAS's process-wide limit change
    it while that thread lives, so a restore from another fit's thread would
    be ignored and leave BLAS on one thread.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._users = 0
        # Entered as a context, the limit also hands OpenBLAS's control back
        # when it is restored.
        self._limit = ExitStack()
        self._worker = None

    def after_fork_in_child(self):
        """Start afresh: the worker thread does not survive a fork."""
        self.__init__()

    def _on_worker(self, function):
        if self._worker is None:
            self._worker = ThreadPoolExecutor(1, thread_name_prefix="sklinear-blas")
        return self._worker.submit(function).result()

    def _enter_limit(self):
        limit = _threadpool_controller().limit(limits=1, user_api="blas")
        self._limit.enter_context(limit)

    def __enter__(self):
        with self._lock:
            if self._users == 0:
                self._on_worker(self._enter_limit)
            self._users += 1

    def __exit__(self, *exc_info):
        with self._lock:
            self._users -= 1
            if self._users == 0:
                self._on_worker(self._limit.close)


@functools.cache
def _threadpool_controller():
    # Built once: building one scans the loaded libraries, a large part of a
    # short partial_fit call.
    return ThreadpoolController()


_SINGLE_THREAD_BLAS = _SingleThreadBlas()
if hasattr(os, "register_at_fork"):  # not on Windows, which does not fork
    os.register_at_fork(after_in_child=_SINGLE_THREAD_BLAS.after_fork_in_child)


def blas_threads(n_samples, n_features, n_columns):
    """A context in which BLAS runs on one thread if the products are small.

    Parameters
    ----------
    n_samples, n_features : int
        The shape of ``X``.
    n_columns : int
        The width of ``W`` in a product: the number of classes, times the
        candidates scored per product by a random search.

    Returns
    -------
    context : context manager
    """
    if n_samples * n_features * n_columns < SINGLE_THREAD_WORK:
        return _SINGLE_THREAD_BLAS
    return nullcontext()
