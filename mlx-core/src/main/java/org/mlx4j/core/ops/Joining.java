package org.mlx4j.core.ops;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.Shape;
import org.mlx4j.core.primitive.Concatenate;

/**
 * Arrays built from pieces: concatenate, stack, split, repeat, tile and pad. Only concatenate has a
 * primitive; the rest are views, broadcasts and reshapes around it. See {@link org.mlx4j.core.MX}.
 */
public final class Joining {
    private Joining() {}

    /**
     * The arrays joined along {@code axis}. Dtypes promote; all arrays need the same number of
     * dimensions (at least one) and the same sizes except along {@code axis}.
     *
     * @throws IllegalArgumentException for no arrays, scalars, mismatched shapes or a bad axis
     */
    public static Array concatenate(List<Array> arrays, int axis) {
        if (arrays.isEmpty()) throw new IllegalArgumentException("[concatenate] needs at least one array.");
        Array first = arrays.get(0);
        int n = first.ndim();
        if (n == 0) throw new IllegalArgumentException("[concatenate] zero-dimensional arrays cannot be concatenated.");
        int ax = Shape.normalizeAxis(axis, n, "concatenate");
        DType t = first.dtype();
        long total = 0;
        for (Array a : arrays) {
            if (a.ndim() != n) {
                throw new IllegalArgumentException("[concatenate] all arrays must have the same number of dimensions, got shapes "
                        + first.shape() + " and " + a.shape() + ".");
            }
            for (int i = 0; i < n; i++) {
                if (i != ax && a.dim(i) != first.dim(i)) {
                    throw new IllegalArgumentException("[concatenate] all arrays must have the same shape except along axis " + ax
                            + ", got shapes " + first.shape() + " and " + a.shape() + ".");
                }
            }
            Elementwise.sameDevice("concatenate", first, a);
            t = DType.promote(t, a.dtype());
            total += a.dim(ax);
        }
        if (total > Integer.MAX_VALUE) throw new IllegalArgumentException("[concatenate] axis " + ax + " would have " + total + " elements.");
        List<Array> in = new ArrayList<>(arrays.size());
        for (Array a : arrays) in.add(Elementwise.astype(a, t));
        if (in.size() == 1) return in.get(0);
        int[] out = first.shape().toArray();
        out[ax] = (int) total;
        return Array.node(new Shape(out), t, new Concatenate(ax), in.toArray(new Array[0]));
    }

    /**
     * The arrays (all of one shape) stacked along a new axis {@code axis} of the result.
     *
     * @throws IllegalArgumentException for no arrays, different shapes or a bad axis
     */
    public static Array stack(List<Array> arrays, int axis) {
        if (arrays.isEmpty()) throw new IllegalArgumentException("[stack] needs at least one array.");
        Shape s = arrays.get(0).shape();
        int ax = Shape.normalizeAxis(axis, s.ndim() + 1, "stack");
        List<Array> ex = new ArrayList<>(arrays.size());
        for (Array a : arrays) {
            if (!a.shape().equals(s)) {
                throw new IllegalArgumentException("[stack] all arrays must have the same shape, got " + s + " and " + a.shape() + ".");
            }
            ex.add(ShapeOps.expandDims(a, ax));
        }
        if (ex.size() == 1) return ex.get(0);
        return concatenate(ex, ax);
    }

    /**
     * {@code x} split along {@code axis} into {@code sections} equal views.
     *
     * @throws IllegalArgumentException when sections is not positive or does not divide the axis
     */
    public static Array[] split(Array x, int sections, int axis) {
        int ax = Shape.normalizeAxis(axis, x.ndim(), "split");
        int d = x.dim(ax);
        if (sections <= 0 || d % sections != 0) {
            throw new IllegalArgumentException("[split] cannot split axis " + ax + " of size " + d + " into " + sections + " equal sections.");
        }
        int[] cuts = new int[sections - 1];
        for (int i = 0; i < cuts.length; i++) cuts[i] = (i + 1) * (d / sections);
        return split(x, cuts, axis);
    }

