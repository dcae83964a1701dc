package org.mlx4j.optim;

import java.util.Map;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * RMSprop, as MLX's {@code mlx.optimizers.RMSprop}:
 * <pre>
 *   v = alpha * v + (1 - alpha) * g^2            (state "v")
 *   w = w - lr * g / (sqrt(v) + eps)
 * </pre>
 * Defaults: alpha 0.99, eps 1e-8.
 * <pre>{@code Optimizer rms = RMSprop.builder(1e-3).alpha(0.9).build(); }</pre>
 */
public final class RMSprop extends Optimizer {
    private final double alpha;
    private final double eps;

    /** RMSprop with a constant learning rate and MLX's defaults. */
    public RMSprop(double learningRate) { this(builder(learningRate)); }

    /** RMSprop with a scheduled learning rate and MLX's defaults. */
    public RMSprop(Schedule learningRate) { this(builder(learningRate)); }

    private RMSprop(Builder b) {
        super(b);
        if (!(b.alpha >= 0)) throw new IllegalArgumentException("[RMSprop] alpha should be >= 0, got " + b.alpha + ".");
        if (!(b.eps >= 0)) throw new IllegalArgumentException("[RMSprop] eps should be >= 0, got " + b.eps + ".");
        this.alpha = b.alpha;
        this.eps = b.eps;
    }

    /** A builder with a constant learning rate and MLX's defaults. */
    public static Builder builder(double learningRate) { return new Builder(learningRate); }

    /** A builder with a scheduled learning rate and MLX's defaults. */
    public static Builder builder(Schedule learningRate) { return new Builder(learningRate); }

    /** The smoothing constant. */
    public double alpha() { return alpha; }

    /** The denominator's epsilon. */
    public double eps() { return eps; }

    @Override protected void initSingle(Array parameter, Map<String, Array> state) {
        state.put("v", MX.zerosLike(parameter));
    }

    @Override protected Array applySingle(Array gradient, Array parameter, Map<String, Array> state) {
        Array lr = learningRate().astype(gradient.dtype());
        Array v = state.get("v").multiply(alpha).add(MX.square(gradient).multiply(1 - alpha));
        state.put("v", v);
        return parameter.subtract(lr.multiply(gradient).divide(MX.sqrt(v).add(eps)));
    }

    @Override protected void addHyperparameters(Map<String, String> out) {
        out.put("alpha", format(alpha));
        out.put("eps", format(eps));
    }

    /** Builds an {@link RMSprop}; unset values keep MLX's defaults. */
    public static final class Builder extends Optimizer.Builder<Builder> {
        private double alpha = 0.99;
        private double eps = 1e-8;

        private Builder(double learningRate) { super(learningRate); }

        private Builder(Schedule learningRate) { super(learningRate); }

        /** The smoothing constant (default 0.99, must be &gt;= 0). */
        public Builder alpha(double alpha) { this.alpha = alpha; return this; }

        /** The denominator's epsilon (default 1e-8, must be &gt;= 0). */
        public Builder eps(double eps) { this.eps = eps; return this; }

        /**
         * The optimizer.
         *
         * @throws IllegalArgumentException when alpha or eps is negative
         */
        public RMSprop build() { return new RMSprop(this); }
    }
}
