package org.mlx4j.nn;

import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * Zeroes each element with probability {@code p} in training mode and scales the survivors by
 * {@code 1/(1-p)}, so every element keeps its expected value; the identity in evaluation mode
 * ({@link Module#eval()}), like MLX's {@code nn.Dropout}. Any input shape; the output has the
 * input's shape and dtype. The mask is drawn with {@link MX#bernoulli(double, int...)} from the
 * global random state ({@link MX#seed(long)}).
 *
 * <pre>{@code
 * Dropout drop = new Dropout(0.1);
 * Array y = drop.forward(x);   // training: about 10% zeros, the rest times 1/0.9
 * drop.eval();
 * drop.forward(x);             // x itself
 * }</pre>
 */
public final class Dropout extends UnaryModule {
    private final double p;

    /** Dropout with MLX's default probability 0.5. */
    public Dropout() { this(0.5); }

    /**
     * Dropout that zeroes each element with probability {@code p}.
     *
     * @throws IllegalArgumentException if {@code p} is not in [0, 1)
     */
    public Dropout(double p) {
        this.p = checkProbability("Dropout", p);
    }

    /** The probability of zeroing an element. */
    public double p() { return p; }

    @Override public Array forward(Array x) {
        if (p == 0 || !isTraining()) return x;
        return drop(x, x.shape().toArray(), p);
    }

    @Override protected String describe() { return "p=" + p; }

    /** {@code p} itself; rejects values outside [0, 1) (including NaN) with the layer's name. */
    static double checkProbability(String layer, double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("[" + layer + "] the dropout probability must be in [0, 1), got " + p + ".");
        }
        return p;
    }

    /**
     * {@code x * mask / (1-p)} with a Bernoulli(1-p) mask of {@code maskShape} (which broadcasts to
     * x's shape: size-1 axes drop whole slices, as Dropout2d and Dropout3d do with channels).
     */
    static Array drop(Array x, int[] maskShape, double p) {
        double keep = 1 - p;
        Array mask = MX.bernoulli(keep, maskShape);
        // multiply by the bool mask first, then scale, as MLX does: the dtype stays x's
        return MX.multiply(MX.multiply(mask, x), MX.scalarLike(1 / keep, x));
    }

    /**
     * {@link #drop} with one draw per channel of each sample: the mask has size 1 on the
     * {@code spatialAxes} axes before the last (channel) axis (Dropout2d: 2, Dropout3d: 3).
     */
    static Array dropChannels(Array x, int spatialAxes, double p) {
        int[] maskShape = x.shape().toArray();
        for (int i = 2; i <= spatialAxes + 1; i++) maskShape[maskShape.length - i] = 1;
        return drop(x, maskShape, p);
    }
}
