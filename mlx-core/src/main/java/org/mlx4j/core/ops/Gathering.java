package org.mlx4j.core.ops;

import java.lang.foreign.MemorySegment;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.Device;
import org.mlx4j.core.Shape;
import org.mlx4j.core.backend.cpu.Elem;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.primitive.Gather;
import org.mlx4j.core.primitive.Scatter;

/**
 * Indexing by integer arrays: take, takeAlongAxis, putAlongAxis, scatter and scatterAdd. Every op is
 * a reshape/broadcast of its arguments around one of two primitives, {@link Gather} and
 * {@link Scatter}, which work along one axis with index arrays shaped like their data.
 *
 * <p>Indices must have an integer dtype; negative ones count from the end. Out-of-range indices are
 * rejected at once when the index array is already evaluated on the CPU (an {@code [op]} error);
 * otherwise they cannot be seen before evaluation, and the kernels clamp them into range rather than
 * read or write outside the array (MLX leaves this case undefined).
 * See {@link org.mlx4j.core.MX#take}.
 */
public final class Gathering {
    private Gathering() {}

    // ------------------------------------------------------------------ public ops

    /**
     * Elements of {@code x} at {@code indices} along {@code axis}: the result has shape
     * {@code x.shape[:axis] + indices.shape + x.shape[axis+1:]} and x's dtype.
     *
     * @throws IllegalArgumentException for a bad axis, non-integer indices, or (when known) an index out of range
     */
    public static Array take(Array x, Array indices, int axis) {
        int ax = Shape.normalizeAxis(axis, x.ndim(), "take");
        checkIndexDtype("take", indices);
        Elementwise.sameDevice("take", x, indices);
        int d = x.dim(ax);
        checkIndices("take", indices, d, ax);
        int[] xs = x.shape().dims();
        Array g = gatherAlongAxis(x, indicesAlong(indices, xs, ax), ax);
        return ShapeOps.reshape(g, splice(xs, ax, indices.shape().dims()));
    }

    /** {@link #take(Array, Array, int)} from the flattened {@code x}: the result has the indices' shape. */
    public static Array take(Array x, Array indices) { return take(ShapeOps.flatten(x), indices, 0); }

    /**
     * {@code out[..., j, ...] = x[..., indices[..., j, ...], ...]} along {@code axis}, as NumPy's
     * {@code take_along_axis}. x and indices need the same number of axes; outside {@code axis} they
     * broadcast against each other. The result has the broadcast shape with the indices' size along
     * {@code axis}, and x's dtype.
     *
     * @throws IllegalArgumentException for a bad axis, mismatched ranks or shapes, non-integer indices
     */
    public static Array takeAlongAxis(Array x, Array indices, int axis) {
        int ax = Shape.normalizeAxis(axis, x.ndim(), "takeAlongAxis");
        checkIndexDtype("takeAlongAxis", indices);
        Elementwise.sameDevice("takeAlongAxis", x, indices);
        if (indices.ndim() != x.ndim()) {
            throw new IllegalArgumentException("[takeAlongAxis] indices must have the same number of dimensions as x, got shapes "
                    + x.shape() + " and " + indices.shape() + ".");
        }
        int[] xd = x.shape().dims(), id = indices.shape().dims();
        int[] common = new int[xd.length];
        for (int i = 0; i < xd.length; i++) {
            if (i == ax) continue;
            if (xd[i] != id[i] && xd[i] != 1 && id[i] != 1) {
                throw new IllegalArgumentException("[takeAlongAxis] shapes " + x.shape() + " of x and " + indices.shape()
                        + " of indices do not broadcast outside axis " + ax + ".");
            }
            common[i] = xd[i] == 1 ? id[i] : xd[i];
        }
        checkIndices("takeAlongAxis", indices, xd[ax], ax);
        int[] xs = common.clone(), is = common.clone();
        xs[ax] = xd[ax];
        is[ax] = id[ax];
        return gatherAlongAxis(ShapeOps.broadcastTo(x, xs), ShapeOps.broadcastTo(indices, is), ax);
    }

