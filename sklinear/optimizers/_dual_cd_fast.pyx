# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
# cython: initializedcheck=False
r"""Compiled kernels of the dual coordinate-descent solver of the SVM losses.

One call of :func:`epoch` visits the samples of ``order`` once and, for each,
solves its block of the dual exactly (see :mod:`._dual_cd` for the problem).
Sample :math:`i` owns the dual variables :math:`\beta_{ij} \ge 0`,
:math:`j \ne y_i`, that enter the weights as
:math:`W = \sum_i x_i \eta_i^\top` with :math:`\eta_{ij} = -\beta_{ij}` and
:math:`\eta_{i y_i} = \sum_j \beta_{ij}`. With :math:`Q = \|x_i\|^2 + v^2`
and the current scores :math:`s = W^\top x_i + b`, the block problem in the
new values :math:`\beta'` is, up to a constant,

.. math::

    \min_{\beta'}\ \tfrac{Q}{2}\Big[\sum_j (\beta'_j - c_j)^2
    + \big(\textstyle\sum_j \beta'_j\big)^2\Big] + \rho(\beta'),
    \qquad c_j = \beta_j + \frac{s_j - s_{y_i} + \Delta}{Q}
    + \sum_l \beta_l ,

over the box :math:`[0, C_i]` (Weston-Watkins), the half-line with
:math:`\rho = \sum_j \beta_j'^2 / (4 C_i)` (squared hinge), or the simplex
:math:`\sum_j \beta'_j \le C_i` (Crammer-Singer). Its optimality conditions
make every :math:`\beta'_j` a clipped linear function of the total
:math:`T = \sum_j \beta'_j`, and :math:`T` the root of a decreasing
piecewise-linear function whose breakpoints are the sorted :math:`c_j`:
:func:`_solve_total` finds it exactly in one sort and one scan.

The rows of ``X`` are read as dense C-ordered rows or CSR rows, in float32 or
float64; the weights, scores and dual variables are float64.
"""

from libc.math cimport INFINITY, fabs
from libc.stdlib cimport free, malloc, qsort

cdef extern from *:
    """
    #if defined(__GNUC__) || defined(__clang__)
    #define SKLINEAR_PREFETCH(address) __builtin_prefetch(address)
    #else
    #define SKLINEAR_PREFETCH(address) ((void) 0)
    #endif
    """
    void SKLINEAR_PREFETCH(const void *address) noexcept nogil

ctypedef fused floating:
    float
    double

ctypedef fused index_t:
    int
    long long

cdef enum:
    INSERTION_SORT_MAX = 32

cdef enum:
    HINGE = 0
    SQUARED_HINGE = 1
    CRAMMER_SINGER = 2


cdef int _descending(const void *a, const void *b) noexcept nogil:
    cdef double x = (<const double *> a)[0]
    cdef double y = (<const double *> b)[0]
    return (x < y) - (x > y)


cdef inline void _sort_descending(
    const double *values, double *out, Py_ssize_t m,
) noexcept nogil:
    """``out`` = ``values`` sorted in descending order: by insertion for
    the few values of a typical block (no calls per comparison), else by
    ``qsort``."""
    cdef Py_ssize_t j, l
    cdef double value
    if m > INSERTION_SORT_MAX:
        for j in range(m):
            out[j] = values[j]
        qsort(out, m, sizeof(double), _descending)
        return
    for j in range(m):
        value = values[j]
        l = j
        while l > 0 and out[l - 1] < value:
            out[l] = out[l - 1]
            l -= 1
        out[l] = value


