package org.mlx4j.cuda;

import java.util.Arrays;
import org.mlx4j.core.Shape;

/**
 * A strided view as kernels see it: the {@code Layout} struct of {@code common.cuh} (ndim, then
 * {@value #MAX_DIMS} extents, then {@value #MAX_DIMS} element strides, all 64-bit), passed to a kernel
 * by value. Axes of size one are dropped and axes that are contiguous with their neighbour are merged,
 * so most views need two or three dimensions.
 *
 * @param shape   extents, at most {@value #MAX_DIMS}
 * @param strides element strides, one per extent
 */
public record Layout(long[] shape, long[] strides) {
    /** The most dimensions a kernel walks; {@code MLX_MAX_DIMS} in common.cuh. */
    public static final int MAX_DIMS = 8;

    /** Validates and copies. */
    public Layout {
        if (shape.length != strides.length) throw new IllegalArgumentException("[cuda] layout rank mismatch");
        shape = shape.clone();
        strides = strides.clone();
    }

    /**
     * The layout of {@code shape} with {@code strides}, simplified (size-one axes dropped, mergeable
     * neighbours merged).
     *
     * @throws UnsupportedOperationException when more than {@value #MAX_DIMS} axes remain
     */
    public static Layout of(Shape shape, long[] strides) {
        return simplify(toLong(shape.dims()), strides);
    }

    /** Row-major contiguous layout of {@code shape}. */
    public static Layout contiguous(Shape shape) { return of(shape, shape.strides()); }

    static long[] toLong(int[] d) {
        long[] r = new long[d.length];
        for (int i = 0; i < d.length; i++) r[i] = d[i];
        return r;
    }

    /** Drops size-one axes and merges axis i into i+1 where stride[i] == shape[i+1] * stride[i+1]. */
    static Layout simplify(long[] shape, long[] strides) {
        long[] sh = new long[shape.length];
        long[] st = new long[shape.length];
        int n = 0;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 1) continue;
            if (n > 0 && st[n - 1] == shape[i] * strides[i]) {
                sh[n - 1] *= shape[i];
                st[n - 1] = strides[i];
            } else {
                sh[n] = shape[i];
                st[n] = strides[i];
                n++;
            }
        }
        if (n > MAX_DIMS) {
            throw new UnsupportedOperationException("[cuda] a view of " + n + " non-mergeable axes exceeds the kernels' " + MAX_DIMS
                    + " (shape " + Arrays.toString(shape) + ", strides " + Arrays.toString(strides) + ")");
        }
        return new Layout(Arrays.copyOf(sh, n), Arrays.copyOf(st, n));
    }

    /**
     * Simplifies several layouts of one shape together (elementwise kernels walk all inputs with one
     * index), merging an axis only where every layout allows it.
     */
    public static Layout[] of(Shape shape, long[]... strides) {
        long[] dims = toLong(shape.dims());
        int k = strides.length;
        long[] sh = new long[dims.length];
        long[][] st = new long[k][dims.length];
        int n = 0;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == 1) continue;
            boolean merge = n > 0;
            for (int j = 0; j < k && merge; j++) merge = st[j][n - 1] == dims[i] * strides[j][i];
            if (merge) {
                sh[n - 1] *= dims[i];
                for (int j = 0; j < k; j++) st[j][n - 1] = strides[j][i];
            } else {
                sh[n] = dims[i];
                for (int j = 0; j < k; j++) st[j][n] = strides[j][i];
                n++;
            }
        }
        if (n > MAX_DIMS) {
            throw new UnsupportedOperationException("[cuda] an elementwise walk over " + n + " non-mergeable axes exceeds the kernels' " + MAX_DIMS + " (shape " + shape + ")");
        }
        Layout[] out = new Layout[k];
        for (int j = 0; j < k; j++) out[j] = new Layout(Arrays.copyOf(sh, n), Arrays.copyOf(st[j], n));
        return out;
    }

    /** Number of elements. */
    public long size() {
        long s = 1;
        for (long d : shape) s *= d;
        return s;
    }

    /** The struct's bytes as 17 longs: ndim, extents (padded with 1), strides (padded with 0). */
    public long[] pack() {
        long[] p = new long[1 + 2 * MAX_DIMS];
        p[0] = shape.length;
        Arrays.fill(p, 1, 1 + MAX_DIMS, 1);
        System.arraycopy(shape, 0, p, 1, shape.length);
        System.arraycopy(strides, 0, p, 1 + MAX_DIMS, strides.length);
        return p;
    }

    @Override public boolean equals(Object o) {
        return o instanceof Layout l && Arrays.equals(shape, l.shape) && Arrays.equals(strides, l.strides);
    }

    @Override public int hashCode() { return 31 * Arrays.hashCode(shape) + Arrays.hashCode(strides); }

    @Override public String toString() { return "Layout" + Arrays.toString(shape) + Arrays.toString(strides); }
}
