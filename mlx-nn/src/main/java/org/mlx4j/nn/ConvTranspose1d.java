package org.mlx4j.nn;

import org.mlx4j.core.Array;

/**
 * 1-dimensional transposed convolution, like MLX's {@code nn.ConvTranspose1d}, channels last: input
 * (N, L, inChannels), output (N, L_out, outChannels) with
 * {@code L_out = (L - 1) * stride - 2 * padding + dilation * (kernelSize - 1) + 1 + outputPadding}.
 * Parameters {@code weight} (outChannels, kernelSize, inChannels), uniform in [-s, s] with
 * s = sqrt(1 / (inChannels * kernelSize)), and {@code bias} (outChannels), zeros, as MLX.
 *
 * <pre>{@code
 * ConvTranspose1d up = new ConvTranspose1d(32, 16, 4, 2, 1);   // (8, 50, 32) -> (8, 100, 16)
 * }</pre>
 */
public final class ConvTranspose1d extends ConvBase {
    /** A transposed convolution with stride 1, no padding, dilation 1, no output padding and a bias. */
    public ConvTranspose1d(int inChannels, int outChannels, int kernelSize) { this(inChannels, outChannels, kernelSize, 1, 0, 1, 0, true); }

    /** A transposed convolution with dilation 1, no output padding and a bias. */
    public ConvTranspose1d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, kernelSize, stride, padding, 1, 0, true);
    }

    /**
     * A 1-d transposed convolution.
     *
     * @param padding       elements removed from both ends of the full output
     * @param outputPadding elements added at the end of the output; smaller than the stride or the dilation
     * @throws IllegalArgumentException if a size is not positive, a padding is negative or the output padding too large
     */
    public ConvTranspose1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, int outputPadding,
                           boolean bias) {
        super("ConvTranspose1d", 1, true, inChannels, outChannels, new int[] {kernelSize}, new int[] {stride}, new int[] {padding},
                new int[] {dilation}, new int[] {outputPadding}, 1, bias);
    }

    /** The output padding (one entry; a copy). */
    public int[] outputPadding() { return outputPaddingArray(); }

    /**
     * The transposed convolution of {@code x} (N, L, inChannels), plus the bias.
     *
     * @throws IllegalArgumentException for another rank or channel count, an integral dtype, or a padding that leaves no output
     */
    @Override public Array forward(Array x) { return super.forward(x); }
}