cdef double _solve_total(
    double *c, double *sorted_c, Py_ssize_t m, double gamma, double upper,
    double slope, double offset,
) noexcept nogil:
    r"""The root :math:`t` of :math:`\sum_j \mathrm{clip}(\gamma (c_j - t), 0,
    U) = a t + e` (``upper`` :math:`U` may be infinite, ``slope`` :math:`a`
    is 0 or 1).

    From :math:`t = +\infty` down, :math:`j` turns free below :math:`c_j` and
    capped below :math:`c_j - U / \gamma`; both lists are the sorted
    :math:`c` (the second shifted), merged on the way. Between breakpoints
    the left side is linear in :math:`t`, so the root is the first candidate
    of a segment that lies in it.
    """
    cdef Py_ssize_t j, free_at = 0, cap_at = 0, n_free = 0, n_cap = 0
    cdef double shift = upper / gamma, high = INFINITY, low, t, denom
    cdef double free_sum = 0.0
    _sort_descending(c, sorted_c, m)
    while True:
        low = -INFINITY
        if free_at < m:
            low = sorted_c[free_at]
        if cap_at < free_at and sorted_c[cap_at] - shift > low:
            low = sorted_c[cap_at] - shift
        denom = gamma * n_free + slope
        if denom > 0.0:
            t = (gamma * free_sum + (n_cap * upper if n_cap else 0.0) - offset) / denom
            if t >= low:
                return t if t < high else high
        if low == -INFINITY:
            return high  # unreachable for a root that exists
        # Cross the breakpoint `low`: a capping one first on ties.
        if cap_at < free_at and sorted_c[cap_at] - shift >= low:
            free_sum -= sorted_c[cap_at]
            n_free -= 1
            n_cap += 1
            cap_at += 1
        else:
            free_sum += sorted_c[free_at]
            n_free += 1
            free_at += 1
        high = low


cdef double _block(
    int loss, double *scores, double *beta, double *c, double *sorted_c,
    Py_ssize_t k, Py_ssize_t label, double q, double upper, double margin,
) noexcept nogil:
    """Solve the block of one sample; write its new dual variables into
    ``c`` (the label's entry 0) and return the largest change."""
    cdef Py_ssize_t j, m = 0
    cdef double total = 0.0, gain, t, new, change = 0.0, best = -INFINITY
    cdef Py_ssize_t best_j = -1
    for j in range(k):
        total += beta[j]
    if q <= 0.0:
        # A zero row: the block is linear (squared: separable) in beta.
        for j in range(k):
            gain = scores[j] - scores[label] + margin
            if j == label:
                new = 0.0
            elif loss == HINGE:
                new = upper if gain > 0.0 else 0.0
            elif loss == SQUARED_HINGE:
                new = 2.0 * upper * gain if gain > 0.0 else 0.0
            else:
                new = 0.0
                if gain > best:
                    best, best_j = gain, j
            c[j] = new
        if loss == CRAMMER_SINGER and best > 0.0:
            c[best_j] = upper
    else:
        for j in range(k):
            if j != label:
                c[m] = beta[j] + (scores[j] - scores[label] + margin) / q + total
                m += 1
        if loss == HINGE:
            t = _solve_total(c, sorted_c, m, 1.0, upper, 1.0, 0.0)
        elif loss == SQUARED_HINGE:
            t = _solve_total(
                c, sorted_c, m, q / (q + 0.5 / upper), INFINITY, 1.0, 0.0)
        else:
            t = _solve_total(c, sorted_c, m, 1.0, INFINITY, 1.0, 0.0)
            if t > upper:
                # The simplex is tight: the threshold now solves sum = C.
                t = _solve_total(c, sorted_c, m, 1.0, INFINITY, 0.0, upper)
        # Expand in place, from the end so that no unread c is overwritten.
        for j in range(k - 1, -1, -1):
            if j == label:
                c[j] = 0.0
                continue
            m -= 1
            if loss == SQUARED_HINGE:
                new = q / (q + 0.5 / upper) * (c[m] - t)
            else:
                new = c[m] - t
            if new < 0.0:
                new = 0.0
            elif loss == HINGE and new > upper:
                new = upper
            c[j] = new
    for j in range(k):
        if fabs(c[j] - beta[j]) > change:
            change = fabs(c[j] - beta[j])
    return change