    /**
     * A copy of {@code x} with {@code values} written at {@code indices} along {@code axis}, as NumPy's
     * {@code put_along_axis}: {@code out[..., indices[..., j, ...], ...] = values[..., j, ...]}.
     * Indices have x's number of axes and broadcast to x's shape outside {@code axis}; values
     * broadcast to that index shape and are converted to x's dtype. For repeated indices the last
     * value along the axis wins.
     *
     * @throws IllegalArgumentException for a bad axis, mismatched ranks or shapes, non-integer indices
     */
    public static Array putAlongAxis(Array x, Array indices, Array values, int axis) {
        int ax = Shape.normalizeAxis(axis, x.ndim(), "putAlongAxis");
        checkIndexDtype("putAlongAxis", indices);
        Elementwise.sameDevice("putAlongAxis", x, indices);
        Elementwise.sameDevice("putAlongAxis", x, values);
        if (indices.ndim() != x.ndim()) {
            throw new IllegalArgumentException("[putAlongAxis] indices must have the same number of dimensions as x, got shapes "
                    + x.shape() + " and " + indices.shape() + ".");
        }
        int[] xd = x.shape().dims(), is = indices.shape().toArray();
        for (int i = 0; i < xd.length; i++) {
            if (i == ax) continue;
            if (is[i] != xd[i] && is[i] != 1) {
                throw new IllegalArgumentException("[putAlongAxis] indices of shape " + indices.shape() + " do not broadcast to x's shape "
                        + x.shape() + " outside axis " + ax + ".");
            }
            is[i] = xd[i];
        }
        checkIndices("putAlongAxis", indices, xd[ax], ax);
        Array u = broadcastUpdates("putAlongAxis", Elementwise.astype(values, x.dtype()), is);
        return scatterAlongAxis(x, ShapeOps.broadcastTo(indices, is), u, ax, false);
    }

    /**
     * A copy of {@code x} with slabs along {@code axis} replaced: for each position k of
     * {@code indices} (any shape, flattened), {@code out[..., indices[k], ...] = updates[..., k, ...]}.
     * {@code updates} broadcasts to {@code x.shape[:axis] + indices.shape + x.shape[axis+1:]} (for a
     * vector of n indices: x's shape with {@code axis} of size n) and is converted to x's dtype.
     * For repeated indices the last update wins. Like MLX's {@code x.at[idx] = v} for axis 0.
     *
     * @throws IllegalArgumentException for a bad axis, non-integer indices, updates that do not broadcast
     */
    public static Array scatter(Array x, Array indices, Array updates, int axis) { return scatterIndexed("scatter", x, indices, updates, axis, false); }

    /**
     * {@link #scatter} that adds instead of replacing; repeated indices accumulate. Like PyTorch's
     * {@code index_add} and MLX's {@code x.at[idx].add(v)} for axis 0.
     *
     * @throws IllegalArgumentException for a bad axis, non-integer indices, updates that do not broadcast
     */
    public static Array scatterAdd(Array x, Array indices, Array updates, int axis) { return scatterIndexed("scatterAdd", x, indices, updates, axis, true); }

    private static Array scatterIndexed(String op, Array x, Array indices, Array updates, int axis, boolean add) {
        int ax = Shape.normalizeAxis(axis, x.ndim(), op);
        checkIndexDtype(op, indices);
        Elementwise.sameDevice(op, x, indices);
        Elementwise.sameDevice(op, x, updates);
        checkIndices(op, indices, x.dim(ax), ax);
        int[] xs = x.shape().dims();
        Array u = broadcastUpdates(op, Elementwise.astype(updates, x.dtype()), splice(xs, ax, indices.shape().dims()));
        Array idx = indicesAlong(indices, xs, ax);
        return scatterAlongAxis(x, idx, ShapeOps.reshape(u, idx.shape().dims()), ax, add);
    }

    /**
     * The flattened {@code indices} laid along axis {@code ax} of an array shaped {@code xs} and
     * broadcast over the other axes (a zero-stride view, never copied): the along-axis index array
     * that lets take and scatter reuse the along-axis gather and scatter.
     */
    private static Array indicesAlong(Array indices, int[] xs, int ax) {
        int m = Math.toIntExact(indices.size());
        int[] along = xs.clone();
        along[ax] = m;
        int[] ishape = new int[xs.length];
        java.util.Arrays.fill(ishape, 1);
        ishape[ax] = m;
        return ShapeOps.broadcastTo(ShapeOps.reshape(indices, ishape), along);
    }

    // ------------------------------------------------------------------ primitives' builders (for rules)

