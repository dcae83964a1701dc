package org.mlx4j.tests.spec;

import static org.mlx4j.core.MX.*;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.tests.spec.OpSpec.ShapeFamily;
import org.mlx4j.tests.spec.ShapeRefs.Dense;

/**
 * Op-spec rows of reductions (over several axis sets, with and without keepDims), var/std, all/any,
 * argmax/argmin, logsumexp and softmax, the scans, sorting (sort, argsort, topk, partition,
 * argpartition) and the numerics ops (clip, nanToNum, isclose, allclose, arrayEqual), with their
 * shape cases.
 *
 * <p>Ties: the REDUCE_3D cases repeat values only along axis 0 (the broadcast case), so the
 * order-based rows (sort, topk, partition, cummax, cummin) work along axes 1 and -1, where the
 * float64 gradient checks meet distinct random values. Low-precision value checks may meet ties;
 * there the rules are NumPy's: argmax/argmin give the first position, argsort is stable.
 *
 * <p>partition and argpartition define only part of their order. Their rows check the partition
 * property exactly without fixing the unspecified order: each side of the kth position is sorted
 * (with sort, which its own rows check) and the result compared with the fully sorted reference.
 * That equality holds if and only if the kth element is the kth smallest, nothing before it is
 * larger and nothing after it smaller. argpartition is also checked to be a permutation.
 */
final class ReductionRows {
    private ReductionRows() {}

    static final List<DType> BOOLISH = List.of(DType.BOOL, DType.INT32, DType.FLOAT32, DType.FLOAT16);
    static final List<DType> FLOATS_INT32 = List.of(DType.FLOAT32, DType.FLOAT64, DType.FLOAT16, DType.BFLOAT16, DType.INT32);

    // ------------------------------------------------------------------ row builders

    /** A row whose reference states its output dims (checked against the op's shape, as in {@link ShapeRows}). */
    static OpSpec row(String name, int arity, Function<Array[], Array> op, ShapeRows.Ref ref, double lo, double hi, List<DType> dtypes,
                      ShapeFamily f, int gradOrder) {
        OpSpec checked = ShapeRows.row(name, arity, op, ref, f, gradOrder);
        return new OpSpec(name, arity, op, checked.reference(), lo, hi, dtypes, f, gradOrder);
    }

    static OpSpec row1(String name, UnaryOperator<Array> op, Function<Dense, Dense> ref, double lo, double hi, List<DType> dtypes,
                       ShapeFamily f, int gradOrder) {
        return row(name, 1, a -> op.apply(a[0]), xs -> ref.apply(xs[0]), lo, hi, dtypes, f, gradOrder);
    }

    /** A float row over [-3, 3]. */
    static OpSpec row1(String name, UnaryOperator<Array> op, Function<Dense, Dense> ref, ShapeFamily f, int gradOrder) {
        return row1(name, op, ref, -3, 3, OpSpec.FLOATS, f, gradOrder);
    }

    /** {@code out}, after checking that its dtype is {@code t} (the references see values only). */
    static Array expect(DType t, Array out, String op) {
        if (out.dtype() != t) throw new AssertionError(op + ": expected dtype " + t.mlxName() + ", got " + out.dtype().mlxName());
        return out;
    }

    static int[] ax(int... a) { return a; }

    /** A norm's weight (1, 1.25, 1.5, 1.75, ...) or bias (-0.5, 0, 0.5, ...) for a last axis of {@code d}. */
    static double[] affine(int d, boolean weight) {
        double[] v = new double[d];
        for (int i = 0; i < d; i++) v[i] = weight ? 1 + (i % 4) * 0.25 : (i % 3) * 0.5 - 0.5;
        return v;
    }

    /** {@link #affine(int, boolean)} as an array of x's dtype, on x's device. */
    static Array affine(Array x, boolean weight) {
        int d = x.dim(-1);
        return toDevice(array(affine(d, weight), x.dtype(), d), x.device());
    }

    // ------------------------------------------------------------------ partition checks

    /**
     * {@code p} with the part before position kth and the part after it each sorted along the axis:
     * equal to {@code sort(x)} exactly when p is a partition of x around kth.
     */
    static Array sidesSorted(Array p, int kth, int axis) {
        int a = axis < 0 ? axis + p.ndim() : axis;
        int n = p.dim(a), k = kth < 0 ? kth + n : kth;
        return concatenate(new Array[] {sort(along(p, a, 0, k), a), along(p, a, k, k + 1), sort(along(p, a, k + 1, n), a)}, a);
    }

    /** Positions [from, to) of axis a. */
    static Array along(Array x, int a, int from, int to) {
        int[] start = new int[x.ndim()], stop = x.shape().toArray(), step = new int[x.ndim()];
        java.util.Arrays.fill(step, 1);
        start[a] = from;
        stop[a] = to;
        return slice(x, start, stop, step);
    }