cdef inline double _sample_loss(
    int loss, const double *scores, Py_ssize_t k, Py_ssize_t label, double margin,
) noexcept nogil:
    """:math:`L_i` of one sample's ``k`` scores (see :func:`primal_losses`)."""
    cdef Py_ssize_t j
    cdef double value = 0.0, hinge
    for j in range(k):
        if j == label:
            continue
        hinge = scores[j] - scores[label] + margin
        if hinge <= 0.0:
            continue
        if loss == HINGE:
            value += hinge
        elif loss == SQUARED_HINGE:
            value += hinge * hinge
        elif hinge > value:
            value = hinge
    return value


cdef enum:
    LINE = 64  # bytes of a cache line


cdef inline void _prefetch_row(
    const floating[:, ::1] dense, const floating[::1] data,
    const index_t[::1] indices, const index_t[::1] indptr, bint sparse,
    Py_ssize_t i,
) noexcept nogil:
    """Ask the cache for the stored values of CSR row ``i``."""
    cdef Py_ssize_t p, end
    if not sparse:
        return
    p, end = indptr[i], indptr[i + 1]
    while p < end:
        SKLINEAR_PREFETCH(&data[p])
        p += LINE // sizeof(floating)
    p = indptr[i]
    while p < end:
        SKLINEAR_PREFETCH(&indices[p])
        p += LINE // sizeof(index_t)


cdef inline void _prefetch_weights(
    const floating[:, ::1] dense, const floating[::1] data,
    const index_t[::1] indices, const index_t[::1] indptr, bint sparse,
    Py_ssize_t i, const double[:, ::1] W,
) noexcept nogil:
    """Ask the cache for the rows of ``W`` that CSR row ``i`` reads."""
    cdef Py_ssize_t p, c, width = W.shape[1] * sizeof(double)
    cdef const char *row
    if not sparse:
        return
    for p in range(indptr[i], indptr[i + 1]):
        row = <const char *> &W[indices[p], 0]
        c = 0
        while c < width:
            SKLINEAR_PREFETCH(row + c)
            c += LINE
        SKLINEAR_PREFETCH(row + width - 1)


cdef enum:
    SCORES_AT_ONCE = 4


cdef inline Py_ssize_t _first(
    const index_t[::1] indptr, bint sparse, Py_ssize_t i,
) noexcept nogil:
    """Where the stored entries of row ``i`` start (see :func:`_entry`)."""
    return indptr[i] if sparse else 0


cdef inline Py_ssize_t _end(
    const floating[:, ::1] dense, const index_t[::1] indptr, bint sparse,
    Py_ssize_t i,
) noexcept nogil:
    """Where the stored entries of row ``i`` end (see :func:`_entry`)."""
    return indptr[i + 1] if sparse else dense.shape[1]


cdef inline double _entry(
    const floating[:, ::1] dense, const floating[::1] data,
    const index_t[::1] indices, bint sparse, Py_ssize_t i, Py_ssize_t p,
    Py_ssize_t *feature,
) noexcept nogil:
    """The ``p``-th stored entry of row ``i`` and, in ``feature``, its
    column: a CSR row's ``p``-th stored value or a dense row's ``p``-th
    value. The callers skip a dense row's zeros, so that dense and CSR
    copies of the same data give the same bits."""
    if sparse:
        feature[0] = indices[p]
        return data[p]
    feature[0] = p
    return dense[i, p]


