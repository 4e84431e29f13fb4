"""Scaling out on Dask: grid search through joblib's Dask backend, and
partial_fit over the chunks of a dask array with dask-ml's Incremental.

Skipped where the ``dask`` extra (dask, distributed, dask-ml) is not installed.
"""

import os

import joblib
import numpy as np
import pytest
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from sklinear import SoftmaxClassifier, SVMClassifier

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")
dask_ml_wrappers = pytest.importorskip("dask_ml.wrappers")
psutil = pytest.importorskip("psutil")  # a dependency of distributed

ESTIMATORS = [SVMClassifier, SoftmaxClassifier]
LOOPBACK = "127.0.0.1"
ALPHAS = [0.01, 0.03, 0.1, 0.3]
CHUNK_ROWS = 200
N_PASSES = 5


@pytest.fixture(scope="module")
def client():
    """A client of two single-threaded worker processes, all on loopback.

    On teardown it closes the client and the cluster, then checks that the
    worker processes are gone.
    """
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host=LOOPBACK,
        # The scheduler serves HTTP even without a dashboard (dask/distributed
        # issue 7207): with dashboard_address=None on the default port 8787,
        # where it warns "Port 8787 is already in use" when another cluster of
        # this shared machine holds it; ":0" would listen on all interfaces.
        # "127.0.0.1:0" takes a free port, on loopback: no warning to filter.
        dashboard_address=f"{LOOPBACK}:0",
    )
    client = distributed.Client(cluster)
    worker_pids = list(client.run(os.getpid).values())
    try:
        yield client
    finally:
        client.close()
        cluster.close()
    stray = [pid for pid in worker_pids if psutil.pid_exists(pid)]
    assert not stray, f"worker processes still running after close: {stray}"


@pytest.fixture(scope="module")
def digits():
    return load_digits(return_X_y=True)


def test_the_cluster_listens_on_loopback_only(client):
    """Scheduler, workers and their HTTP servers bind 127.0.0.1, nothing else."""
    worker_pids = client.run(os.getpid).values()
    assert len(worker_pids) == 2 and os.getpid() not in worker_pids
    listening = {
        (pid, connection.laddr.ip)
        for pid in [os.getpid(), *worker_pids]
        for connection in psutil.Process(pid).net_connections(kind="inet")
        if connection.status == psutil.CONN_LISTEN
    }
    assert {pid for pid, _ in listening} == {os.getpid(), *worker_pids}
    assert {ip for _, ip in listening} == {LOOPBACK}
    assert client.scheduler.address.startswith(f"tcp://{LOOPBACK}:")


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_grid_search_on_the_cluster_equals_the_serial_one(Estimator, client, digits):
    """GridSearchCV over alpha through joblib's Dask backend runs its fits on
    the workers and gives the serial results exactly."""
    X, y = digits

    def search():
        clf = Estimator(random_state=0)  # the same epochs' orders on both sides
        model = Pipeline([("scale", StandardScaler()), ("clf", clf)])
        return GridSearchCV(model, {"clf__alpha": ALPHAS}, cv=3)

    serial = search().fit(X, y)
    with (
        distributed.get_task_stream(client) as tasks,
        joblib.parallel_config(backend="dask"),
    ):
        on_dask = search().fit(X, y)

    workers = {task["worker"] for task in tasks.data}
    assert workers and workers <= set(client.scheduler_info()["workers"])
    np.testing.assert_array_equal(
        on_dask.cv_results_["mean_test_score"], serial.cv_results_["mean_test_score"]
    )
    assert on_dask.best_params_ == serial.best_params_


@pytest.mark.parametrize("Estimator", ESTIMATORS)
def test_incremental_over_chunks_reaches_the_in_memory_accuracy(
    Estimator, client, digits_split
):
    """Averaged SGD fed chunk by chunk by dask-ml's Incremental, N_PASSES
    passes, scores within 2 points of fit (L-BFGS) on the in-memory arrays."""
    X_train, X_test, y_train, y_test = digits_split
    in_memory = Estimator().fit(X_train, y_train).score(X_test, y_test)

    X_chunks = da.from_array(X_train, chunks=(CHUNK_ROWS, -1))
    y_chunks = da.from_array(y_train, chunks=CHUNK_ROWS)
    n_chunks = X_chunks.numblocks[0]
    assert n_chunks == 7
    sgd = Estimator(optimizer="sgd", average=True, batch_size=16, random_state=0)
    model = dask_ml_wrappers.Incremental(sgd, scoring="accuracy", random_state=0)
    # Incremental.fit starts from a fresh clone of sgd and makes one pass;
    # Incremental.partial_fit continues from estimator_: one more pass.
    with distributed.get_task_stream(client) as tasks:
        for _ in range(N_PASSES):
            model.partial_fit(X_chunks, y_chunks, classes=np.unique(y_train))

    assert tasks.data
    # One partial_fit call, one loss_curve_ entry, per chunk and pass.
    assert len(model.estimator_.loss_curve_) == N_PASSES * n_chunks
    accuracy = model.score(
        da.from_array(X_test, chunks=(CHUNK_ROWS, -1)),
        da.from_array(y_test, chunks=CHUNK_ROWS),
    )
    assert accuracy >= in_memory - 0.02
