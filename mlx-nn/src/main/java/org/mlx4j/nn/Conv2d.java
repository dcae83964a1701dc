package org.mlx4j.nn;

import org.mlx4j.core.Array;

/**
 * 2-dimensional convolution, like MLX's {@code nn.Conv2d}, channels last: input (N, H, W, inChannels), output
 * (N, H_out, W_out, outChannels). Parameters {@code weight} (outChannels, kH, kW, inChannels / groups),
 * uniform in [-s, s] with s = sqrt(1 / (inChannels * prod(kernelSize))), and {@code bias}
 * (outChannels), zeros, both as MLX initializes them. Each output size is
 * {@code (size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1}.
 *
 * <pre>{@code
 * Conv2d conv = new Conv2d(1, 32, 3);   // (128, 28, 28, 1) -> (128, 26, 26, 32)
 * }</pre>
 */
public final class Conv2d extends ConvBase {
    /** A convolution with a square kernel, stride 1, no padding, dilation 1, one group and a bias. */
    public Conv2d(int inChannels, int outChannels, int kernelSize) { this(inChannels, outChannels, kernelSize, 1, 0, 1, 1, true); }

    /** A convolution with the same kernel size, stride and padding on every spatial axis, dilation 1, one group and a bias. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, kernelSize, stride, padding, 1, 1, true);
    }

    /** A convolution with the same kernel size, stride, padding and dilation on every spatial axis. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, int groups, boolean bias) {
        this(inChannels, outChannels, fill(2, kernelSize), fill(2, stride), fill(2, padding), fill(2, dilation), groups, bias);
    }

    /**
     * A 2-d convolution with settings per spatial axis (H, W).
     *
     * @param padding zeros added on both sides of each spatial axis
     * @param groups  channel groups; must divide both channel counts
     * @throws IllegalArgumentException if an array does not have 2 entries, a size is not positive, a padding is negative,
     *                                  or groups does not divide the channels
     */
    public Conv2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] dilation, int groups,
                  boolean bias) {
        super("Conv2d", 2, false, inChannels, outChannels, kernelSize, stride, padding, dilation, fill(2, 0), groups, bias);
    }

    /**
     * The convolution of {@code x} (N, H, W, inChannels), plus the bias.
     *
     * @throws IllegalArgumentException for another rank or channel count, an integral dtype, or a kernel larger than the padded input
     */
    @Override public Array forward(Array x) { return super.forward(x); }
}
