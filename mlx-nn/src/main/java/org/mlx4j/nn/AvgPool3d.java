package org.mlx4j.nn;

import org.mlx4j.core.Array;

/**
 * 3-dimensional average pooling, like MLX's {@code nn.AvgPool3d}: on an input (N, D, H, W, C), the mean of each window
 * of size {@code kernelSize} taken every {@code stride} elements (default: the kernel size). The
 * padding, on both sides of each spatial axis, is zeros, counted in the mean: the sum is always divided by the full window size, as in MLX.
 * Output sizes are {@code (size + 2 * padding - kernel) / stride + 1} (a remainder too short for a
 * window is dropped); the channels and batch are kept. No parameters.
 *
 * <pre>{@code
 * Array y = new AvgPool3d(2).forward(x);   // halves each spatial axis
 * }</pre>
 */
public final class AvgPool3d extends PoolBase {
    /**
     * Pooling with windows of {@code kernelSize} on every spatial axis, non-overlapping (stride = kernel size), no padding.
     *
     * @throws IllegalArgumentException if the kernel size is not positive
     */
    public AvgPool3d(int kernelSize) { this(kernelSize, kernelSize, 0); }

    /** Pooling with the same kernel size and stride on every spatial axis, no padding. */
    public AvgPool3d(int kernelSize, int stride) { this(kernelSize, stride, 0); }

    /**
     * Pooling with the same kernel size, stride and padding on every spatial axis.
     *
     * @throws IllegalArgumentException if the kernel size or stride is not positive or the padding is negative
     */
    public AvgPool3d(int kernelSize, int stride, int padding) {
        this(ConvBase.fill(3, kernelSize), ConvBase.fill(3, stride), ConvBase.fill(3, padding));
    }

    /**
     * Pooling with settings per spatial axis (D, H, W).
     *
     * @param stride null for the kernel size
     * @throws IllegalArgumentException if an array does not have 3 entries, a size is not positive or a padding negative
     */
    public AvgPool3d(int[] kernelSize, int[] stride, int[] padding) { super("AvgPool3d", false, 3, kernelSize, stride, padding); }

    /**
     * Pools {@code x} (N, D, H, W, C).
     *
     * @throws IllegalArgumentException for another rank or a kernel larger than the padded input
     */
    @Override public Array forward(Array x) { return super.forward(x); }
}