cdef inline void _add_scores(
    const floating[:, ::1] dense, const floating[::1] data,
    const index_t[::1] indices, const index_t[::1] indptr, bint sparse,
    Py_ssize_t i, const double[:, ::1] W, const int *classes,
    Py_ssize_t m, double *scores,
) noexcept nogil:
    """``scores[a] += x_i @ W[:, classes[a]]`` for ``a < m``, each sum taken
    over the features in order. Dense rows skip their zeros, so that dense
    and CSR copies of the same data give the same bits.

    The scores are summed ``SCORES_AT_ONCE`` at a time in local variables:
    summed in ``scores`` itself, each addition would wait on the store of
    the last (the compiler cannot rule out that ``scores`` aliases ``W``),
    and that wait was most of an epoch's time on dense rows.
    """
    cdef Py_ssize_t a = 0, r
    cdef int last[SCORES_AT_ONCE]
    cdef double sums[SCORES_AT_ONCE]
    while a + SCORES_AT_ONCE <= m:
        _add_four_scores(dense, data, indices, indptr, sparse, i, W,
                         classes + a, scores + a)
        a += SCORES_AT_ONCE
    if a < m:
        # The last one to three, padded with copies of the last class: one
        # pass whose extra sums are dropped costs less than a pass a class.
        for r in range(SCORES_AT_ONCE):
            last[r] = classes[a + r] if a + r < m else classes[m - 1]
            sums[r] = scores[a + r] if a + r < m else 0.0
        _add_four_scores(dense, data, indices, indptr, sparse, i, W, last, sums)
        for r in range(m - a):
            scores[a + r] = sums[r]


cdef inline void _add_four_scores(
    const floating[:, ::1] dense, const floating[::1] data,
    const index_t[::1] indices, const index_t[::1] indptr, bint sparse,
    Py_ssize_t i, const double[:, ::1] W, const int *classes, double *scores,
) noexcept nogil:
    """:func:`_add_scores` of the four classes ``classes[:4]``."""
    cdef Py_ssize_t p, f
    cdef Py_ssize_t c0 = classes[0], c1 = classes[1], c2 = classes[2]
    cdef Py_ssize_t c3 = classes[3]
    cdef double s0 = scores[0], s1 = scores[1], s2 = scores[2], s3 = scores[3]
    cdef double x
    cdef const double *row
    for p in range(_first(indptr, sparse, i), _end(dense, indptr, sparse, i)):
        x = _entry(dense, data, indices, sparse, i, p, &f)
        if x == 0.0 and not sparse:
            continue
        row = &W[f, 0]
        s0 += x * row[c0]
        s1 += x * row[c1]
        s2 += x * row[c2]
        s3 += x * row[c3]
    scores[0], scores[1], scores[2], scores[3] = s0, s1, s2, s3


cdef inline void _add_outer(
    const floating[:, ::1] dense, const floating[::1] data,
    const index_t[::1] indices, const index_t[::1] indptr, bint sparse,
    Py_ssize_t i, const double *vector, const int *classes,
    Py_ssize_t m, double[:, ::1] W,
) noexcept nogil:
    """``W[:, classes[a]] += x_i * vector[a]`` for ``a < m``, skipping zeros
    as :func:`_add_scores` (``classes`` increasing; all of them when ``m`` is
    the number of classes)."""
    cdef Py_ssize_t p, f, a, k = W.shape[1]
    cdef double x
    cdef double *row
    if m < k:
        # A few classes, four at a time from local variables (as the scores).
        a = 0
        while a < m:
            _add_outer_few(dense, data, indices, indptr, sparse, i, vector + a,
                           classes + a, m - a if m - a < SCORES_AT_ONCE
                           else SCORES_AT_ONCE, W)
            a += SCORES_AT_ONCE
    else:
        for p in range(_first(indptr, sparse, i), _end(dense, indptr, sparse, i)):
            x = _entry(dense, data, indices, sparse, i, p, &f)
            if x == 0.0 and not sparse:
                continue
            row = &W[f, 0]
            for a in range(k):  # contiguous: the loop vectorizes
                row[a] += x * vector[a]


