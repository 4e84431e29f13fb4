"""How many BLAS threads a fit uses: the one threading policy of the package.

On few shared cores a multi-threaded BLAS spends longer waking its threads
than computing a small product, and stalls outright when another process
holds a core. So products of fewer than :data:`SINGLE_THREAD_WORK`
multiply-adds run on one thread; larger ones keep BLAS's own threads. The
estimators wrap a whole fit in :func:`blas_threads`, and the evaluator
(:mod:`sklinear.objective`) splits exactly these small products into row
blocks, which is why the threshold lives here, once.

On sparse data the size of the products says nothing about BLAS: SciPy
multiplies a sparse ``X`` without it, and most optimizers then leave BLAS
only vector work on arrays of ``W``'s size, between whose calls its idle
threads spin and slow the fit's own thread. Fits on sparse data run BLAS on
one thread, unless the optimizer takes large products of its own
(``own_products`` below: L-BFGS's stored pairs; see the performance page).
"""

import functools
import threading
from contextlib import nullcontext

import scipy.sparse as sp
from threadpoolctl import OpenBLASController, ThreadpoolController  # with sklearn

__all__ = ["SINGLE_THREAD_WORK", "blas_threads"]

#: Below this many multiply-adds per product ``X @ W``, BLAS runs on one thread.
SINGLE_THREAD_WORK = 10_000_000


class _SingleThreadBlas:
    """A process-wide "BLAS on one thread" that concurrent fits can share.

    threadpoolctl's limit saves and restores a setting of the whole process,
    so two overlapping fits that each limit and restore would leave BLAS on one
    thread for good (the second saves the first's limit as the original). Here
    the first fit in sets the limit and the last one out restores it.

    The last one out may run in another thread than the first one in, and
    threadpoolctl (3.8 and later) lets only the thread that set OpenBLAS's
    process-wide limit change it while that thread lives. So the restore
    first releases OpenBLAS's control, and releases it again after, so that
    no thread keeps it once no fit runs.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._users = 0
        self._limit = None

    def __enter__(self):
        with self._lock:
            if self._users == 0:
                self._limit = _threadpool_controller().limit(limits=1, user_api="blas")
            self._users += 1

    def __exit__(self, *exc_info):
        with self._lock:
            self._users -= 1
            if self._users == 0:
                _release_openblas_control()
                self._limit.restore_original_limits()
                _release_openblas_control()
                self._limit = None


def _release_openblas_control():
    """Let any thread set OpenBLAS's limit next (a no-op before threadpoolctl 3.8)."""
    release = getattr(OpenBLASController, "clear_controlling_thread", None)
    if release is not None:
        release(force=True)


@functools.cache
def _threadpool_controller():
    # Built once: building one scans the loaded libraries, a large part of a
    # short partial_fit call.
    return ThreadpoolController()


_SINGLE_THREAD_BLAS = _SingleThreadBlas()


def blas_threads(X, n_columns, own_products=False):
    """A context in which BLAS runs on one thread if it has little to do.

    Parameters
    ----------
    X : ndarray or sparse matrix of shape (n_samples, n_features)
        The data of the products ``X @ W``.
    n_columns : int
        The width of ``W`` in a product: the number of classes, times the
        candidates scored per product by a random search.
    own_products : bool, default=False
        Whether the optimizer takes large BLAS products of its own, besides
        those with ``X``. Without them, a fit on sparse ``X`` runs BLAS on
        one thread whatever the size of ``X``.

    Returns
    -------
    context : context manager
    """
    n_samples, n_features = X.shape
    small = n_samples * n_features * n_columns < SINGLE_THREAD_WORK
    if small or (sp.issparse(X) and not own_products):
        return _SINGLE_THREAD_BLAS
    return nullcontext()
