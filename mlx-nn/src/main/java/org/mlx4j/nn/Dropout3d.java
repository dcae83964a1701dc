package org.mlx4j.nn;

import org.mlx4j.core.Array;

/**
 * Channel-wise dropout for channels-last volumes, like MLX's {@code nn.Dropout3d}: in training mode
 * each channel of each sample is zeroed entirely with probability {@code p} and the kept channels
 * are scaled by {@code 1/(1-p)}; the identity in evaluation mode. Input (N, D, H, W, C) or
 * (D, H, W, C); the output has the input's shape and dtype.
 */
public final class Dropout3d extends UnaryModule {
    private final double p;

    /** Channel dropout with MLX's default probability 0.5. */
    public Dropout3d() { this(0.5); }

    /**
     * Channel dropout that zeroes each channel with probability {@code p}.
     *
     * @throws IllegalArgumentException if {@code p} is not in [0, 1)
     */
    public Dropout3d(double p) {
        this.p = Dropout.checkProbability("Dropout3d", p);
    }

    /** The probability of zeroing a channel. */
    public double p() { return p; }

    /**
     * @throws IllegalArgumentException if {@code x} is not (N, D, H, W, C) or (D, H, W, C), in either mode
     */
    @Override public Array forward(Array x) {
        if (x.ndim() != 4 && x.ndim() != 5) {
            throw new IllegalArgumentException("[Dropout3d] expected input (N, D, H, W, C) or (D, H, W, C), got shape " + x.shape() + ".");
        }
        if (p == 0 || !isTraining()) return x;
        return Dropout.dropChannels(x, 3, p);
    }

    @Override protected String describe() { return "p=" + p; }
}
