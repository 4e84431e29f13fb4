"""
===================
Scaling out on Dask
===================

Two things outgrow one process: many fits (a hyperparameter search), and one
fit on more data than fits in memory. `Dask <https://www.dask.org>`_ helps with
both, with the ``dask`` extra installed (``pip install sklinear[dask]``).

* :class:`~sklearn.model_selection.GridSearchCV` hands its fits to joblib, and
  joblib's Dask backend sends them to the workers of a Dask cluster. The
  results are those of the serial search.
* dask-ml's :class:`~dask_ml.wrappers.Incremental` feeds the chunks of a
  :class:`dask.array.Array` one at a time to ``partial_fit`` of an
  ``optimizer="sgd"`` classifier, so that no process ever holds the whole
  training set.

The cluster here is a toy: two workers of one thread each, as threads of this
process, listening on the loopback interface only. With a real cluster, only
the line creating the :class:`~distributed.Client` changes, e.g.
``Client("tcp://scheduler-host:8786")``.
"""

import time

import dask.array as da
import joblib
import matplotlib.pyplot as plt
import numpy as np
from dask.distributed import Client, LocalCluster
from dask_ml.preprocessing import StandardScaler as DaskStandardScaler
from dask_ml.wrappers import Incremental
from sklearn.datasets import load_digits
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

from sklinear import SoftmaxClassifier

# %%
# A local cluster on loopback
# ---------------------------
# ``processes=False`` runs the workers as threads of this process: it starts
# in a fraction of a second, which suits an example. By default such a cluster
# talks ``inproc://`` and its HTTP servers listen on every network interface;
# ``protocol="tcp"`` with ``host="127.0.0.1"`` keeps every socket on loopback,
# and ``dashboard_address="127.0.0.1:0"`` puts the scheduler's HTTP server
# (started even without a dashboard) on a free loopback port instead of 8787,
# which another cluster on the machine may hold.
cluster = LocalCluster(
    n_workers=2,
    threads_per_worker=1,
    processes=False,
    protocol="tcp",
    host="127.0.0.1",
    dashboard_address="127.0.0.1:0",
)
client = Client(cluster)
print(f"scheduler at {client.scheduler.address}, workers:")
for address in client.scheduler_info()["workers"]:
    print(f"  {address}")

X, y = load_digits(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)

# %%
# A grid search on the cluster
# ----------------------------
# The search is the usual one; only the joblib backend differs. Inside
# :func:`joblib.parallel_config` with ``backend="dask"``, every fit-and-score
# of the search becomes a task of the cluster of the current client. The
# search then collects the scores as usual and refits the best model here.
alphas = np.logspace(-4, 0, 9)


def make_search():
    model = Pipeline([("scale", StandardScaler()), ("clf", SoftmaxClassifier())])
    return GridSearchCV(model, {"clf__alpha": alphas}, cv=5)


start = time.perf_counter()
serial = make_search().fit(X_train, y_train)
serial_time = time.perf_counter() - start

start = time.perf_counter()
with joblib.parallel_config(backend="dask"):
    on_dask = make_search().fit(X_train, y_train)
dask_time = time.perf_counter() - start

serial_scores = serial.cv_results_["mean_test_score"]
dask_scores = on_dask.cv_results_["mean_test_score"]
print(f"serial: {serial_time:.1f} s, on Dask: {dask_time:.1f} s")
print(f"max |score difference| = {np.abs(dask_scores - serial_scores).max():g}")
print(f"best alpha: serial {serial.best_params_['clf__alpha']:g}, ", end="")
print(f"on Dask {on_dask.best_params_['clf__alpha']:g}")