    /**
     * {@code x} split along {@code axis} before each of {@code indices}: pieces
     * {@code [0, i0), [i0, i1), ..., [ik, end)} as views. Bounds follow Python slices, as in NumPy:
     * negative ones count from the end, they clamp into range, and a bound below the previous one
     * gives an empty piece.
     *
     * @throws IllegalArgumentException for a bad axis
     */
    public static Array[] split(Array x, int[] indices, int axis) {
        int ax = Shape.normalizeAxis(axis, x.ndim(), "split");
        int n = x.ndim(), d = x.dim(ax);
        Array[] out = new Array[indices.length + 1];
        int[] start = new int[n], stop = x.shape().toArray(), step = new int[n];
        Arrays.fill(step, 1);
        for (int k = 0; k <= indices.length; k++) {
            Integer lo = k == 0 ? null : indices[k - 1];
            Integer hi = k == indices.length ? null : indices[k];
            int[] r = Indexing.normalizeSlice(lo, hi, 1, d);
            start[ax] = r[0];
            stop[ax] = Math.max(r[0], r[1]);
            out[k] = ShapeOps.slice(x, start, stop, step);
        }
        return out;
    }

    /**
     * Each element of {@code x} repeated {@code repeats} times along {@code axis}, as NumPy's
     * {@code repeat}: {@code [1, 2]} with 2 gives {@code [1, 1, 2, 2]}.
     *
     * @throws IllegalArgumentException for negative repeats or a bad axis
     */
    public static Array repeat(Array x, int repeats, int axis) {
        int ax = Shape.normalizeAxis(axis, x.ndim(), "repeat");
        if (repeats < 0) throw new IllegalArgumentException("[repeat] repeats must be non-negative, got " + repeats + ".");
        int[] d = x.shape().dims();
        int[] b = new int[d.length + 1];
        for (int i = 0, k = 0; i < b.length; i++) b[i] = i == ax + 1 ? repeats : d[k++];
        int[] out = d.clone();
        out[ax] = Math.multiplyExact(d[ax], repeats);
        // a broadcast view (x, repeats) per element; the reshape makes the one copy
        return ShapeOps.reshape(ShapeOps.broadcastTo(ShapeOps.expandDims(x, ax + 1), b), out);
    }

    /** {@link #repeat(Array, int, int)} of the flattened {@code x}. */
    public static Array repeat(Array x, int repeats) { return repeat(ShapeOps.flatten(x), repeats, 0); }

    /**
     * {@code x} repeated {@code reps[i]} times along each axis, as NumPy's {@code tile}: when reps is
     * shorter than x's rank it is padded with leading ones, when longer x gains leading axes.
     *
     * @throws IllegalArgumentException for a negative rep
     */
    public static Array tile(Array x, int... reps) {
        for (int r : reps) {
            if (r < 0) throw new IllegalArgumentException("[tile] reps must be non-negative, got " + Arrays.toString(reps) + ".");
        }
        int n = Math.max(x.ndim(), reps.length);
        int[] d = new int[n], r = new int[n];
        for (int i = 0; i < n; i++) {
            int xi = i - (n - x.ndim()), ri = i - (n - reps.length);
            d[i] = xi >= 0 ? x.dim(xi) : 1;
            r[i] = ri >= 0 ? reps[ri] : 1;
        }
        int[] inter = new int[2 * n], b = new int[2 * n], out = new int[n];
        for (int i = 0; i < n; i++) {
            inter[2 * i] = 1;
            inter[2 * i + 1] = d[i];
            b[2 * i] = r[i];
            b[2 * i + 1] = d[i];
            out[i] = Math.multiplyExact(r[i], d[i]);
        }
        Array v = ShapeOps.broadcastTo(ShapeOps.reshape(x, inter), b);
        return ShapeOps.reshape(v, out);
    }

