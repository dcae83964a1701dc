package org.mlx4j.core.ops;

import java.util.Arrays;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.Shape;
import org.mlx4j.core.primitive.ArgPartition;
import org.mlx4j.core.primitive.ArgSort;
import org.mlx4j.core.primitive.GatherAxis;
import org.mlx4j.core.primitive.ScatterAddAxis;
import org.mlx4j.core.primitive.Sort;

/**
 * Sorting along an axis: sort, argsort, partition, argpartition, topk, plus the gather and
 * scatter-add along an axis their gradients need. See {@link org.mlx4j.core.MX}.
 *
 * <p>Order: ascending, NaN after everything else (as NumPy and MLX); argsort is stable.
 */
public final class Sorting {
    private Sorting() {}

    /** Values sorted ascending along {@code axis} (NaN last); same shape and dtype. */
    public static Array sort(Array x, int axis) {
        int a = Shape.normalizeAxis(axis, x.ndim(), "sort");
        return Array.node(x.shape(), x.dtype(), new Sort(a), x);
    }

    /** Indices (uint32) that sort {@code x} along {@code axis}, stable, NaN last. */
    public static Array argsort(Array x, int axis) {
        int a = Shape.normalizeAxis(axis, x.ndim(), "argsort");
        return Array.node(x.shape(), DType.UINT32, new ArgSort(a), x);
    }

    private static int checkKth(String op, Array x, int a, int kth) {
        int n = x.shape().dims()[a];
        int k = kth < 0 ? kth + n : kth;
        if (k < 0 || k >= n) {
            throw new IllegalArgumentException("[" + op + "] kth " + kth + " is out of range for axis " + a + " of size " + n
                    + " (shape " + x.shape() + ").");
        }
        return k;
    }

    /**
     * Indices (uint32) partitioning {@code x} along {@code axis} around its {@code kth} smallest
     * element (negative kth counts from the end); see {@link ArgPartition}.
     *
     * @throws IllegalArgumentException when the axis or kth is out of range
     */
    public static Array argpartition(Array x, int kth, int axis) {
        int a = Shape.normalizeAxis(axis, x.ndim(), "argpartition");
        int k = checkKth("argpartition", x, a, kth);
        return Array.node(x.shape(), DType.UINT32, new ArgPartition(k, a), x);
    }

    /**
     * {@code x} partitioned along {@code axis}: the {@code kth} element is where a sort would put it,
     * no larger ones before it, no smaller ones after it; the order within each side is unspecified.
     *
     * @throws IllegalArgumentException when the axis or kth is out of range
     */
    public static Array partition(Array x, int kth, int axis) {
        int a = Shape.normalizeAxis(axis, x.ndim(), "partition");
        int k = checkKth("partition", x, a, kth);
        return gatherAxis(x, Array.node(x.shape(), DType.UINT32, new ArgPartition(k, a), x), a);
    }

    /**
     * The {@code k} largest elements along {@code axis}, in ascending order (they equal the last k
     * entries of {@code sort(x, axis)}; MLX leaves their order unspecified).
     *
     * @throws IllegalArgumentException when the axis is out of range or k is not in [0, size of the axis]
     */
    public static Array topk(Array x, int k, int axis) {
        int a = Shape.normalizeAxis(axis, x.ndim(), "topk");
        int n = x.shape().dims()[a];
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("[topk] k " + k + " is out of range for axis " + axis + " of size " + n
                    + " (shape " + x.shape() + ").");
        }
        if (k == n) return sort(x, a);
        int nd = x.ndim();
        int[] start = new int[nd], stop = x.shape().toArray(), step = new int[nd];
        Arrays.fill(step, 1);
        start[a] = n - k;
        if (k == 0) return ShapeOps.slice(x, start, stop, step);
        // partition puts the k largest in the tail (O(n)); sorting just those is O(k log k)
        return sort(ShapeOps.slice(partition(x, n - k, a), start, stop, step), a);
    }

    /**
     * Gather along {@code axis}: {@code out[..., i, ...] = x[..., indices[..., i, ...], ...]}.
     * {@code indices} is integral with x's shape except along {@code axis}; the output has the
     * indices' shape and x's dtype. Negative indices count from the end; an index out of range
     * fails the evaluation with an {@code IllegalArgumentException}. Internal to the sort family
     * (its gradients); the shape family's {@code takeAlongAxis} is the public op.
     */
    public static Array gatherAxis(Array x, Array indices, int axis) {
        int a = Shape.normalizeAxis(axis, x.ndim(), "gatherAxis");
        checkIndices("gatherAxis", x.shape(), indices, a);
        return Array.node(indices.shape(), x.dtype(), new GatherAxis(a), x, indices);
    }

    /**
     * Scatter-add along {@code axis} into zeros of {@code updates}' shape with {@code size} along the
     * axis: {@code out[..., indices[..., i, ...], ...] += updates[..., i, ...]}. The transpose of
     * {@link #gatherAxis}; internal to the sort family.
     */
    public static Array scatterAddAxis(Array updates, Array indices, int axis, int size) {
        int a = Shape.normalizeAxis(axis, updates.ndim(), "scatterAddAxis");
        if (!indices.shape().equals(updates.shape())) {
            throw new IllegalArgumentException("[scatterAddAxis] indices of shape " + indices.shape() + " do not match updates of shape "
                    + updates.shape() + ".");
        }
        checkIndices("scatterAddAxis", updates.shape(), indices, a);
        if (size < 0) throw new IllegalArgumentException("[scatterAddAxis] negative size " + size + ".");
        int[] out = updates.shape().toArray();
        out[a] = size;
        return Array.node(new Shape(out), updates.dtype(), new ScatterAddAxis(a, size), updates, indices);
    }

    private static void checkIndices(String op, Shape xs, Array indices, int a) {
        if (!indices.dtype().isInteger()) {
            throw new IllegalArgumentException("[" + op + "] indices must be integers, got " + indices.dtype().mlxName() + ".");
        }
        int[] d = xs.dims(), id = indices.shape().dims();
        boolean ok = d.length == id.length;
        for (int i = 0; ok && i < d.length; i++) ok = i == a || d[i] == id[i];
        if (!ok) {
            throw new IllegalArgumentException("[" + op + "] indices of shape " + indices.shape() + " do not match shape " + xs
                    + " outside axis " + a + ".");
        }
    }
}
