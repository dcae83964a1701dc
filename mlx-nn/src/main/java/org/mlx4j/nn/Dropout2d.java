package org.mlx4j.nn;

import org.mlx4j.core.Array;

/**
 * Channel-wise dropout for channels-last images, like MLX's {@code nn.Dropout2d}: in training mode
 * each channel of each sample is zeroed entirely with probability {@code p} (the same mask for every
 * pixel) and the kept channels are scaled by {@code 1/(1-p)}; the identity in evaluation mode.
 * Input (N, H, W, C) or (H, W, C); the output has the input's shape and dtype. Useful after early
 * convolutions, where neighbouring pixels are correlated and element-wise dropout regularizes little.
 */
public final class Dropout2d extends UnaryModule {
    private final double p;

    /** Channel dropout with MLX's default probability 0.5. */
    public Dropout2d() { this(0.5); }

    /**
     * Channel dropout that zeroes each channel with probability {@code p}.
     *
     * @throws IllegalArgumentException if {@code p} is not in [0, 1)
     */
    public Dropout2d(double p) {
        this.p = Dropout.checkProbability("Dropout2d", p);
    }

    /** The probability of zeroing a channel. */
    public double p() { return p; }

    /**
     * @throws IllegalArgumentException if {@code x} is not (N, H, W, C) or (H, W, C), in either mode
     */
    @Override public Array forward(Array x) {
        if (x.ndim() != 3 && x.ndim() != 4) {
            throw new IllegalArgumentException("[Dropout2d] expected input (N, H, W, C) or (H, W, C), got shape " + x.shape() + ".");
        }
        if (p == 0 || !isTraining()) return x;
        return Dropout.dropChannels(x, 2, p);
    }

    @Override protected String describe() { return "p=" + p; }
}
