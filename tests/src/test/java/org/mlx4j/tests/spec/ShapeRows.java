package org.mlx4j.tests.spec;

import static org.mlx4j.core.MX.*;
import static org.mlx4j.tests.spec.ShapeRefs.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.Index;
import org.mlx4j.tests.spec.OpSpec.ShapeFamily;
import org.mlx4j.tests.spec.ShapeRefs.Dense;

/**
 * Op-spec rows of the shape and indexing family. Ops whose parameters depend on the rank (pad
 * widths, index arrays) derive them from the input's dims with the small helpers below, and the
 * reference derives the same values from the same dims. Index arrays are fixed integer data built
 * inside the row's op, so they are constants to the gradient checks.
 */
final class ShapeRows {
    private ShapeRows() {}

    /** Dtypes of the rows that check that copying ops move non-float elements intact. */
    static final List<DType> COPY_DTYPES = List.of(DType.INT32, DType.INT64, DType.INT8, DType.BOOL);

    /** A reference over {@link Dense} inputs that states its output dims. */
    @FunctionalInterface
    interface Ref {
        Dense apply(Dense[] xs);
    }

    static OpSpec row(String name, int arity, Function<Array[], Array> op, Ref ref, ShapeFamily f, int gradOrder) {
        return new OpSpec(name, arity, op, (in, s, out) -> {
            Dense[] xs = new Dense[in.length];
            for (int i = 0; i < in.length; i++) xs[i] = new Dense(in[i], s[i].toArray());
            Dense r = ref.apply(xs);
            if (!Arrays.equals(r.d(), out.dims())) {
                throw new AssertionError(name + ": the op gave shape " + out + " but the reference " + Arrays.toString(r.d()));
            }
            return r.v();
        }, -3, 3, OpSpec.FLOATS, f, gradOrder);
    }

    static OpSpec row1(String name, UnaryOperator<Array> op, Function<Dense, Dense> ref, ShapeFamily f, int gradOrder) {
        return row(name, 1, a -> op.apply(a[0]), xs -> ref.apply(xs[0]), f, gradOrder);
    }

    static OpSpec row2(String name, BinaryOperator<Array> op, BiFunction<Dense, Dense, Dense> ref, ShapeFamily f, int gradOrder) {
        return row(name, 2, a -> op.apply(a[0], a[1]), xs -> ref.apply(xs[0], xs[1]), f, gradOrder);
    }

    /** The row in integer and bool dtypes (values in [-2, 2], so bool inputs mix true and false). */
    static OpSpec copyDtypes(OpSpec r) {
        return new OpSpec(r.name() + ".int", r.arity(), r.op(), r.reference(), -2, 2, COPY_DTYPES, r.shapes(), 0);
    }

    /** A constant integer index array on x's device. */
    static Array ints(Array like, int[] data, int... dims) { return toDevice(array(data, dims), like.device()); }

    // ------------------------------------------------------------------ parameters shared by ops and references

    /** broadcastTo's target: a new leading axis of 2 and every size-one axis grown to 3. */
    static int[] broadcastTarget(int[] d) {
        int[] t = new int[d.length + 1];
        t[0] = 2;
        for (int i = 0; i < d.length; i++) t[i + 1] = d[i] == 1 ? 3 : d[i];
        return t;
    }

    /** Indices into a flattened array of n elements (with repeats and negatives), shaped (2, 3); none when n is 0. */
    static int[] flatIndices(int n) { return n == 0 ? new int[0] : new int[] {n - 1, 0, n / 2, -1, 0, -n}; }

    static int[] flatIndexDims(int n) { return n == 0 ? new int[] {0, 3} : new int[] {2, 3}; }

    /** Indices into axis 0 of size d (a repeat and a negative); none when d is 0. */
    static int[] axis0Indices(int d) { return d == 0 ? new int[0] : new int[] {d - 1, 0, -1, 0}; }