cdef inline void _add_outer_few(
    const floating[:, ::1] dense, const floating[::1] data,
    const index_t[::1] indices, const index_t[::1] indptr, bint sparse,
    Py_ssize_t i, const double *vector, const int *classes, Py_ssize_t count,
    double[:, ::1] W,
) noexcept nogil:
    """:func:`_add_outer` of the ``count`` (1 to 4) classes ``classes``.
    The tests of ``count`` are the same for every row: the compiler takes
    them out of the loop."""
    cdef Py_ssize_t p, f
    cdef Py_ssize_t c0 = classes[0]
    cdef Py_ssize_t c1 = classes[1] if count > 1 else 0
    cdef Py_ssize_t c2 = classes[2] if count > 2 else 0
    cdef Py_ssize_t c3 = classes[3] if count > 3 else 0
    cdef double v0 = vector[0]
    cdef double v1 = vector[1] if count > 1 else 0.0
    cdef double v2 = vector[2] if count > 2 else 0.0
    cdef double v3 = vector[3] if count > 3 else 0.0
    cdef double x
    cdef double *row
    for p in range(_first(indptr, sparse, i), _end(dense, indptr, sparse, i)):
        x = _entry(dense, data, indices, sparse, i, p, &f)
        if x == 0.0 and not sparse:
            continue
        row = &W[f, 0]
        row[c0] += x * v0
        if count > 1:
            row[c1] += x * v1
        if count > 2:
            row[c2] += x * v2
        if count > 3:
            row[c3] += x * v3


