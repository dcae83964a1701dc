package org.mlx4j.nn;

import org.mlx4j.core.Array;

/**
 * 3-dimensional transposed convolution, like MLX's {@code nn.ConvTranspose3d}, channels last: input
 * (N, D, H, W, inChannels), output (N, D_out, H_out, W_out, outChannels), each output size
 * {@code (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + 1 + outputPadding}.
 * Parameters {@code weight} (outChannels, kD, kH, kW, inChannels), uniform in [-s, s] with
 * s = sqrt(1 / (inChannels * prod(kernelSize))), and {@code bias} (outChannels), zeros, as MLX.
 *
 * <pre>{@code
 * ConvTranspose3d up = new ConvTranspose3d(8, 4, 2, 2, 0);   // (2, 4, 4, 4, 8) -> (2, 8, 8, 8, 4)
 * }</pre>
 */
public final class ConvTranspose3d extends ConvBase {
    /** A transposed convolution with a cubic kernel, stride 1, no padding, dilation 1, no output padding and a bias. */
    public ConvTranspose3d(int inChannels, int outChannels, int kernelSize) { this(inChannels, outChannels, kernelSize, 1, 0, 1, 0, true); }

    /** A transposed convolution with the same kernel size, stride and padding on every axis, dilation 1, no output padding, a bias. */
    public ConvTranspose3d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, kernelSize, stride, padding, 1, 0, true);
    }

    /** A transposed convolution with the same settings on every spatial axis. */
    public ConvTranspose3d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, int outputPadding,
                           boolean bias) {
        this(inChannels, outChannels, fill(3, kernelSize), fill(3, stride), fill(3, padding), fill(3, dilation), fill(3, outputPadding), bias);
    }

    /**
     * A 3-d transposed convolution with settings per spatial axis (D, H, W).
     *
     * @param padding       elements removed from both ends of each axis of the full output
     * @param outputPadding elements added at the end of each axis; smaller than the stride or the dilation there
     * @throws IllegalArgumentException if an array does not have 3 entries, a size is not positive, a padding is negative or
     *                                  an output padding too large
     */
    public ConvTranspose3d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
                           int[] outputPadding, boolean bias) {
        super("ConvTranspose3d", 3, true, inChannels, outChannels, kernelSize, stride, padding, dilation, outputPadding, 1, bias);
    }

    /** The output padding per spatial axis (a copy). */
    public int[] outputPadding() { return outputPaddingArray(); }

    /**
     * The transposed convolution of {@code x} (N, D, H, W, inChannels), plus the bias.
     *
     * @throws IllegalArgumentException for another rank or channel count, an integral dtype, or a padding that leaves no output
     */
    @Override public Array forward(Array x) { return super.forward(x); }
}
