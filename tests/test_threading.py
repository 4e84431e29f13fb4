"""Threads: fits running concurrently give the models of one-by-one fits, and
sklinear's BLAS thread limits leave the process's thread counts as they were."""

import multiprocessing
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

import numpy as np
import pytest
import scipy.sparse as sp
from sklearn.datasets import make_classification
from threadpoolctl import OpenBLASController, ThreadpoolController, threadpool_limits

from sklinear import SoftmaxClassifier, SVMClassifier
from sklinear._threading import SINGLE_THREAD_WORK
from sklinear.optimizers import OPTIMIZERS

from _bitwise import assert_bitwise_equal, fitted_arrays, multiclass

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

ESTIMATORS = [SVMClassifier, SoftmaxClassifier]
OPTIMIZER_NAMES = ["auto", *sorted(OPTIMIZERS)]
MULTICLASS = multiclass()


def _eight_estimators():
    """Both classifiers, every optimizer, each with its own seed and alpha."""
    names = [name for name in OPTIMIZER_NAMES if name != "auto"] * 2
    estimators = []
    for k, name in enumerate(names[:8]):
        Estimator = ESTIMATORS[k % 2]
        estimators.append(
            Estimator(
                optimizer=name,
                alpha=10.0 ** -(k % 4 + 1),
                random_state=k,
                max_iter=200,
                n_candidates=300,
            )
        )
    return estimators


def _blas_libraries():
    return ThreadpoolController().select(user_api="blas").lib_controllers


def _blas_threads():
    """The thread counts of the loaded BLAS libraries (process-wide settings)."""
    return [lib.num_threads for lib in _blas_libraries()]


@pytest.fixture
def restore_blas_threads():
    """Put the BLAS thread counts back as they were, whatever the test did.

    Not with ``ThreadpoolController().limit``: a limit held by this thread
    would make it threadpoolctl's "controlling thread" of OpenBLAS, and the
    limits the fits set in other threads would do nothing during the test.
    """
    before = _blas_threads()
    yield before
    for lib, num_threads in zip(_blas_libraries(), before, strict=True):
        if lib.num_threads != num_threads:
            lib.set_num_threads(num_threads)
    OpenBLASController.clear_controlling_thread()


@pytest.fixture
def overlapping_optimizers(monkeypatch):
    """Make the fits of 4 threads wait for each other inside the optimizer.

    Each optimizer call waits at a barrier of 4, so that 4 fits are in their
    optimizers (within sklinear's BLAS thread limit) at the same time: the
    test then exercises truly concurrent fits, however fast each one is.
    """
    barrier = threading.Barrier(4, timeout=30)
    for name, spec in OPTIMIZERS.items():

        def waiting(*args, _optimizer=spec.function, **kwargs):
            barrier.wait()
            return _optimizer(*args, **kwargs)

        monkeypatch.setitem(OPTIMIZERS, name, replace(spec, function=waiting))
    return barrier


@pytest.mark.usefixtures("restore_blas_threads")
@pytest.mark.parametrize("forced_overlap", [False, True], ids=["free", "barrier"])
def test_concurrent_fits_match_sequential_fits(forced_overlap, request):
    """4 threads fitting 8 estimators give the models of one-by-one fits."""
    X, y = MULTICLASS
    sequential = [
        fitted_arrays(estimator.fit(X, y), X) for estimator in _eight_estimators()
    ]
    if forced_overlap:
        request.getfixturevalue("overlapping_optimizers")

    def fit(estimator):
        return fitted_arrays(estimator.fit(X, y), X)

    with ThreadPoolExecutor(max_workers=4) as pool:
        concurrent = list(pool.map(fit, _eight_estimators()))
    for actual, expected in zip(concurrent, sequential, strict=True):
        assert_bitwise_equal(actual, expected)


def _shared_openblas_pool():
    """Whether some BLAS is OpenBLAS with its own (pthreads) pool of 2+ threads.

    Only there is a thread limit process-wide (an OpenMP build limits each
    thread on its own), and only with 2+ threads does a limit to one show.
    Other BLAS libraries may be loaded beside it (the test extras bring one
    on a single thread); the tests compare every library's count.
    """
    return any(
        lib.internal_api == "openblas"
        and lib.threading_layer == "pthreads"
        and lib.num_threads >= 2
        for lib in _blas_libraries()
    )


def test_concurrent_fits_restore_the_blas_thread_count(
    monkeypatch, restore_blas_threads
):
    """Overlapping fits leave the process's BLAS thread count as they found it.

    The interleaving is forced with events: fit A enters its BLAS limit, fit B
    enters its own, A finishes (restoring what it saved), then B finishes.
    """
    if not _shared_openblas_pool():
        pytest.skip("needs a pthreads OpenBLAS running 2 or more threads")
    a_inside, b_inside, a_done = (threading.Event() for _ in range(3))
    spec = OPTIMIZERS["lbfgs"]
    lbfgs = spec.function

    def ordered(*args, **kwargs):
        if threading.current_thread().name == "fit-a":
            a_inside.set()
            assert b_inside.wait(10)
        else:
            b_inside.set()
            assert a_done.wait(10)
        return lbfgs(*args, **kwargs)

    monkeypatch.setitem(OPTIMIZERS, "lbfgs", replace(spec, function=ordered))
    X, y = MULTICLASS
    errors = []

    def fit_a():
        try:
            SoftmaxClassifier(optimizer="lbfgs").fit(X, y)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            a_done.set()

    def fit_b():
        try:
            assert a_inside.wait(10)
            SoftmaxClassifier(optimizer="lbfgs").fit(X, y)
        except BaseException as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=fit_a, name="fit-a"),
        threading.Thread(target=fit_b, name="fit-b"),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    assert _blas_threads() == restore_blas_threads