def epoch(
    const floating[:, ::1] dense,
    const floating[::1] data,
    const index_t[::1] indices,
    const index_t[::1] indptr,
    bint sparse,
    const Py_ssize_t[::1] y,
    const double[::1] upper,
    const double[::1] sqnorm,
    double[:, ::1] beta,
    double[:, ::1] W,
    double[::1] b,
    double[::1] residual,
    const double[::1] offset,
    double intercept_scale,
    const Py_ssize_t[::1] order,
    int loss,
    double margin,
    unsigned char[:, ::1] active,
    double threshold,
    unsigned char[::1] keep,
):
    """Visit the samples ``order`` once, each solving its block exactly.

    Parameters
    ----------
    dense : float ndarray of shape (n_samples, n_features), C-ordered
        The rows, when ``sparse`` is false (else an empty array).
    data, indices, indptr : CSR arrays
        The rows, when ``sparse`` is true (else empty arrays).
    sparse : bool
        Which of the two holds the rows.
    y : intp ndarray of shape (n_samples,)
        Class indices.
    upper : float64 ndarray of shape (n_samples,)
        The bounds :math:`C_i`; a sample with bound 0 is skipped.
    sqnorm : float64 ndarray of shape (n_samples,)
        :math:`Q_i = \\|x_i\\|^2 + v^2`.
    beta : float64 ndarray of shape (n_samples, n_classes)
        Dual variables, ``beta[i, y[i]] == 0``; updated in place.
    W, b : float64 ndarrays
        ``V = X.T @ eta`` and the intercept; updated in place.
    residual : float64 ndarray of shape (n_classes,)
        :math:`z = \\sum_i \\eta_i`; updated in place.
    offset : float64 ndarray of shape (n_samples,)
        :math:`o_i = x_i^\\top \\mu`, for rows centred at :math:`\\mu`: the
        weights are then :math:`V - \\mu z^\\top` and the scores
        :math:`x_i^\\top V - o_i z + b` (all zeros: no centring).
    intercept_scale : float
        :math:`v^2 + \\|\\mu\\|^2`: a change ``delta`` of ``eta_i`` moves
        ``b`` by ``(intercept_scale - o_i) * delta`` (0 without an
        intercept).
    order : intp ndarray
        The samples to visit, in order.
    loss : int
        0 Weston-Watkins hinge, 1 squared hinge, 2 Crammer-Singer.
    margin : float
        :math:`\\Delta`.
    active : uint8 ndarray of shape (n_samples, n_classes)
        Whether each class of each sample is active (the label always is):
        the variables of the others are 0 and left alone. Updated in place
        (shrinking).
    threshold : float
        A variable that ends its visit at 0 although its gradient
        :math:`g_j = s_j - s_{y_i} + \\Delta` of the dual was below
        ``-threshold`` is made inactive (``inf``: none is).
    keep : uint8 ndarray of shape (n_samples,)
        Out: whether each visited sample moved or still has an active
        variable.

    Returns
    -------
    violation : float
        The largest :math:`Q_i \\|\\beta_i' - \\beta_i\\|_\\infty` of the
        visited samples: how far from optimal they were, in the units of
        the gradient.
    seen : float
        :math:`\\sum_i C_i L_i` over the visited samples with every class
        active, each at the scores its visit started from: in a full epoch,
        an estimate of the data term of the epoch's iterate that costs no
        pass over ``X`` (exact once the visits no longer move).
    """
    cdef Py_ssize_t k = W.shape[1], n_visit = order.shape[0]
    cdef Py_ssize_t t, i, a, m, label = 0, moved_count, remaining
    cdef double step, delta_sum, moved, violation = 0.0, seen = 0.0
    cdef double *scores = <double *> malloc(k * sizeof(double))
    cdef double *active_beta = <double *> malloc(k * sizeof(double))
    cdef double *new = <double *> malloc(k * sizeof(double))
    cdef double *sorted_c = <double *> malloc(k * sizeof(double))
    cdef double *delta = <double *> malloc(k * sizeof(double))
    cdef int *cls = <int *> malloc(k * sizeof(int))
    cdef int *touched = <int *> malloc(k * sizeof(int))
    if (not scores or not active_beta or not new or not sorted_c or not delta
            or not cls or not touched):
        free(scores); free(active_beta); free(new); free(sorted_c)
        free(delta); free(cls); free(touched)
        raise MemoryError()
    with nogil:
        for t in range(n_visit):
            i = order[t]
            # The order is random: ask for the next rows' data and weights
            # ahead, or every visit waits on memory.
            if t + 2 < n_visit:
                _prefetch_row(dense, data, indices, indptr, sparse, order[t + 2])
            if t + 1 < n_visit:
                _prefetch_weights(dense, data, indices, indptr, sparse, order[t + 1], W)
            if upper[i] <= 0.0:
                keep[i] = 0
                continue
            m = 0
            for a in range(k):
                if active[i, a]:
                    if a == y[i]:
                        label = m
                    cls[m] = a
                    scores[m] = b[a] - offset[i] * residual[a]
                    active_beta[m] = beta[i, a]
                    m += 1
            _add_scores(dense, data, indices, indptr, sparse, i, W, cls, m, scores)
            if m == k:
                seen += upper[i] * _sample_loss(loss, scores, k, label, margin)
            moved = _block(loss, scores, active_beta, new, sorted_c, m, label,
                           sqnorm[i], upper[i], margin)
            if moved * sqnorm[i] > violation:
                violation = moved * sqnorm[i]
            if moved > 0.0:
                # eta_i changes by delta: -dbeta off the label, +sum(dbeta)
                # on it; only the classes that moved touch W.
                delta_sum = 0.0
                for a in range(m):
                    delta_sum += new[a] - active_beta[a]
                # The classes that moved, in increasing order, as
                # _add_outer expects; the label's entry takes the total.
                moved_count = 0
                for a in range(m):
                    step = new[a] - active_beta[a]
                    if a == label or step != 0.0:
                        beta[i, cls[a]] = new[a]
                        delta[moved_count] = delta_sum if a == label else -step
                        touched[moved_count] = cls[a]
                        moved_count += 1
                for a in range(moved_count):
                    b[touched[a]] += (intercept_scale - offset[i]) * delta[a]
                    residual[touched[a]] += delta[a]
                _add_outer(dense, data, indices, indptr, sparse, i, delta,
                           touched, moved_count, W)
            remaining = 0
            for a in range(m):
                if a == label:
                    continue
                if new[a] == 0.0 and scores[a] - scores[label] + margin < -threshold:
                    active[i, cls[a]] = 0
                else:
                    remaining += 1
            keep[i] = moved > 0.0 or remaining > 0
    free(scores); free(active_beta); free(new); free(sorted_c); free(delta)
    free(cls); free(touched)
    return violation, seen