    /** takeAlongAxis indices for x's dims: axis 0 of size 1 (broadcast) when x has 2+ axes, last axis 3, values in [-d, d). */
    static int[] alongDims(int[] d) {
        int[] r = d.clone();
        if (r.length > 1) r[0] = 1;
        r[r.length - 1] = 3;
        return r;
    }

    static int[] alongIndices(int[] d) {
        int last = d[d.length - 1];
        int[] r = new int[count(alongDims(d))];
        for (int p = 0; p < r.length; p++) r[p] = (p * 5 + 1) % (2 * last) - last;
        return r;
    }

    /** putAlongAxis indices (x's dims with a last axis of 2): two distinct positions per row, the second negative. */
    static int[] putPositions(int row, int d) {
        int a = row % d, b = (a + 1 + row % (d - 1)) % d;
        return new int[] {a, b - d};
    }

    /** {@link #putPositions} of {@code rows} rows of an axis of size d, flattened. */
    static int[] putIndices(int rows, int d) {
        int last = d;
        int[] r = new int[rows * 2];
        for (int p = 0; p < rows; p++) System.arraycopy(putPositions(p, last), 0, r, 2 * p, 2);
        return r;
    }

    /** putAlongAxis index dims that broadcast: x's dims with a last axis of 2 and, from rank 2, a first axis of 1. */
    static int[] putBroadcastDims(int[] d) {
        int[] r = lastAxis(d, 2);
        if (r.length > 1) r[0] = 1;
        return r;
    }

    static int[] lastAxis(int[] d, int size) {
        int[] r = d.clone();
        r[r.length - 1] = size;
        return r;
    }

    /** Constant-pad widths: {1, 2}, {2, 0}, {0, 1}, ... per axis. */
    static int[][] constantWidths(int n) {
        int[][] w = new int[n][];
        for (int i = 0; i < n; i++) w[i] = new int[] {(i + 1) % 3, (i + 2) % 3};
        return w;
    }

    /** Edge-pad widths: as {@link #constantWidths} but none on empty axes (edge needs a border element). */
    static int[][] edgeWidths(int[] d) {
        int[][] w = constantWidths(d.length);
        for (int i = 0; i < d.length; i++) if (d[i] == 0) w[i] = new int[] {0, 0};
        return w;
    }

    /** Reflect-pad widths: up to 2 before and 1 after (swapped on odd axes), each below the axis size. */
    static int[][] reflectWidths(int[] d) {
        int[][] w = new int[d.length][];
        for (int i = 0; i < d.length; i++) {
            int m = Math.max(0, d[i] - 1);
            w[i] = i % 2 == 0 ? new int[] {Math.min(2, m), Math.min(1, m)} : new int[] {Math.min(1, m), Math.min(2, m)};
        }
        return w;
    }

    /** Equal split sections of an axis of size d: 2 when even, else d pieces of one. */
    static int sections(int d) { return d % 2 == 0 ? 2 : d; }

    static boolean maskAt(int flat) { return flat % 3 != 1; }

