package org.mlx4j.optim;

import java.util.Map;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * Adamax, the infinity-norm variant of Adam, as MLX's {@code mlx.optimizers.Adamax}:
 * <pre>
 *   m = beta1 * m + (1 - beta1) * g              (state "m")
 *   v = max(beta2 * v, |g|)                      (state "v")
 *   w = w - lr * m / (v + eps)
 * </pre>
 * Defaults: betas (0.9, 0.999), eps 1e-8.
 * <pre>{@code Optimizer adamax = Adamax.builder(2e-3).betas(0.9, 0.99).build(); }</pre>
 */
public final class Adamax extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;

    /** Adamax with a constant learning rate and MLX's defaults. */
    public Adamax(double learningRate) { this(builder(learningRate)); }

    /** Adamax with a scheduled learning rate and MLX's defaults. */
    public Adamax(Schedule learningRate) { this(builder(learningRate)); }

    private Adamax(Builder b) {
        super(b);
        if (!(b.eps >= 0)) throw new IllegalArgumentException("[Adamax] eps should be >= 0, got " + b.eps + ".");
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.eps = b.eps;
    }

    /** A builder with a constant learning rate and MLX's defaults. */
    public static Builder builder(double learningRate) { return new Builder(learningRate); }

    /** A builder with a scheduled learning rate and MLX's defaults. */
    public static Builder builder(Schedule learningRate) { return new Builder(learningRate); }

    /** The first-moment decay beta1. */
    public double beta1() { return beta1; }

    /** The infinity-norm decay beta2. */
    public double beta2() { return beta2; }

    /** The denominator's epsilon. */
    public double eps() { return eps; }

    @Override protected void initSingle(Array parameter, Map<String, Array> state) {
        state.put("m", MX.zerosLike(parameter));
        state.put("v", MX.zerosLike(parameter));
    }

    @Override protected Array applySingle(Array gradient, Array parameter, Map<String, Array> state) {
        Array lr = learningRate().astype(gradient.dtype());
        Array m = state.get("m").multiply(beta1).add(gradient.multiply(1 - beta1));
        Array v = MX.maximum(state.get("v").multiply(beta2), MX.abs(gradient));
        state.put("m", m);
        state.put("v", v);
        return parameter.subtract(lr.multiply(m).divide(v.add(eps)));
    }

    @Override protected void addHyperparameters(Map<String, String> out) {
        out.put("betas", format(beta1, beta2));
        out.put("eps", format(eps));
    }

    /** Builds an {@link Adamax}; unset values keep MLX's defaults. */
    public static final class Builder extends Optimizer.Builder<Builder> {
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;

        private Builder(double learningRate) { super(learningRate); }

        private Builder(Schedule learningRate) { super(learningRate); }

        /** The decays (default 0.9, 0.999). */
        public Builder betas(double beta1, double beta2) { this.beta1 = beta1; this.beta2 = beta2; return this; }

        /** The denominator's epsilon (default 1e-8, must be &gt;= 0). */
        public Builder eps(double eps) { this.eps = eps; return this; }

        /**
         * The optimizer.
         *
         * @throws IllegalArgumentException when eps &lt; 0
         */
        public Adamax build() { return new Adamax(this); }
    }
}