def primal_losses(
    const floating[:, ::1] dense,
    const floating[::1] data,
    const index_t[::1] indices,
    const index_t[::1] indptr,
    bint sparse,
    const Py_ssize_t[::1] y,
    const double[::1] weights,
    const double[:, ::1] W,
    const double[::1] b,
    int loss,
    double margin,
):
    r"""``sum_i weights[i] * L_i(W^T x_i + b)`` in float64, row by row.

    :math:`L_i` is :math:`\\sum_{j \\ne y_i} h_j` (Weston-Watkins),
    :math:`\\sum_{j \\ne y_i} h_j^2` (squared hinge) or
    :math:`\\max_{j \\ne y_i} h_j` (Crammer-Singer), with
    :math:`h_j = \\max(0, s_j - s_{y_i} + \\Delta)`. The scores are
    summed as :func:`epoch` sums them, in float64 whatever the dtype of the
    rows: the primal and the dual of a certificate carry the same rounding.
    """
    cdef Py_ssize_t n = y.shape[0], k = W.shape[1], i, j
    cdef double total = 0.0
    cdef double *scores = <double *> malloc(k * sizeof(double))
    cdef int *every = <int *> malloc(k * sizeof(int))
    if not scores or not every:
        free(scores); free(every)
        raise MemoryError()
    for j in range(k):
        every[j] = j
    with nogil:
        for i in range(n):
            if weights[i] == 0.0:
                continue
            for j in range(k):
                scores[j] = b[j]
            _add_scores(dense, data, indices, indptr, sparse, i, W, every, k, scores)
            total += weights[i] * _sample_loss(loss, scores, k, y[i], margin)
    free(scores); free(every)
    return total


def weights_of(
    const floating[:, ::1] dense,
    const floating[::1] data,
    const index_t[::1] indices,
    const index_t[::1] indptr,
    bint sparse,
    const double[:, ::1] eta,
    double[:, ::1] out,
    Py_ssize_t first=0,
):
    """``out += X[first:first + len(eta)].T @ eta`` in float64, row by row
    (no copy of X)."""
    cdef Py_ssize_t r, j, k = eta.shape[1]
    cdef int *every = <int *> malloc(k * sizeof(int))
    if not every:
        raise MemoryError()
    for j in range(k):
        every[j] = j
    with nogil:
        for r in range(eta.shape[0]):
            _add_outer(dense, data, indices, indptr, sparse, first + r,
                       &eta[r, 0], every, k, out)
    free(every)


def row_products(
    const floating[:, ::1] dense,
    const floating[::1] data,
    const index_t[::1] indices,
    const index_t[::1] indptr,
    bint sparse,
    const double[::1] centre,
    double[::1] sqnorm,
    double[::1] offset,
):
    """``sqnorm[i] = x_i @ x_i`` and ``offset[i] = x_i @ centre`` in float64.

    Dense rows skip their zeros, so dense and CSR copies of the same data
    give the same bits (as :func:`epoch` and :func:`weights_of` do).
    """
    cdef Py_ssize_t n = sqnorm.shape[0], i, p, f
    cdef double x, norm, dot
    with nogil:
        for i in range(n):
            norm = 0.0
            dot = 0.0
            for p in range(_first(indptr, sparse, i), _end(dense, indptr, sparse, i)):
                x = _entry(dense, data, indices, sparse, i, p, &f)
                if x == 0.0 and not sparse:
                    continue
                norm += x * x
                dot += x * centre[f]
            sqnorm[i] = norm
            offset[i] = dot


def class_flows(
    const Py_ssize_t[::1] y,
    const double[:, ::1] beta,
    double[:, ::1] flows,
):
    """``flows[y[i]] += beta[i]`` for each row ``i`` in order.

    The sums of ``np.add.at(flows, y, beta)``, bit for bit (each entry is
    summed over the rows in increasing order), without its per-row
    overhead: on many rows it was the costliest part of a certificate.
    """
    cdef Py_ssize_t i, j, k = beta.shape[1]
    with nogil:
        for i in range(beta.shape[0]):
            for j in range(k):
                flows[y[i], j] += beta[i, j]