def test_sequential_fits_restore_the_blas_thread_count(restore_blas_threads):
    """Without threads the limit is undone after each fit (the control case)."""
    X, y = MULTICLASS
    for estimator in _eight_estimators():
        estimator.fit(X, y)
    assert _blas_threads() == restore_blas_threads


def test_random_search_sizes_blas_threads_by_its_batched_products(
    monkeypatch, restore_blas_threads
):
    """The one-thread rule counts the width of the products a fit computes:
    on data where one candidate's product is small (1000 x 64 x 3) but 64
    candidates' together are not, random search keeps BLAS's threads and
    L-BFGS limits them to one."""
    before = restore_blas_threads
    if max(before, default=1) < 2:
        pytest.skip("needs a BLAS running 2 or more threads")
    seen = {}
    for name in ["random_search", "lbfgs"]:
        spec = OPTIMIZERS[name]

        def recording(*args, _name=name, _optimizer=spec.function, **kwargs):
            seen[_name] = _blas_threads()
            return _optimizer(*args, **kwargs)

        monkeypatch.setitem(OPTIMIZERS, name, replace(spec, function=recording))
    X, y = make_classification(
        n_samples=1000, n_features=64, n_informative=8, n_classes=3, random_state=0
    )
    assert 1000 * 64 * 3 < SINGLE_THREAD_WORK <= 1000 * 64 * 3 * 64
    SoftmaxClassifier(optimizer="random_search").fit(X, y)
    SoftmaxClassifier(optimizer="lbfgs").fit(X, y)
    assert seen == {"random_search": before, "lbfgs": [1] * len(before)}


def test_fits_on_sparse_data_run_blas_on_one_thread(monkeypatch, restore_blas_threads):
    """On sparse data every optimizer but those with large products of their
    own (the registry's ``own_products``: L-BFGS) limits BLAS to one thread
    however large ``X``; on the same data dense (above the one-thread rule
    here) all keep BLAS's threads."""
    before = restore_blas_threads
    if max(before, default=1) < 2:
        pytest.skip("needs a BLAS running 2 or more threads")
    seen, names = {}, ["random_search", "lbfgs", "gd", "dual_cd", "sgd"]
    for name in names:
        spec = OPTIMIZERS[name]

        def recording(objective, *args, _name=name, _optimizer=spec.function, **kw):
            sparse = sp.issparse(objective.problem.X)
            seen[_name, sparse] = _blas_threads()
            return _optimizer(objective, *args, **kw)

        monkeypatch.setitem(OPTIMIZERS, name, replace(spec, function=recording))
    X = sp.random(2000, 2000, density=0.01, format="csr", random_state=0)
    y = np.arange(2000) % 3
    assert 2000 * 2000 * 3 >= SINGLE_THREAD_WORK
    for data in (X, X.toarray()):
        for name in names:
            budget = (
                {"n_candidates": 64} if name == "random_search" else {"max_iter": 2}
            )
            SVMClassifier(optimizer=name, **budget).fit(data, y)
    one = [1] * len(before)
    assert [name for name in names if OPTIMIZERS[name].own_products] == ["lbfgs"]
    assert seen == {
        **{(name, True): before if name == "lbfgs" else one for name in names},
        **{(name, False): before for name in names},
    }


def test_threads_other_than_the_fits_can_still_limit_blas(restore_blas_threads):
    """After fits in several threads, the main thread's own limit takes effect:
    the fits' limits are set and restored on one worker thread, which gives
    OpenBLAS's control back when the last fit ends (threadpoolctl lets only
    one thread at a time change OpenBLAS's process-wide limit)."""
    if not _shared_openblas_pool():
        pytest.skip("needs a pthreads OpenBLAS running 2 or more threads")
    X, y = MULTICLASS
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(lambda est: est.fit(X, y), _eight_estimators()))
    assert _blas_threads() == restore_blas_threads
    with threadpool_limits(limits=1, user_api="blas"):
        assert _blas_threads() == [1] * len(restore_blas_threads)
    assert _blas_threads() == restore_blas_threads


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="needs fork"
)
def test_a_forked_process_fits_after_the_parent_did(restore_blas_threads):
    """A child forked after the parent's fits can fit too: the shared BLAS
    limit leaves no lock held and no thread in control of OpenBLAS behind
    (a version that set the limit on a worker thread hung here)."""
    X, y = MULTICLASS
    SoftmaxClassifier().fit(X, y)  # the parent's worker thread exists now
    context = multiprocessing.get_context("fork")
    with context.Pool(1) as pool:
        result = pool.apply_async(_fit_objective, (X, y))
        assert result.get(timeout=20) == SoftmaxClassifier().fit(X, y).objective_


def _fit_objective(X, y):
    return SoftmaxClassifier().fit(X, y).objective_
