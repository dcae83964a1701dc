package org.mlx4j.nn;

import static org.mlx4j.nn.ConvBase.tuple;

import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;

/**
 * What the pooling layers share, with MLX's semantics: the input (N, spatial..., C) is padded on
 * both sides of each spatial axis (with -inf for max pooling, 0 for average pooling, which then
 * divides by the full window), windows start every {@code stride} elements, and a trailing remainder
 * too short for a window is dropped (floor mode), so each output size is
 * {@code (size + 2 * padding - kernel) / stride + 1}.
 *
 * <p>mlx-core has no pooling op and no {@code as_strided}, so pooling is composed from public ops
 * and differentiates through them. When the stride equals the kernel size on every axis (the usual
 * 2x2 pooling of a CNN) the windows tile the input: it is cropped to whole windows, reshaped to
 * (N, O1, k1, O2, k2, ..., C) and reduced over the window axes in one reduction. Otherwise the result
 * is the elementwise maximum (or sum) of one strided slice per kernel offset, prod(kernel) slices in all.
 */
abstract class PoolBase extends UnaryModule {
    private final String name;
    private final boolean max;
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;

    /**
     * Checks the arguments.
     *
     * @param stride null for the kernel size
     */
    PoolBase(String name, boolean max, int d, int[] kernelSize, int[] stride, int[] padding) {
        this.name = name;
        this.max = max;
        this.kernelSize = check(name, "kernelSize", kernelSize, d, 1);
        this.stride = stride == null ? this.kernelSize.clone() : check(name, "stride", stride, d, 1);
        this.padding = check(name, "padding", padding, d, 0);
    }

    private static int[] check(String name, String what, int[] v, int d, int min) {
        if (v == null || v.length != d) {
            throw new IllegalArgumentException("[" + name + "] " + what + " needs " + d + (d == 1 ? " entry" : " entries") + " (one per spatial axis), got "
                    + (v == null ? "null" : tuple(v)) + ".");
        }
        for (int x : v) {
            if (x < min) {
                throw new IllegalArgumentException("[" + name + "] " + what + " must be " + (min == 0 ? "non-negative" : "positive") + ", got "
                        + tuple(v) + ".");
            }
        }
        return v.clone();
    }

    /** The window size per spatial axis (a copy). */
    public int[] kernelSize() { return kernelSize.clone(); }

    /** The step between windows per spatial axis (a copy). */
    public int[] stride() { return stride.clone(); }

    /** The padding on both sides of each spatial axis (a copy). */
    public int[] padding() { return padding.clone(); }

    @Override public Array forward(Array x) {
        int d = kernelSize.length;
        if (x.ndim() != d + 2) {
            throw new IllegalArgumentException("[" + name + "] expected input (N, " + ConvBase.spatialNames(d) + ", C), got shape " + x.shape() + ".");
        }
        int[] out = new int[d];
        boolean padded = false, tiles = true;
        for (int i = 0; i < d; i++) {
            long size = x.dim(i + 1) + 2L * padding[i];
            if (size < kernelSize[i]) {
                throw new IllegalArgumentException("[" + name + "] the kernel " + tuple(kernelSize) + " is larger than the padded input along spatial axis "
                        + i + ": input of shape " + x.shape() + ", padding " + tuple(padding) + ".");
            }
            out[i] = (int) ((size - kernelSize[i]) / stride[i] + 1);
            padded |= padding[i] > 0;
            tiles &= stride[i] == kernelSize[i];
        }
        // average pooling of integers gives floats (as MLX's mean does)
        Array y = !max && !x.dtype().isFloating() ? MX.astype(x, DType.FLOAT32) : x;
        if (padded) {
            int[][] widths = new int[d + 2][];
            widths[0] = new int[] {0, 0};
            widths[d + 1] = new int[] {0, 0};
            for (int i = 0; i < d; i++) widths[i + 1] = new int[] {padding[i], padding[i]};
            y = MX.pad(y, widths, "constant", max ? lowest(y.dtype()) : 0);
        }
        return tiles ? tiled(y, out) : bySlices(y, out);
    }

    /** Stride == kernel: crop to whole windows, split each spatial axis into (windows, kernel), reduce the kernel axes. */
    private Array tiled(Array y, int[] out) {
        int d = kernelSize.length;
        int[] start = new int[d + 2], stop = y.shape().toArray(), step = ConvBase.fill(d + 2, 1);
        int[] split = new int[2 * d + 2];
        int[] axes = new int[d];
        split[0] = y.dim(0);
        split[2 * d + 1] = y.dim(-1);
        for (int i = 0; i < d; i++) {
            stop[i + 1] = out[i] * kernelSize[i];
            split[2 * i + 1] = out[i];
            split[2 * i + 2] = kernelSize[i];
            axes[i] = 2 * i + 2;
        }
        Array w = MX.reshape(MX.slice(y, start, stop, step), split);
        return max ? MX.max(w, axes) : MX.mean(w, axes);
    }

    /** General windows: combine the strided slice of every kernel offset. */
    private Array bySlices(Array y, int[] out) {
        int d = kernelSize.length;
        int[] offset = new int[d];
        int[] start = new int[d + 2], stop = y.shape().toArray(), step = ConvBase.fill(d + 2, 1);
        long count = 1;
        for (int k : kernelSize) count *= k;
        Array acc = null;
        for (long n = 0; n < count; n++) {
            for (int i = 0; i < d; i++) {
                start[i + 1] = offset[i];
                stop[i + 1] = offset[i] + (out[i] - 1) * stride[i] + 1;
                step[i + 1] = stride[i];
            }
            Array s = MX.slice(y, start, stop, step);
            acc = acc == null ? s : max ? MX.maximum(acc, s) : MX.add(acc, s);
            for (int i = d - 1; i >= 0 && ++offset[i] == kernelSize[i]; i--) offset[i] = 0;
        }
        return max ? acc : MX.divide(acc, MX.scalarLike(count, acc));
    }

    /** The padding value for max pooling: -inf, or the smallest value of an integral dtype. */
    private static double lowest(DType t) {
        return switch (t.kind()) {
            case FLOAT -> Double.NEGATIVE_INFINITY;
            case SIGNED -> -Math.pow(2, 8 * t.size() - 1);
            case UNSIGNED, BOOL -> 0;
        };
    }

    @Override protected String describe() {
        return "kernelSize=" + tuple(kernelSize) + ", stride=" + tuple(stride) + ", padding=" + tuple(padding);
    }
}
