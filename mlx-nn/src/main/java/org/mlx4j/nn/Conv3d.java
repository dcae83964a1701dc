package org.mlx4j.nn;

import org.mlx4j.core.Array;

/**
 * 3-dimensional convolution, like MLX's {@code nn.Conv3d}, channels last: input (N, D, H, W, inChannels), output
 * (N, D_out, H_out, W_out, outChannels). Parameters {@code weight} (outChannels, kD, kH, kW, inChannels / groups),
 * uniform in [-s, s] with s = sqrt(1 / (inChannels * prod(kernelSize))), and {@code bias}
 * (outChannels), zeros, both as MLX initializes them ({@code groups} is an mlx4j addition: MLX's Conv3d has
 * none). Each output size is
 * {@code (size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1}.
 *
 * <pre>{@code
 * Conv3d conv = new Conv3d(4, 8, 3, 1, 1);   // (2, 16, 16, 16, 4) -> (2, 16, 16, 16, 8)
 * }</pre>
 */
public final class Conv3d extends ConvBase {
    /** A convolution with a square kernel, stride 1, no padding, dilation 1, one group and a bias. */
    public Conv3d(int inChannels, int outChannels, int kernelSize) { this(inChannels, outChannels, kernelSize, 1, 0, 1, 1, true); }

    /** A convolution with the same kernel size, stride and padding on every spatial axis, dilation 1, one group and a bias. */
    public Conv3d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, kernelSize, stride, padding, 1, 1, true);
    }

    /** A convolution with the same kernel size, stride, padding and dilation on every spatial axis. */
    public Conv3d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, int groups, boolean bias) {
        this(inChannels, outChannels, fill(3, kernelSize), fill(3, stride), fill(3, padding), fill(3, dilation), groups, bias);
    }

    /**
     * A 3-d convolution with settings per spatial axis (D, H, W).
     *
     * @param padding zeros added on both sides of each spatial axis
     * @param groups  channel groups; must divide both channel counts
     * @throws IllegalArgumentException if an array does not have 3 entries, a size is not positive, a padding is negative,
     *                                  or groups does not divide the channels
     */
    public Conv3d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] dilation, int groups,
                  boolean bias) {
        super("Conv3d", 3, false, inChannels, outChannels, kernelSize, stride, padding, dilation, fill(3, 0), groups, bias);
    }

    /**
     * The convolution of {@code x} (N, D, H, W, inChannels), plus the bias.
     *
     * @throws IllegalArgumentException for another rank or channel count, an integral dtype, or a kernel larger than the padded input
     */
    @Override public Array forward(Array x) { return super.forward(x); }
}
