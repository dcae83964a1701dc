package org.mlx4j.nn;

import org.mlx4j.core.Array;

/**
 * 1-dimensional convolution, like MLX's {@code nn.Conv1d}, channels last: input (N, L, inChannels), output
 * (N, L_out, outChannels). Parameters {@code weight} (outChannels, kernelSize, inChannels / groups),
 * uniform in [-s, s] with s = sqrt(1 / (inChannels * prod(kernelSize))), and {@code bias}
 * (outChannels), zeros, both as MLX initializes them. Each output size is
 * {@code (size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1}.
 *
 * <pre>{@code
 * Conv1d conv = new Conv1d(16, 32, 3, 1, 1);   // (8, 100, 16) -> (8, 100, 32)
 * }</pre>
 */
public final class Conv1d extends ConvBase {
    /** A convolution with stride 1, no padding, dilation 1, one group and a bias. */
    public Conv1d(int inChannels, int outChannels, int kernelSize) { this(inChannels, outChannels, kernelSize, 1, 0, 1, 1, true); }

    /** A convolution with dilation 1, one group and a bias. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, kernelSize, stride, padding, 1, 1, true);
    }

    /**
     * A 1-d convolution.
     *
     * @param padding zeros added at both ends of the sequence
     * @param groups  channel groups; must divide both channel counts
     * @throws IllegalArgumentException if a size is not positive, the padding is negative, or groups does not divide the channels
     */
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, int groups, boolean bias) {
        super("Conv1d", 1, false, inChannels, outChannels, new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, new int[] {dilation},
                new int[] {0}, groups, bias);
    }

    /**
     * The convolution of {@code x} (N, L, inChannels), plus the bias.
     *
     * @throws IllegalArgumentException for another rank or channel count, an integral dtype, or a kernel longer than the padded input
     */
    @Override public Array forward(Array x) { return super.forward(x); }
}