    /**
     * The {@link Gather} node: {@code indices} (integer) already has x's rank and x's sizes outside
     * {@code axis} (a non-negative axis). No checks beyond the shapes: for vjp/jvp rules and the ops above.
     */
    public static Array gatherAlongAxis(Array x, Array indices, int axis) {
        requireAlong("gather", x, indices, axis);
        return Array.node(indices.shape(), x.dtype(), new Gather(axis), x, indices);
    }

    /**
     * The {@link Scatter} node: {@code indices} and {@code updates} share a shape that is x's outside
     * {@code axis}; updates are converted to x's dtype. For vjp/jvp rules and the ops above.
     */
    public static Array scatterAlongAxis(Array x, Array indices, Array updates, int axis, boolean add) {
        requireAlong("scatter", x, indices, axis);
        if (!updates.shape().equals(indices.shape())) {
            throw new IllegalArgumentException("[scatter] updates of shape " + updates.shape() + " do not match indices of shape " + indices.shape() + ".");
        }
        return Array.node(x.shape(), x.dtype(), new Scatter(axis, add), x, indices, Elementwise.astype(updates, x.dtype()));
    }

    // ------------------------------------------------------------------ checks

    private static void requireAlong(String op, Array x, Array indices, int axis) {
        boolean ok = indices.ndim() == x.ndim() && axis >= 0 && axis < x.ndim() && indices.dtype().isInteger();
        for (int i = 0; ok && i < x.ndim(); i++) ok = i == axis || x.dim(i) == indices.dim(i);
        if (!ok) {
            throw new IllegalArgumentException("[" + op + "] indices of shape " + indices.shape() + " and dtype " + indices.dtype().mlxName()
                    + " do not fit x of shape " + x.shape() + " along axis " + axis + ".");
        }
        if (x.dim(axis) == 0 && indices.size() > 0) {
            throw new IllegalArgumentException("[" + op + "] cannot index axis " + axis + " of size 0 with " + indices.size() + " indices.");
        }
    }

    private static Array broadcastUpdates(String op, Array u, int[] shape) {
        try {
            return ShapeOps.broadcastTo(u, shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("[" + op + "] updates of shape " + u.shape() + " cannot be broadcast to " + Shape.of(shape) + ".");
        }
    }

    /** {@code dims} with axis {@code ax} replaced by the axes {@code mid}. */
    private static int[] splice(int[] dims, int ax, int[] mid) {
        int[] out = new int[dims.length - 1 + mid.length];
        System.arraycopy(dims, 0, out, 0, ax);
        System.arraycopy(mid, 0, out, ax, mid.length);
        System.arraycopy(dims, ax + 1, out, ax + mid.length, dims.length - ax - 1);
        return out;
    }

    static void checkIndexDtype(String op, Array indices) {
        if (!indices.dtype().isInteger()) {
            throw new IllegalArgumentException("[" + op + "] indices must have an integer dtype, got " + indices.dtype().mlxName() + ".");
        }
    }

    /**
     * Rejects an empty axis with indices, and, when the indices are already evaluated on the CPU (so
     * reading them costs no evaluation), any index outside {@code [-size, size)}.
     */
    static void checkIndices(String op, Array indices, int size, int axis) {
        if (indices.size() == 0) return;
        if (size == 0) {
            throw new IllegalArgumentException("[" + op + "] cannot index axis " + axis + " of size 0 with " + indices.size() + " indices.");
        }
        if (!indices.isEvaluated() || indices.device().type() != Device.Type.CPU) return;
        ArrayData d = indices.data();
        MemorySegment s = d.buffer().hostSegment();
        DType t = indices.dtype();
        int[] dims = indices.shape().dims();
        long[] st = d.strides();
        int[] pos = new int[dims.length];
        long off = d.offset();
        for (long i = 0, n = indices.size(); i < n; i++) {
            long v = Elem.getLong(t, s, off);
            if (v < -size || v >= size) {
                throw new IllegalArgumentException("[" + op + "] index " + v + " is out of bounds for axis " + axis + " with size " + size + ".");
            }
            for (int k = dims.length - 1; k >= 0; k--) {
                if (++pos[k] < dims[k]) {
                    off += st[k];
                    break;
                }
                off -= st[k] * (dims[k] - 1);
                pos[k] = 0;
            }
        }
    }
}