    /**
     * {@code x} padded on each axis by {@code padWidths[i] = {before, after}} elements.
     * {@code padWidths} has one row per axis, or a single row for every axis; a row of one value pads
     * both sides by it. Modes, as in NumPy: {@code "constant"} fills with {@code constantValue}
     * (converted to x's dtype), {@code "edge"} repeats the border elements, {@code "reflect"} mirrors
     * the array without repeating the border (needs each width below the axis size).
     *
     * @throws IllegalArgumentException for negative widths, a wrong number of rows, an unknown mode, or
     *                                  edge/reflect padding of an axis too small for it
     */
    public static Array pad(Array x, int[][] padWidths, String mode, double constantValue) {
        int n = x.ndim();
        int[][] w = widths(padWidths, n);
        int[] d = x.shape().dims();
        switch (mode) {
            case "constant" -> {
                int[] out = new int[n], start = new int[n], stop = new int[n], step = new int[n];
                boolean none = true;
                for (int i = 0; i < n; i++) {
                    out[i] = Math.addExact(d[i], Math.addExact(w[i][0], w[i][1]));
                    start[i] = w[i][0];
                    stop[i] = w[i][0] + d[i];
                    step[i] = 1;
                    none &= w[i][0] == 0 && w[i][1] == 0;
                }
                if (none) return x;
                Array fill = Elementwise.astype(Creation.scalarLike(constantValue, x), x.dtype());
                return ShapeOps.sliceUpdate(Creation.full(out, fill), x, start, stop, step);
            }
            case "edge", "reflect" -> {
                boolean reflect = mode.equals("reflect");
                Array y = x;
                for (int i = 0; i < n; i++) {
                    if (w[i][0] == 0 && w[i][1] == 0) continue;
                    int di = d[i];
                    if (!reflect && di == 0) {
                        throw new IllegalArgumentException("[pad] edge padding needs axis " + i + " to be non-empty, got shape " + x.shape() + ".");
                    }
                    if (reflect && (w[i][0] >= di || w[i][1] >= di)) {
                        throw new IllegalArgumentException("[pad] reflect padding of " + Arrays.toString(w[i]) + " needs axis " + i
                                + " to have more elements than either width, got size " + di + ".");
                    }
                    List<Array> parts = new ArrayList<>(3);
                    if (w[i][0] > 0) parts.add(reflect ? range(y, i, w[i][0], 0, -1) : broadcastAlong(range(y, i, 0, 1, 1), i, w[i][0]));
                    parts.add(y);
                    if (w[i][1] > 0) {
                        parts.add(reflect ? range(y, i, di - 2, di - 2 - w[i][1], -1) : broadcastAlong(range(y, i, di - 1, di, 1), i, w[i][1]));
                    }
                    y = concatenate(parts, i);
                }
                return y;
            }
            default -> throw new IllegalArgumentException("[pad] mode must be \"constant\", \"edge\" or \"reflect\", got \"" + mode + "\".");
        }
    }

    /** Normalizes pad widths to one {before, after} row per axis. */
    private static int[][] widths(int[][] padWidths, int n) {
        if (padWidths.length != n && padWidths.length != 1) {
            throw new IllegalArgumentException("[pad] needs 1 or " + n + " rows of pad widths for an array with " + n
                    + " dimensions, got " + padWidths.length + ".");
        }
        int[][] w = new int[n][];
        for (int i = 0; i < n; i++) {
            int[] row = padWidths[padWidths.length == 1 ? 0 : i];
            if (row == null || row.length < 1 || row.length > 2) {
                throw new IllegalArgumentException("[pad] each row of pad widths needs 1 or 2 values, got " + Arrays.toString(row) + ".");
            }
            w[i] = row.length == 1 ? new int[] {row[0], row[0]} : row.clone();
            if (w[i][0] < 0 || w[i][1] < 0) throw new IllegalArgumentException("[pad] pad widths must be non-negative, got " + Arrays.toString(row) + ".");
        }
        return w;
    }

    /** The view of {@code x} with axis {@code ax} restricted to {@code start:stop:step} (normalized). */
    private static Array range(Array x, int ax, int start, int stop, int step) {
        int n = x.ndim();
        int[] s = new int[n], e = x.shape().toArray(), st = new int[n];
        Arrays.fill(st, 1);
        s[ax] = start;
        e[ax] = stop;
        st[ax] = step;
        return ShapeOps.slice(x, s, e, st);
    }

    /** A size-one axis {@code ax} of {@code x} broadcast to {@code size}. */
    private static Array broadcastAlong(Array x, int ax, int size) {
        int[] s = x.shape().toArray();
        s[ax] = size;
        return ShapeOps.broadcastTo(x, s);
    }
}