    /** x with position 0 of the last axis set to -inf by a constant mask (no gradient reaches it). */
    static Array leadingNegInf(Array x) {
        int[] d = x.shape().toArray();
        boolean[] b = new boolean[ShapeRefs.count(d)];
        for (int i = 0; i < b.length; i++) b[i] = i % d[d.length - 1] == 0;
        Array ninf = toDevice(scalar(Double.NEGATIVE_INFINITY, x.dtype()), x.device());
        return where(toDevice(array(b, d), x.device()), ninf, x);
    }

    static Dense leadingNegInf(Dense x) {
        double[] v = x.v().clone();
        for (int i = 0; i < v.length; i++) if (i % x.dim(-1) == 0) v[i] = Double.NEGATIVE_INFINITY;
        return new Dense(v, x.d());
    }

    // ------------------------------------------------------------------ cases

    /** Row-major values from the row's domain; when {@code specials}, every third is NaN, +inf or -inf in turn. */
    static double[] values(Cases.Maker m, int n, boolean specials) {
        double[] v = new double[n];
        double[] sp = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int i = 0; i < n; i++) {
            v[i] = m.spec.lo() + m.rnd.nextDouble() * (m.spec.hi() - m.spec.lo());
            if (specials && i % 3 == 1) v[i] = sp[(i / 3) % 3];
        }
        return v;
    }

    /**
     * A dense array of n random values from the row's domain that are at least {@code (hi - lo) / (2n)}
     * apart (a random permutation of jittered grid points), so float64 inputs never come within the
     * gradient checks' step of a tie, even in the large case.
     */
    static Array distinct(Cases.Maker m, int... dims) {
        int n = ShapeRefs.count(dims);
        int[] perm = ShapeRefs.range(0, n);
        for (int i = n - 1; i > 0; i--) {
            int j = m.rnd.nextInt(i + 1), t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        double[] v = new double[n];
        double lo = m.spec.lo(), w = m.spec.hi() - m.spec.lo();
        for (int i = 0; i < n; i++) {
            double x = lo + w * (perm[i] + 0.25 + 0.5 * m.rnd.nextDouble()) / n;
            v[i] = m.dtype.isIntegral() ? Math.rint(x) : x;
        }
        return of(m, v, dims);
    }

    /** A dense array of the maker's dtype (dims () give a scalar). */
    static Array of(Cases.Maker m, double[] v, int... dims) { return reshape(array(v, m.dtype, v.length), dims); }

    /** A view {@code transpose(dense, perm)} whose logical row-major values are {@code v} with dims d. */
    static Array viewOf(Cases.Maker m, double[] v, int[] d, int... perm) {
        int n = d.length;
        int[] e = new int[n];
        for (int k = 0; k < n; k++) e[perm[k]] = d[k];
        double[] data = new double[v.length];
        int[] src = new int[n];
        for (int j = 0; j < v.length; j++) {
            int[] idx = ShapeRefs.unravel(j, d);
            for (int k = 0; k < n; k++) src[perm[k]] = idx[k];
            data[ShapeRefs.offset(src, e)] = v[j];
        }
        return transpose(of(m, data, e), perm);
    }

    /** isclose's default tolerance at a: {@code 1e-8 + 1e-5 * |a|}. */
    static double thr(double a) { return 1e-8 + 1e-5 * Math.abs(a); }

    /**
     * b near a: offsets of {@code mult[i % mult.length]} default tolerances, each far enough from 1
     * (and from 1000, for the rtol 1e-2 row) that rounding cannot move it across the threshold.
     */
    static double[] near(double[] a, double... mult) {
        double[] b = new double[a.length];
        for (int i = 0; i < a.length; i++) b[i] = a[i] + mult[i % mult.length] * thr(a[i]);
        return b;
    }

    static final double[] MIXED = {0, 0.3, -3, 30, -300, 3000};
    static final double[] CLOSE = {0, 0.3, -0.3};

    private static Cases.Case one(String name, Function<Cases.Maker, Array> f) {
        return new Cases.Case(name, m -> new Array[] {f.apply(m)}, false);
    }

    private static Cases.Case pair(String name, Function<Cases.Maker, Array[]> f) { return new Cases.Case(name, f, false); }

    /** The cases of this file's families. */
    static List<Cases.Case> cases(ShapeFamily f) {
        List<Cases.Case> c = new ArrayList<>();
        switch (f) {
            case REDUCE_3D, REDUCE_3D_NONEMPTY -> {
                c.add(one("3d(2,3,4)", m -> distinct(m, 2, 3, 4)));
                c.add(one("permuted(2,3,4)", m -> transpose(distinct(m, 4, 2, 3), 1, 2, 0)));
                // an offset and a step of 2 on the last axis
                c.add(one("strided(2,3,4)", m -> slice(distinct(m, 2, 3, 9), ax(0, 0, 1), ax(2, 3, 9), ax(1, 1, 2))));
                // negative strides on axes 0 and 2
                c.add(one("reversed(2,3,4)", m -> slice(distinct(m, 2, 3, 4), ax(1, 0, 3), ax(-1, 3, -1), ax(-1, 1, -1))));
                c.add(one("unitAxis(2,1,4)", m -> transpose(distinct(m, 4, 1, 2))));
                // repeats along axis 0 only: the order-based rows work along the other axes
                c.add(one("broadcast(1,3,4)->(2,3,4)", m -> broadcastTo(distinct(m, 1, 3, 4), 2, 3, 4)));
                if (f == ShapeFamily.REDUCE_3D) c.add(new Cases.Case("empty(2,0,4)", m -> new Array[] {m.make(2, 0, 4)}, true));
                // above the kernels' parallel grain (2^14 elements), with short axes 1 and 2 so float32 scans stay accurate
                c.add(one("largePermuted(64,16,20)", m -> transpose(distinct(m, 20, 64, 16), 1, 2, 0)));
            }
            case NONFINITE -> {
                c.add(one("specials(9)", m -> of(m, values(m, 9, true), 9)));
                c.add(one("specialsTransposed(4,3)", m -> transpose(of(m, values(m, 12, true), 3, 4))));
                c.add(one("broadcastSpecials(1,6)->(3,6)", m -> broadcastTo(of(m, values(m, 6, true), 1, 6), 3, 6)));
                c.add(one("scalarNaN", m -> of(m, new double[] {Double.NaN})));
                c.add(one("scalar-inf", m -> of(m, new double[] {Double.NEGATIVE_INFINITY})));
                c.add(one("finite(3,4)", m -> of(m, values(m, 12, false), 3, 4)));
                c.add(new Cases.Case("empty(0,3)", m -> new Array[] {m.make(0, 3)}, true));
            }
            case CLOSE_PAIRS -> {
                c.add(pair("(3,4),near(3,4)", m -> {
                    double[] a = values(m, 12, false);
                    return new Array[] {of(m, a, 3, 4), of(m, near(a, MIXED), 3, 4)};
                }));
                c.add(pair("transposed(4,3),near(4,3)", m -> {
                    double[] a = values(m, 12, false);
                    return new Array[] {viewOf(m, a, ax(4, 3), 1, 0), of(m, near(a, MIXED), 4, 3)};
                }));
                c.add(pair("(7),allNearReversed(7)", m -> {
                    double[] a = values(m, 7, false), b = near(a, CLOSE), rb = new double[7];
                    for (int i = 0; i < 7; i++) rb[i] = b[6 - i];
                    return new Array[] {of(m, a, 7), slice(of(m, rb, 7), ax(6), ax(-1), ax(-1))};
                }));
                c.add(pair("permuted(2,3,4),equal(2,3,4)", m -> {
                    double[] a = values(m, 24, false);
                    return new Array[] {viewOf(m, a, ax(2, 3, 4), 1, 2, 0), of(m, a, 2, 3, 4)};
                }));
                c.add(pair("(4),near(3,4)", m -> {
                    double[] a = values(m, 4, false), b = new double[12];
                    for (int i = 0; i < 12; i++) b[i] = a[i % 4] + MIXED[i % 5] * thr(a[i % 4]);
                    return new Array[] {of(m, a, 4), of(m, b, 3, 4)};
                }));
                c.add(pair("specials(8),(8)", m -> {
                    double nan = Double.NaN, inf = Double.POSITIVE_INFINITY;
                    return new Array[] {of(m, new double[] {nan, nan, inf, inf, -inf, 1, inf, 2}, 8),
                            of(m, new double[] {nan, 1, inf, -inf, -inf, nan, 5, 2}, 8)};
                }));
                c.add(pair("nans(2,3),equal(2,3)", m -> {
                    double[] a = values(m, 6, false);
                    a[1] = a[4] = Double.NaN;
                    return new Array[] {of(m, a, 2, 3), of(m, a.clone(), 2, 3)};
                }));
                c.add(new Cases.Case("empty(0,3),(0,3)", m -> new Array[] {m.make(0, 3), m.make(0, 3)}, true));
                c.add(pair("scalar,nearScalar", m -> {
                    double[] a = values(m, 1, false);
                    return new Array[] {of(m, a), of(m, near(a, 0.3))};
                }));
            }
            default -> throw new IllegalArgumentException("not a family of ReductionRows: " + f);
        }
        return c;
    }

    // ------------------------------------------------------------------ rows

    /** Every row of this file. */
    static List<OpSpec> rows() {
        List<OpSpec> r = new ArrayList<>();
        ShapeFamily r3 = ShapeFamily.REDUCE_3D, full = ShapeFamily.REDUCE_3D_NONEMPTY;
        List<DType> fl = OpSpec.FLOATS;

        // ---- sum, prod, max, min, mean over axis sets (several, negative, unsorted, all), keepDims both ways.
        // Sums and means take a domain off zero: the table's tolerance is relative to the result, and a float32
        // sum of 20480 values that cancels to near zero keeps an absolute rounding error of about 1e-5.
        r.add(row1("sum.axes0,2", x -> sum(x, 0, 2), x -> ReductionRefs.sum(x, ax(0, 2), false), -1, 3, fl, r3, 2));
        r.add(row1("sum.axes-1,-2.keepDims", x -> sum(x, ax(-1, -2), true), x -> ReductionRefs.sum(x, ax(-1, -2), true), -1, 3, fl, r3, 2));
        r.add(row1("sum.axis1.keepDims", x -> sum(x, ax(1), true), x -> ReductionRefs.sum(x, ax(1), true), -1, 3, fl, r3, 2));
        r.add(row1("sum.axes2,0,1.keepDims", x -> sum(x, ax(2, 0, 1), true), x -> ReductionRefs.sum(x, null, true), -1, 3, fl, r3, 2));
        r.add(row1("sum.int.axes0,2", x -> sum(x, 0, 2), x -> ReductionRefs.sum(x, ax(0, 2), false), -50, 50, OpSpec.INTS, r3, 0));
        r.add(row1("sum.bool.axis-1", x -> expect(DType.INT32, sum(x, -1), "sum of bool"), x -> ReductionRefs.sum(x, ax(-1), false),
                -1.4, 1.4, List.of(DType.BOOL), r3, 0));
        // products of up to 1280 values: a domain around 1 in magnitude keeps them in range
        r.add(row1("prod.axes0,2", x -> prod(x, 0, 2), x -> ReductionRefs.reduce(x, ax(0, 2), false, 1, (a, b) -> a * b), -1.5, 1.5, fl, r3, 2));
        r.add(row1("prod.axis-2.keepDims", x -> prod(x, ax(-2), true), x -> ReductionRefs.reduce(x, ax(-2), true, 1, (a, b) -> a * b),
                -1.5, 1.5, fl, r3, 2));
        r.add(row1("prod.all", x -> prod(x), x -> ReductionRefs.reduce(x, null, false, 1, (a, b) -> a * b), -1.5, 1.5, fl, r3, 2));
        double ninf = Double.NEGATIVE_INFINITY, pinf = Double.POSITIVE_INFINITY;
        r.add(row1("max.axes0,2.keepDims", x -> max(x, ax(0, 2), true), x -> ReductionRefs.reduce(x, ax(0, 2), true, ninf, Math::max), full, 1));
        r.add(row1("max.axes-1,-2", x -> max(x, -1, -2), x -> ReductionRefs.reduce(x, ax(-1, -2), false, ninf, Math::max), full, 1));
        r.add(row1("max.all", x -> max(x), x -> ReductionRefs.reduce(x, null, false, ninf, Math::max), full, 1));
        r.add(row1("max.int.axis-1", x -> max(x, -1), x -> ReductionRefs.reduce(x, ax(-1), false, ninf, Math::max), -50, 50, OpSpec.INTS, full, 0));
        r.add(row1("min.axes-3,-1.keepDims", x -> min(x, ax(-3, -1), true), x -> ReductionRefs.reduce(x, ax(-3, -1), true, pinf, Math::min), full, 1));
        r.add(row1("min.axis1", x -> min(x, 1), x -> ReductionRefs.reduce(x, ax(1), false, pinf, Math::min), full, 1));
        r.add(row1("min.all.keepDims", x -> min(x, ax(0, 1, 2), true), x -> ReductionRefs.reduce(x, null, true, pinf, Math::min), full, 1));
        r.add(row1("mean.axes0,2", x -> mean(x, 0, 2), x -> ReductionRefs.mean(x, ax(0, 2), false), -1, 3, fl, r3, 2));
        r.add(row1("mean.axis-1.keepDims", x -> mean(x, ax(-1), true), x -> ReductionRefs.mean(x, ax(-1), true), -1, 3, fl, r3, 2));
        r.add(row1("mean.all", x -> mean(x), x -> ReductionRefs.mean(x, null, false), -1, 3, fl, r3, 2));
        r.add(row1("mean.int.axis1", x -> expect(DType.FLOAT32, mean(x, 1), "mean of int"), x -> ReductionRefs.mean(x, ax(1), false), -50, 50,
                OpSpec.INTS, r3, 0));

        // ---- var and std: every reduced group of a non-empty case has 2+ elements (ddof 1 divides by n - 1)
        r.add(row1("var.axis-1", x -> var(x, -1), x -> ReductionRefs.var(x, ax(-1), false, 0), r3, 2));
        r.add(row1("var.axes0,2.ddof1.keepDims", x -> var(x, ax(0, 2), true, 1), x -> ReductionRefs.var(x, ax(0, 2), true, 1), r3, 2));
        r.add(row1("var.all.ddof1", x -> var(x, ax(0, 1, 2), false, 1), x -> ReductionRefs.var(x, null, false, 1), r3, 2));
        r.add(row1("std.axis-1.keepDims", x -> std(x, ax(-1), true, 0), x -> ReductionRefs.std(x, ax(-1), true, 0), r3, 2));
        r.add(row1("std.axes0,1.ddof1", x -> std(x, ax(0, 1), false, 1), x -> ReductionRefs.std(x, ax(0, 1), false, 1), r3, 2));
        r.add(row1("std.all", x -> std(x), x -> ReductionRefs.std(x, null, false, 0), r3, 2));

        // ---- all, any: a third of the integer and bool inputs are zero in all's [-1.4, 1.4], five eighths in any's [-0.8, 0.8]
        UnaryOperator<Dense> nz = x -> ReductionRefs.map(x, v -> OpSpecTable.b(v != 0));
        r.add(row1("all.axis1", x -> expect(DType.BOOL, all(x, 1), "all"), x -> ReductionRefs.reduce(nz.apply(x), ax(1), false, 1, Math::min),
                -1.4, 1.4, BOOLISH, r3, 0));
        r.add(row1("all.axes0,2.keepDims", x -> expect(DType.BOOL, all(x, ax(0, 2), true), "all"),
                x -> ReductionRefs.reduce(nz.apply(x), ax(0, 2), true, 1, Math::min), -1.4, 1.4, BOOLISH, r3, 0));
        r.add(row1("all.all", x -> expect(DType.BOOL, all(x), "all"), x -> ReductionRefs.reduce(nz.apply(x), null, false, 1, Math::min),
                -1.4, 1.4, BOOLISH, r3, 0));
        r.add(row1("any.axis-1.keepDims", x -> expect(DType.BOOL, any(x, ax(-1), true), "any"),
                x -> ReductionRefs.reduce(nz.apply(x), ax(-1), true, 0, Math::max), -0.8, 0.8, BOOLISH, r3, 0));
        r.add(row1("any.axes0,1", x -> expect(DType.BOOL, any(x, 0, 1), "any"), x -> ReductionRefs.reduce(nz.apply(x), ax(0, 1), false, 0, Math::max),
                -0.8, 0.8, BOOLISH, r3, 0));
        r.add(row1("any.all", x -> expect(DType.BOOL, any(x), "any"), x -> ReductionRefs.reduce(nz.apply(x), null, false, 0, Math::max),
                -0.8, 0.8, BOOLISH, r3, 0));

        // ---- argmax, argmin (uint32; int32 inputs in [-3, 3] tie often: the first position wins)
        r.add(row1("argmax.axis-1", x -> expect(DType.UINT32, argmax(x, -1, false), "argmax"), x -> ReductionRefs.argReduce(x, -1, false, true),
                -3, 3, FLOATS_INT32, full, 0));
        r.add(row1("argmax.axis0.keepDims", x -> expect(DType.UINT32, argmax(x, 0, true), "argmax"), x -> ReductionRefs.argReduce(x, 0, true, true),
                -3, 3, FLOATS_INT32, full, 0));
        r.add(row1("argmax.flat", x -> expect(DType.UINT32, argmax(x), "argmax"), x -> ReductionRefs.argReduce(x, null, false, true),
                -3, 3, FLOATS_INT32, full, 0));
        r.add(row1("argmin.axis1", x -> expect(DType.UINT32, argmin(x, 1, false), "argmin"), x -> ReductionRefs.argReduce(x, 1, false, false),
                -3, 3, FLOATS_INT32, full, 0));
        r.add(row1("argmin.axis-3.keepDims", x -> expect(DType.UINT32, argmin(x, -3, true), "argmin"),
                x -> ReductionRefs.argReduce(x, -3, true, false), -3, 3, FLOATS_INT32, full, 0));
        r.add(row1("argmin.flat", x -> expect(DType.UINT32, argmin(x), "argmin"), x -> ReductionRefs.argReduce(x, null, false, false),
                -3, 3, FLOATS_INT32, full, 0));

        // ---- logsumexp, softmax, logSoftmax
        r.add(row1("logsumexp.axis-1", x -> logsumexp(x, -1), x -> ReductionRefs.logsumexp(x, ax(-1), false), r3, 2));
        r.add(row1("logsumexp.axes0,2.keepDims", x -> logsumexp(x, ax(0, 2), true), x -> ReductionRefs.logsumexp(x, ax(0, 2), true), r3, 2));
        r.add(row1("logsumexp.axes1,-3", x -> logsumexp(x, 1, -3), x -> ReductionRefs.logsumexp(x, ax(1, -3), false), r3, 2));
        r.add(row1("logsumexp.all", x -> logsumexp(x), x -> ReductionRefs.logsumexp(x, null, false), r3, 2));
        r.add(row1("softmax.axis-1", x -> softmax(x, -1), x -> ReductionRefs.softmax(x, ax(-1), false), r3, 2));
        r.add(row1("softmax.axis0", x -> softmax(x, 0), x -> ReductionRefs.softmax(x, ax(0), false), r3, 2));
        r.add(row1("softmax.axes0,2", x -> softmax(x, 0, 2), x -> ReductionRefs.softmax(x, ax(0, 2), false), r3, 2));
        r.add(row1("logSoftmax.axis-1", x -> logSoftmax(x, -1), x -> ReductionRefs.softmax(x, ax(-1), true), r3, 2));
        r.add(row1("logSoftmax.axis0", x -> logSoftmax(x, 0), x -> ReductionRefs.softmax(x, ax(0), true), r3, 2));

        // ---- layerNorm, rmsNorm over the last axis; the affine rows' weight and bias are exact in every float dtype
        r.add(row1("layerNorm", x -> layerNorm(x, null, null, 1e-5), x -> ReductionRefs.norm(x, true, 1e-5, null, null), r3, 2));
        r.add(row1("layerNorm.affine", x -> layerNorm(x, affine(x, true), affine(x, false), 1e-3),
                x -> ReductionRefs.norm(x, true, 1e-3, affine(x.d()[x.ndim() - 1], true), affine(x.d()[x.ndim() - 1], false)), r3, 2));
        r.add(row1("rmsNorm", x -> rmsNorm(x, null, 1e-6), x -> ReductionRefs.norm(x, false, 1e-6, null, null), r3, 2));
        r.add(row1("rmsNorm.weight", x -> rmsNorm(x, affine(x, true), 1e-5),
                x -> ReductionRefs.norm(x, false, 1e-5, affine(x.d()[x.ndim() - 1], true), null), r3, 2));

        // ---- scans: forward and reverse, inclusive and exclusive, along axes -1 and 1
        scans(r, "cumsum", (x, a, rev, inc) -> cumsum(x, a, rev, inc), 0, Double::sum, -3, 3, 2);
        scans(r, "cumprod", (x, a, rev, inc) -> cumprod(x, a, rev, inc), 1, (a, b) -> a * b, -1.5, 1.5, 2);
        scans(r, "cummax", (x, a, rev, inc) -> cummax(x, a, rev, inc), ninf, Math::max, -3, 3, 1);
        scans(r, "cummin", (x, a, rev, inc) -> cummin(x, a, rev, inc), pinf, Math::min, -3, 3, 1);
        scans(r, "logcumsumexp", (x, a, rev, inc) -> logcumsumexp(x, a, rev, inc), ninf, ReductionRefs::logaddexp, -3, 3, 2);
        // -inf at the start of each line (masked logits): the running value is -inf there, and stays finite after
        for (boolean inc : new boolean[] {true, false}) {
            r.add(row1("logcumsumexp.axis-1.leadingNegInf" + (inc ? "" : ".exclusive"), x -> logcumsumexp(leadingNegInf(x), -1, false, inc),
                    x -> ReductionRefs.scan(leadingNegInf(x), -1, false, inc, ninf, ReductionRefs::logaddexp), r3, 2));
        }
        // the flattened forms (a scalar becomes a vector of one)
        ShapeFamily un = ShapeFamily.UNARY;
        r.add(row1("cumsum.flat", x -> cumsum(x), x -> ReductionRefs.scan(x, null, false, true, 0, Double::sum), un, 2));
        r.add(row1("cumprod.flat", x -> cumprod(x), x -> ReductionRefs.scan(x, null, false, true, 1, (a, b) -> a * b), -1.5, 1.5, fl, un, 2));
        r.add(row1("logcumsumexp.flat", x -> logcumsumexp(x), x -> ReductionRefs.scan(x, null, false, true, ninf, ReductionRefs::logaddexp), un, 2));
        r.add(row1("cumsum.int.axis-1.reverse", x -> cumsum(x, -1, true, true), x -> ReductionRefs.scan(x, -1, true, true, 0, Double::sum),
                -50, 50, List.of(DType.INT32, DType.INT64), r3, 0));
        r.add(row1("cummax.int.axis1.exclusive", x -> cummax(x, 1, false, false),
                x -> ReductionRefs.scan(x, 1, false, false, Integer.MIN_VALUE, Math::max), -50, 50, List.of(DType.INT32), r3, 0));

        // ---- sort, argsort, topk along axes -1 and 1, and by default (the last axis) over the SHAPE_ND ranks. Those cases
        // hold plain random values (near-ties likely somewhere in 67 lines of 300), so the default rows (here and for
        // partition) check values only; the axis rows on distinct values check the gradients.
        ShapeFamily nd = ShapeFamily.SHAPE_ND;
        r.add(row1("sort.axis-1", x -> sort(x, -1), x -> ReductionRefs.sort(x, -1, false), -3, 3, FLOATS_INT32, r3, 1));
        r.add(row1("sort.axis1", x -> sort(x, 1), x -> ReductionRefs.sort(x, 1, false), -3, 3, FLOATS_INT32, r3, 1));
        r.add(row1("sort.default", x -> sort(x), x -> ReductionRefs.sort(x, -1, false), -3, 3, FLOATS_INT32, nd, 0));
        r.add(row1("argsort.axis-1", x -> expect(DType.UINT32, argsort(x, -1), "argsort"), x -> ReductionRefs.sort(x, -1, true),
                -3, 3, FLOATS_INT32, r3, 0));
        r.add(row1("argsort.axis1", x -> expect(DType.UINT32, argsort(x, 1), "argsort"), x -> ReductionRefs.sort(x, 1, true),
                -3, 3, FLOATS_INT32, r3, 0));
        r.add(row1("argsort.default", x -> expect(DType.UINT32, argsort(x), "argsort"), x -> ReductionRefs.sort(x, -1, true),
                -3, 3, FLOATS_INT32, nd, 0));
        r.add(row1("topk.2.axis-1", x -> topk(x, 2, -1), x -> ReductionRefs.topk(x, 2, -1), -3, 3, FLOATS_INT32, r3, 1));
        r.add(row1("topk.2.default", x -> topk(x, 2), x -> ReductionRefs.topk(x, 2, -1), -3, 3, FLOATS_INT32, nd, 0));

        // ---- partition, argpartition (see the class comment)
        r.add(row1("partition.1.axis-1.sidesSorted", x -> sidesSorted(partition(x, 1, -1), 1, -1), x -> ReductionRefs.sort(x, -1, false),
                -3, 3, FLOATS_INT32, r3, 1));
        r.add(row1("partition.0.axis1.sidesSorted", x -> sidesSorted(partition(x, 0, 1), 0, 1), x -> ReductionRefs.sort(x, 1, false),
                -3, 3, FLOATS_INT32, full, 1));
        r.add(row1("partition.-2.default.sidesSorted", x -> sidesSorted(partition(x, -2), -2, -1), x -> ReductionRefs.sort(x, -1, false),
                -3, 3, FLOATS_INT32, nd, 0));
        r.add(row1("argpartition.1.axis-1.sidesSorted",
                x -> sidesSorted(takeAlongAxis(x, expect(DType.UINT32, argpartition(x, 1, -1), "argpartition"), -1), 1, -1),
                x -> ReductionRefs.sort(x, -1, false), -3, 3, FLOATS_INT32, r3, 0));
        r.add(row1("argpartition.1.axis-1.isPermutation", x -> sort(argpartition(x, 1, -1), -1), x -> ReductionRefs.positions(x.d(), -1),
                -3, 3, FLOATS_INT32, r3, 0));
        r.add(row1("argpartition.-2.default.sidesSorted", x -> sidesSorted(takeAlongAxis(x, argpartition(x, -2), -1), -2, -1),
                x -> ReductionRefs.sort(x, -1, false), -3, 3, FLOATS_INT32, nd, 0));
        r.add(row1("argpartition.-2.default.isPermutation", x -> sort(argpartition(x, -2), -1), x -> ReductionRefs.positions(x.d(), -1),
                -3, 3, FLOATS_INT32, nd, 0));

        // ---- clip: both bounds, one bound, array bounds (broadcast), integers
        r.add(row1("clip.-1,1", x -> clip(x, -1, 1), x -> ReductionRefs.clip(x, -1, 1), un, 1));
        r.add(row1("clip.min0.5", x -> clip(x, 0.5, null), x -> ReductionRefs.clip(x, 0.5, pinf), un, 1));
        r.add(row1("clip.max-0.5", x -> clip(x, null, -0.5), x -> ReductionRefs.clip(x, ninf, -0.5), un, 1));
        r.add(row1("clip.int.3,20", x -> clip(x, 3, 20), x -> ReductionRefs.clip(x, 3, 20), -50, 50, OpSpec.INTS, un, 0));
        ShapeFamily bin = ShapeFamily.BINARY;
        r.add(row("clip.arrayMin", 2, a -> clip(a[0], a[1], null), xs -> ReductionRefs.zip(xs[0], xs[1], Math::max), -3, 3, fl, bin, 1));
        r.add(row("clip.arrayMax", 2, a -> clip(a[0], null, a[1]), xs -> ReductionRefs.zip(xs[0], xs[1], Math::min), -3, 3, fl, bin, 1));

        // ---- nanToNum: the default infinities are the dtype's finite extremes, so one row per dtype
        ShapeFamily nf = ShapeFamily.NONFINITE;
        for (DType t : fl) {
            double big = finiteMax(t);
            r.add(row1("nanToNum.default." + t.mlxName(), x -> nanToNum(x), x -> ReductionRefs.nanToNum(x, 0, big, -big), -3, 3, List.of(t), nf,
                    t == DType.FLOAT64 ? 2 : 0));
        }
        r.add(row1("nanToNum.1.5,100,-100", x -> nanToNum(x, 1.5, 100.0, -100.0), x -> ReductionRefs.nanToNum(x, 1.5, 100, -100), nf, 2));
        r.add(row1("nanToNum.int", x -> nanToNum(x), x -> x, -50, 50, OpSpec.INTS, un, 0));

        // ---- isclose, allclose, arrayEqual
        ShapeFamily cp = ShapeFamily.CLOSE_PAIRS;
        r.add(row("isclose", 2, a -> expect(DType.BOOL, isclose(a[0], a[1]), "isclose"),
                xs -> ReductionRefs.isclose(xs[0], xs[1], 1e-5, 1e-8, false), -3, 3, fl, cp, 0));
        r.add(row("isclose.equalNan", 2, a -> isclose(a[0], a[1], 1e-5, 1e-8, true),
                xs -> ReductionRefs.isclose(xs[0], xs[1], 1e-5, 1e-8, true), -3, 3, fl, cp, 0));
        r.add(row("isclose.rtol1e-2.atol1e-3", 2, a -> isclose(a[0], a[1], 1e-2, 1e-3, false),
                xs -> ReductionRefs.isclose(xs[0], xs[1], 1e-2, 1e-3, false), -3, 3, fl, cp, 0));
        r.add(row("allclose", 2, a -> expect(DType.BOOL, allclose(a[0], a[1]), "allclose"),
                xs -> ReductionRefs.allclose(xs[0], xs[1], 1e-5, 1e-8, false), -3, 3, fl, cp, 0));
        r.add(row("allclose.equalNan", 2, a -> allclose(a[0], a[1], 1e-5, 1e-8, true),
                xs -> ReductionRefs.allclose(xs[0], xs[1], 1e-5, 1e-8, true), -3, 3, fl, cp, 0));
        r.add(row("arrayEqual", 2, a -> expect(DType.BOOL, arrayEqual(a[0], a[1]), "arrayEqual"),
                xs -> ReductionRefs.arrayEqual(xs[0], xs[1], false), -3, 3, fl, cp, 0));
        r.add(row("arrayEqual.equalNan", 2, a -> arrayEqual(a[0], a[1], true), xs -> ReductionRefs.arrayEqual(xs[0], xs[1], true), -3, 3, fl, cp, 0));
        return r;
    }

    /** The largest finite value of a floating dtype. */
    static double finiteMax(DType t) {
        return switch (t) {
            case FLOAT16 -> 65504;
            case BFLOAT16 -> 0x1.fep127;
            case FLOAT32 -> Float.MAX_VALUE;
            default -> Double.MAX_VALUE;
        };
    }

    /** A scan op with MLX's (axis, reverse, inclusive) arguments. */
    @FunctionalInterface
    interface ScanOp {
        Array apply(Array x, int axis, boolean reverse, boolean inclusive);
    }

    /** The four (reverse, inclusive) variants of a scan, alternating between axes -1 and 1. */
    static void scans(List<OpSpec> r, String name, ScanOp op, double init, java.util.function.DoubleBinaryOperator f, double lo, double hi,
                      int gradOrder) {
        boolean[][] variants = {{false, true}, {true, true}, {false, false}, {true, false}};
        int[] axes = {-1, 1, -1, 1};
        for (int k = 0; k < 4; k++) {
            boolean rev = variants[k][0], inc = variants[k][1];
            int a = axes[k];
            String n = name + ".axis" + a + (rev ? ".reverse" : "") + (inc ? "" : ".exclusive");
            r.add(row1(n, x -> op.apply(x, a, rev, inc), x -> ReductionRefs.scan(x, a, rev, inc, init, f), lo, hi, OpSpec.FLOATS,
                    ShapeFamily.REDUCE_3D, gradOrder));
        }
    }
}