    static int[] broadcastDims(int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] r = new int[n];
        for (int i = 0; i < n; i++) {
            int x = i - (n - a.length) >= 0 ? a[i - (n - a.length)] : 1, y = i - (n - b.length) >= 0 ? b[i - (n - b.length)] : 1;
            r[i] = x == 1 ? y : x;
        }
        return r;
    }

    // ------------------------------------------------------------------ reference helpers

    static Dense identity(Dense x) { return x; }

    /** x with the picks of one axis replaced (every other axis kept whole). */
    static Dense pickAxis(Dense x, int axis, int[] positions) {
        int[][] p = allPicks(x.d());
        p[axis < 0 ? axis + x.ndim() : axis] = positions;
        return pick(x, p);
    }

    /** Positions {@code f(i)} for i in [0, length). */
    static int[] positions(int length, java.util.function.IntUnaryOperator f) {
        int[] r = new int[length];
        for (int i = 0; i < length; i++) r[i] = f.applyAsInt(i);
        return r;
    }

    static int[] axes(int n) { return range(0, n); }

    static Dense tileRef(Dense x, int... reps) {
        int n = Math.max(x.ndim(), reps.length);
        int[] d = new int[n], r = new int[n];
        for (int i = 0; i < n; i++) {
            int xi = i - (n - x.ndim()), ri = i - (n - reps.length);
            d[i] = xi >= 0 ? x.d()[xi] : 1;
            r[i] = ri >= 0 ? reps[ri] : 1;
        }
        int[][] p = new int[n][];
        for (int i = 0; i < n; i++) {
            int di = d[i];
            p[i] = positions(di * r[i], j -> j % di);
        }
        return pick(reshape(x, d), p);
    }

    static int[] withoutOnes(int[] d) { return Arrays.stream(d).filter(v -> v != 1).toArray(); }

    // ------------------------------------------------------------------ rows

    /** Every shape and indexing row. */
    static List<OpSpec> rows() {
        List<OpSpec> r = new ArrayList<>();
        ShapeFamily any = ShapeFamily.SHAPE_ANY, nd = ShapeFamily.SHAPE_ND, mat = ShapeFamily.SHAPE_MATRIX;

        // ---- views and copies of any rank
        r.add(row1("flatten", x -> flatten(x), x -> reshape(x, x.size()), any, 2));
        r.add(row1("reshape.reversedDims", x -> reshape(x, reversed(x.shape().toArray())), x -> reshape(x, reversed(x.d())), any, 2));
        r.add(row1("transpose", x -> transpose(x), x -> permute(x, reversed(axes(x.ndim()))), any, 2));
        r.add(row1("broadcastTo", x -> broadcastTo(x, broadcastTarget(x.shape().toArray())), x -> broadcast(x, broadcastTarget(x.d())), any, 2));
        r.add(row1("expandDims.0,-1", x -> expandDims(x, 0, -1), x -> reshape(x, cat(cat(new int[] {1}, x.d()), 1)), any, 2));
        r.add(row1("squeeze", x -> squeeze(x), x -> reshape(x, withoutOnes(x.d())), any, 2));
        OpSpec contiguous = row1("contiguous", x -> contiguous(x), ShapeRows::identity, any, 2);
        r.add(contiguous);
        for (DType t : OpSpec.FLOATS) {
            // a narrowing cast is not smooth at float64 resolution; its gradient is checked in GradCheckTest
            r.add(row1("astype." + t.mlxName(), x -> astype(x, t), ShapeRows::identity, any, t == DType.FLOAT64 ? 2 : 0));
        }
        // a zero gradient is checked exactly in GradCheckTest, not by central differences
        r.add(row1("stopGradient", x -> stopGradient(x), ShapeRows::identity, any, 0));
        r.add(row1("flip", x -> flip(x), x -> {
            int[][] p = new int[x.ndim()][];
            for (int k = 0; k < p.length; k++) {
                int d = x.d()[k];
                p[k] = positions(d, i -> d - 1 - i);
            }
            return pick(x, p);
        }, any, 2));
        r.add(row1("roll.2.flat", x -> roll(x, 2), x -> {
            int n = x.size();
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = x.v()[Math.floorMod(i - 2, n)];
            return new Dense(v, x.d());
        }, any, 2));
        r.add(row1("roll.-11.flat", x -> roll(x, -11), x -> {
            int n = x.size();
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = x.v()[Math.floorMod(i + 11, n)];
            return new Dense(v, x.d());
        }, any, 2));
        r.add(row1("repeat.2.flat", x -> repeat(x, 2), x -> {
            double[] v = new double[2 * x.size()];
            for (int i = 0; i < v.length; i++) v[i] = x.v()[i / 2];
            return new Dense(v, new int[] {v.length});
        }, any, 2));
        OpSpec tile = row1("tile.2,3", x -> tile(x, 2, 3), x -> tileRef(x, 2, 3), any, 2);
        r.add(tile);
        r.add(row1("pad.1.zeros", x -> pad(x, 1), x -> {
            int[][] w = new int[x.ndim()][];
            Arrays.fill(w, new int[] {1, 1});
            return padConstant(x, w, 0);
        }, any, 2));
        r.add(row1("take.flat", x -> take(x, ints(x, flatIndices((int) x.size()), flatIndexDims((int) x.size()))),
                x -> take(reshape(x, x.size()), flatIndices(x.size()), flatIndexDims(x.size()), 0), any, 2));

        // ---- axis ops (rank >= 1)
        r.add(row1("swapaxes.0,-1", x -> swapaxes(x, 0, -1), x -> {
            int[] p = axes(x.ndim());
            p[0] = x.ndim() - 1;
            p[x.ndim() - 1] = 0;
            return permute(x, p);
        }, nd, 2));
        r.add(row1("moveaxis.0,-1", x -> moveaxis(x, 0, -1), x -> permute(x, positions(x.ndim(), k -> (k + 1) % x.ndim())), nd, 2));
        r.add(row1("moveaxis.-1,0", x -> moveaxis(x, -1, 0), x -> permute(x, positions(x.ndim(), k -> (k + x.ndim() - 1) % x.ndim())), nd, 2));
        r.add(row1("flip.-1", x -> flip(x, -1), x -> pickAxis(x, -1, positions(x.dim(-1), i -> x.dim(-1) - 1 - i)), nd, 2));
        r.add(row1("roll.-3.axis-1", x -> roll(x, -3, -1), x -> pickAxis(x, -1, positions(x.dim(-1), i -> Math.floorMod(i + 3, x.dim(-1)))), nd, 2));
        r.add(row1("repeat.3.axis-1", x -> repeat(x, 3, -1), x -> pickAxis(x, -1, positions(3 * x.dim(-1), i -> i / 3)), nd, 2));
        r.add(row1("repeat.2.axis0", x -> repeat(x, 2, 0), x -> pickAxis(x, 0, positions(2 * x.dim(0), i -> i / 2)), nd, 2));
        r.add(row1("repeat.0.axis-1", x -> repeat(x, 0, -1), x -> pickAxis(x, -1, new int[0]), nd, 2));
        r.add(row1("tile.0,2", x -> tile(x, 0, 2), x -> tileRef(x, 0, 2), any, 2));
        Integer[][] bounds = {{null, 1}, {1, -1}, {-1, null}};
        for (int k = 0; k < 3; k++) {
            int piece = k;
            r.add(row1("split.1,-1.piece" + k, x -> split(x, new int[] {1, -1}, -1)[piece],
                    x -> pickAxis(x, -1, pySlice(bounds[piece][0], bounds[piece][1], 1, x.dim(-1))), nd, 2));
        }
        // NumPy: split at [2, 1] gives x[:2], x[2:1] (empty) and x[1:]
        r.add(row1("split.2,1.piece1", x -> split(x, new int[] {2, 1}, -1)[1], x -> pickAxis(x, -1, new int[0]), nd, 2));
        r.add(row1("split.2,1.piece2", x -> split(x, new int[] {2, 1}, -1)[2], x -> pickAxis(x, -1, pySlice(1, null, 1, x.dim(-1))), nd, 2));
        r.add(row1("split.sections.piece1", x -> split(x, sections(x.dim(-1)), -1)[1], x -> {
            int len = x.dim(-1) / sections(x.dim(-1));
            return pickAxis(x, -1, range(len, 2 * len));
        }, nd, 2));
        int[] take2d = {2, 0, -1, 1};
        OpSpec takeLast = row1("take.axis-1", x -> take(x, ints(x, take2d, 2, 2), -1), x -> take(x, take2d, new int[] {2, 2}, x.ndim() - 1), nd, 2);
        r.add(takeLast);
        // other index dtypes: int64 (with negatives) and uint8
        long[] take64 = {-1, 1, -3, 2};
        r.add(row1("take.axis-1.int64Indices", x -> take(x, toDevice(array(take64, 4), x.device()), -1),
                x -> take(x, Arrays.stream(take64).mapToInt(v -> (int) v).toArray(), new int[] {4}, x.ndim() - 1), nd, 2));
        int[] take8 = {2, 2, 0, 1, 2};
        r.add(row1("take.axis-1.uint8Indices", x -> take(x, astype(ints(x, take8, 5), DType.UINT8), -1),
                x -> take(x, take8, new int[] {5}, x.ndim() - 1), nd, 2));
        r.add(row1("take.axis0", x -> take(x, ints(x, axis0Indices(x.dim(0)), axis0Indices(x.dim(0)).length), 0),
                x -> take(x, axis0Indices(x.dim(0)), new int[] {axis0Indices(x.dim(0)).length}, 0), nd, 2));
        r.add(row1("takeAlongAxis.-1", x -> takeAlongAxis(x, ints(x, alongIndices(x.shape().toArray()), alongDims(x.shape().toArray())), -1),
                x -> takeAlongAxis(x, alongIndices(x.d()), alongDims(x.d()), x.ndim() - 1), nd, 2));
        // the indices as a reversed (negative-stride) view of fixed data: the kernel reads them through strides
        r.add(row1("takeAlongAxis.-1.reversedIndices", x -> {
            int[] dims = alongDims(x.shape().toArray());
            int[] start = new int[dims.length], stop = new int[dims.length], step = new int[dims.length];
            for (int k = 0; k < dims.length; k++) {
                start[k] = dims[k] - 1;
                stop[k] = -1;
                step[k] = -1;
            }
            return takeAlongAxis(x, slice(ints(x, alongIndices(x.shape().toArray()), dims), start, stop, step), -1);
        }, x -> takeAlongAxis(x, reversed(alongIndices(x.d())), alongDims(x.d()), x.ndim() - 1), nd, 2));
        r.add(row1("pad.constant.1.5", x -> pad(x, constantWidths(x.ndim()), "constant", 1.5), x -> padConstant(x, constantWidths(x.ndim()), 1.5), nd, 2));
        r.add(row1("pad.edge", x -> pad(x, edgeWidths(x.shape().toArray()), "edge"), x -> padEdge(x, edgeWidths(x.d())), nd, 2));
        OpSpec reflect = row1("pad.reflect", x -> pad(x, reflectWidths(x.shape().toArray()), "reflect"), x -> padReflect(x, reflectWidths(x.d())), nd, 2);
        r.add(reflect);
        r.add(row1("get.str[..., None, -1]", x -> get(x, "..., None, -1"),
                x -> reshape(pickAxis(x, -1, new int[] {x.dim(-1) - 1}), cat(Arrays.copyOf(x.d(), x.ndim() - 1), 1)), nd, 2));
        r.add(row1("get.index[-1::-2, ...]", x -> get(x, Index.slice(-1, null, -2), Index.ellipsis()),
                x -> pickAxis(x, 0, pySlice(-1, null, -2, x.dim(0))), nd, 2));

        // ---- rank >= 2
        r.add(row1("flatten.1,-1", x -> flatten(x, 1, -1), x -> reshape(x, x.d()[0], count(Arrays.copyOfRange(x.d(), 1, x.ndim()))), mat, 2));
        r.add(row1("get.str[1:, ::-2]", x -> get(x, "1:, ::-2"), x -> {
            int[][] p = allPicks(x.d());
            p[0] = pySlice(1, null, 1, x.d()[0]);
            p[1] = pySlice(null, null, -2, x.d()[1]);
            return pick(x, p);
        }, mat, 2));
        // bounds past either end clamp, as in Python
        r.add(row1("get.str[-100:100, 5:-100:-1]", x -> get(x, "-100:100, 5:-100:-1"), x -> {
            int[][] p = allPicks(x.d());
            p[0] = pySlice(-100, 100, 1, x.d()[0]);
            p[1] = pySlice(5, -100, -1, x.d()[1]);
            return pick(x, p);
        }, mat, 2));
        r.add(row1("get.index[::-1, -1, None, ...]", x -> get(x, Index.slice(null, null, -1), Index.at(-1), Index.newAxis(), Index.ellipsis()), x -> {
            int[][] p = allPicks(x.d());
            p[0] = pySlice(null, null, -1, x.d()[0]);
            p[1] = new int[] {x.d()[1] - 1};
            Dense y = pick(x, p);
            // axis 1 is dropped by the integer and a new size-one axis takes its place
            int[] od = y.d().clone();
            od[1] = 1;
            return reshape(y, od);
        }, mat, 2));
        r.add(row1("tril", x -> tril(x), x -> triangle(x, 0, true), mat, 2));
        r.add(row1("tril.-1", x -> tril(x, -1), x -> triangle(x, -1, true), mat, 2));
        r.add(row1("triu", x -> triu(x), x -> triangle(x, 0, false), mat, 2));
        r.add(row1("triu.1", x -> triu(x, 1), x -> triangle(x, 1, false), mat, 2));
        r.add(row1("diagonal", x -> diagonal(x), x -> diagonal(x, 0, 0, 1), mat, 2));
        r.add(row1("diagonal.1,-1,0", x -> diagonal(x, 1, -1, 0), x -> diagonal(x, 1, x.ndim() - 1, 0), mat, 2));
        r.add(row1("diagonal.-1,-2,-1", x -> diagonal(x, -1, -2, -1), x -> diagonal(x, -1, x.ndim() - 2, x.ndim() - 1), mat, 2));
        r.add(row1("roll.2.axes0,-1", x -> roll(x, 2, 0, -1), x -> {
            int[][] p = allPicks(x.d());
            int d0 = x.d()[0], dl = x.dim(-1);
            p[0] = positions(d0, i -> Math.floorMod(i - 2, d0));
            p[x.ndim() - 1] = positions(dl, i -> Math.floorMod(i - 2, dl));
            return pick(x, p);
        }, mat, 2));
        for (int k : new int[] {0, 1, -1}) {
            r.add(row1("diag.matrix.k" + k, x -> diag(x, k), x -> diagonal(x, k, 0, 1), ShapeFamily.SHAPE_2D, 2));
        }
        for (int k : new int[] {0, 2, -1}) {
            r.add(row1("diag.vector.k" + k, x -> diag(x, k), x -> diagMatrix(x, k), ShapeFamily.SHAPE_VECTOR, 2));
        }

        // ---- several arrays
        ShapeFamily pair = ShapeFamily.SHAPE_PAIR, upd = ShapeFamily.SHAPE_UPDATE;
        r.add(row2("concatenate.axis0", (a, b) -> concatenate(a, b), (a, b) -> concatenate(0, a, b), pair, 2));
        r.add(row2("stack.axis0", (a, b) -> stack(a, b), (a, b) -> stack(0, a, b), pair, 2));
        OpSpec stackLast = row2("stack.axis-1", (a, b) -> stack(new Array[] {a, b}, -1), (a, b) -> stack(a.ndim(), a, b), pair, 2);
        r.add(stackLast);
        r.add(row2("where.fixedMask", (a, b) -> {
            int[] od = broadcastDims(a.shape().toArray(), b.shape().toArray());
            boolean[] m = new boolean[count(od)];
            for (int i = 0; i < m.length; i++) m[i] = maskAt(i);
            // array(boolean[]) with no dims is a vector: reshape gives a scalar mask its () shape
            return where(toDevice(reshape(array(m, m.length), od), a.device()), a, b);
        }, (a, b) -> {
            int[] od = broadcastDims(a.d(), b.d());
            Dense x = broadcast(a, od), y = broadcast(b, od);
            double[] v = new double[x.size()];
            for (int i = 0; i < v.length; i++) v[i] = maskAt(i) ? x.v()[i] : y.v()[i];
            return new Dense(v, od);
        }, ShapeFamily.BINARY, 2));
        // x and u agree except on the last axis, where u has 2
        OpSpec concat3 = row("concatenate.x,u,x.axis-1", 2, a -> concatenate(new Array[] {a[0], a[1], a[0]}, -1),
                xs -> concatenate(xs[0].ndim() - 1, xs[0], xs[1], xs[0]), upd, 2);
        r.add(concat3);
        r.add(row2("sliceUpdate.last[d-1::-2]", (x, u) -> {
            int n = x.ndim(), d = x.dim(-1);
            int[] start = new int[n], stop = x.shape().toArray(), step = new int[n];
            Arrays.fill(step, 1);
            start[n - 1] = d - 1;
            stop[n - 1] = d - 4;
            step[n - 1] = -2;
            return sliceUpdate(x, u, start, stop, step);
        }, (x, u) -> updateLastAxis(x, u, p -> new int[] {x.dim(-1) - 1, x.dim(-1) - 3}, false), upd, 2));
        OpSpec scatter = row2("scatter.2,0", (x, u) -> scatter(x, ints(x, new int[] {2, 0}, 2), u, -1),
                (x, u) -> updateLastAxis(x, u, p -> new int[] {2, 0}, false), upd, 2);
        r.add(scatter);
        // repeated index: the last update wins, and only it receives a gradient
        r.add(row2("scatter.1,1", (x, u) -> scatter(x, ints(x, new int[] {1, 1}, 2), u, -1),
                (x, u) -> updateLastAxis(x, u, p -> new int[] {1, 1}, false), upd, 2));
        r.add(row2("scatterAdd.1,1", (x, u) -> scatterAdd(x, ints(x, new int[] {1, 1}, 2), u, -1),
                (x, u) -> updateLastAxis(x, u, p -> new int[] {1, 1}, true), upd, 2));
        r.add(row2("scatterAdd.-1,0", (x, u) -> scatterAdd(x, ints(x, new int[] {-1, 0}, 2), u, -1),
                (x, u) -> updateLastAxis(x, u, p -> new int[] {-1, 0}, true), upd, 2));
        OpSpec put = row2("putAlongAxis", (x, u) -> putAlongAxis(x, ints(x, putIndices((int) x.size() / x.dim(-1), x.dim(-1)), lastAxis(x.shape().toArray(), 2)), u, -1),
                (x, u) -> updateLastAxis(x, u, p -> putPositions(p, x.dim(-1)), false), upd, 2);
        r.add(put);
        // indices with a leading axis of 1 broadcast over x's rows
        r.add(row2("putAlongAxis.broadcastIndices", (x, u) -> {
            int[] id = putBroadcastDims(x.shape().toArray());
            return putAlongAxis(x, ints(x, putIndices(count(id) / 2, x.dim(-1)), id), u, -1);
        }, (x, u) -> {
            int rowsI = count(putBroadcastDims(x.d())) / 2;
            return updateLastAxis(x, u, p -> putPositions(p % rowsI, x.dim(-1)), false);
        }, upd, 2));

        // ---- copying ops in integer and bool dtypes
        r.add(copyDtypes(contiguous));
        r.add(copyDtypes(tile));
        r.add(copyDtypes(takeLast));
        r.add(copyDtypes(reflect));
        r.add(copyDtypes(row1("pad.constant.1", x -> pad(x, constantWidths(x.ndim()), "constant", 1), x -> padConstant(x, constantWidths(x.ndim()), 1), nd, 0)));
        r.add(copyDtypes(stackLast));
        r.add(copyDtypes(concat3));
        r.add(copyDtypes(scatter));
        r.add(copyDtypes(put));
        return r;
    }
}