# %%
# The workers run the same code on the same data, with one BLAS thread, as
# sklinear does for products this small: the scores are equal, not just
# close. On two threads of one small machine the cluster saves no time; it
# pays off when each fit is long and the workers have cores of their own.
#
# Training chunk by chunk
# -----------------------
# Out-of-core data arrive as a Dask array, from files for example
# (:func:`dask.array.from_zarr`, or a Dask DataFrame read from Parquet and
# converted with ``to_dask_array(lengths=True)``). Here the digits stand in for
# them, cut into chunks of 200 rows. dask-ml's
# :class:`~dask_ml.preprocessing.StandardScaler` learns the means and
# variances chunk by chunk, and scales lazily.
X_train_chunks = da.from_array(X_train, chunks=(200, -1))
y_train_chunks = da.from_array(y_train, chunks=200)
X_test_chunks = da.from_array(X_test, chunks=(200, -1))
y_test_chunks = da.from_array(y_test, chunks=200)
scaler = DaskStandardScaler().fit(X_train_chunks)
X_train_chunks = scaler.transform(X_train_chunks)
X_test_chunks = scaler.transform(X_test_chunks)
print(f"{X_train_chunks.numblocks[0]} chunks of at most 200 rows")

# %%
# :meth:`Incremental.partial_fit <dask_ml.wrappers.Incremental.partial_fit>`
# calls ``partial_fit`` of the wrapped classifier on every chunk, one after the
# other, in an order drawn from ``random_state`` (the same order on every call
# when it is an integer), and keeps the result in ``estimator_``; the next call
# continues from there. So each call is one pass over the data.
# (:meth:`Incremental.fit <dask_ml.wrappers.Incremental.fit>` starts from a
# fresh copy instead: one pass only.) ``classes`` is required because a chunk
# need not hold every class. Averaged SGD in mini-batches of 16 rows converges
# on such a stream; the classifier gets the ``alpha`` chosen by the search.
best_alpha = on_dask.best_params_["clf__alpha"]
sgd = SoftmaxClassifier(
    alpha=best_alpha, optimizer="sgd", average=True, batch_size=16, random_state=0
)
stream = Incremental(sgd, scoring="accuracy", random_state=0)
classes = np.unique(y_train)
n_passes = 8
stream_accuracy = []
for _ in range(n_passes):
    stream.partial_fit(X_train_chunks, y_train_chunks, classes=classes)
    stream_accuracy.append(stream.score(X_test_chunks, y_test_chunks))

# %%
# For comparison, the in-memory fit (L-BFGS) of the same model on the NumPy
# arrays, which is what a search like the one above refits.
in_memory = on_dask.best_estimator_
in_memory_accuracy = in_memory.score(X_test, y_test)
print(f"in memory (L-BFGS): test accuracy {in_memory_accuracy:.3f}")
print(f"stream, {n_passes} passes: test accuracy {stream_accuracy[-1]:.3f}")

# %%
# Predictions on a Dask array are a Dask array too, computed chunk by chunk on
# the workers when asked for.
predictions = stream.predict(X_test_chunks)
print(predictions)
print(predictions[:10].compute(), y_test[:10])

# %%
# The validation curve of the search (left; the serial and the Dask scores
# coincide) and the test accuracy of the stream after each pass over the
# chunks (right).
fig, (ax_grid, ax_stream) = plt.subplots(1, 2, figsize=(11, 4.5))
ax_grid.semilogx(alphas, serial_scores, "o-", color="C0", label="serial")
ax_grid.semilogx(alphas, dask_scores, "x", color="C1", markersize=10, label="on Dask")
ax_grid.axvline(best_alpha, color="gray", linestyle=":", label="best alpha")
ax_grid.set(xlabel="alpha", ylabel="mean cross-validated accuracy")
ax_grid.set_title("GridSearchCV, serial and on Dask")
ax_grid.legend()

passes = np.arange(1, n_passes + 1)
ax_stream.plot(passes, stream_accuracy, "o-", color="C0", label="Incremental (SGD)")
ax_stream.axhline(
    in_memory_accuracy, color="k", linestyle="--", label="in memory (L-BFGS)"
)
ax_stream.set(xlabel="pass over the chunks", ylabel="test accuracy")
ax_stream.set_title("Training chunk by chunk")
ax_stream.legend(loc="lower right")
fig.tight_layout()
plt.show()

# %%
# Close the client and the cluster when done (or use both as context
# managers, ``with LocalCluster(...) as cluster, Client(cluster) as client:``).
client.close()
cluster.close()
