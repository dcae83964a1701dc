package org.mlx4j.core.ops;

import java.util.Arrays;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.Shape;
import org.mlx4j.core.primitive.ArgPartition;
import org.mlx4j.core.primitive.ArgSort;
import org.mlx4j.core.primitive.Sort;

/**
 * Sorting along an axis: sort, argsort, partition, argpartition, topk. Values picked by index
 * (partition, and the gradients of sort) go through the shape family's gather and scatter along an
 * axis ({@link Gathering}). See {@link org.mlx4j.core.MX}.
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
        return Gathering.gatherAlongAxis(x, Array.node(x.shape(), DType.UINT32, new ArgPartition(k, a), x), a);
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
}
