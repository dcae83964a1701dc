package org.mlx4j.optim;

import java.util.Map;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * Adagrad, as MLX's {@code mlx.optimizers.Adagrad}:
 * <pre>
 *   v = v + g^2                                  (state "v")
 *   w = w - lr * g / (sqrt(v) + eps)
 * </pre>
 * Default eps 1e-8.
 * <pre>{@code Optimizer adagrad = new Adagrad(1e-2); }</pre>
 */
public final class Adagrad extends Optimizer {
    private final double eps;

    /** Adagrad with a constant learning rate and MLX's defaults. */
    public Adagrad(double learningRate) { this(builder(learningRate)); }

    /** Adagrad with a scheduled learning rate and MLX's defaults. */
    public Adagrad(Schedule learningRate) { this(builder(learningRate)); }

    private Adagrad(Builder b) {
        super(b);
        if (!(b.eps >= 0)) throw new IllegalArgumentException("[Adagrad] eps should be >= 0, got " + b.eps + ".");
        this.eps = b.eps;
    }

    /** A builder with a constant learning rate and MLX's defaults. */
    public static Builder builder(double learningRate) { return new Builder(learningRate); }

    /** A builder with a scheduled learning rate and MLX's defaults. */
    public static Builder builder(Schedule learningRate) { return new Builder(learningRate); }

    /** The denominator's epsilon. */
    public double eps() { return eps; }

    @Override protected void initSingle(Array parameter, Map<String, Array> state) {
        state.put("v", MX.zerosLike(parameter));
    }

    @Override protected Array applySingle(Array gradient, Array parameter, Map<String, Array> state) {
        Array lr = learningRate().astype(gradient.dtype());
        Array v = state.get("v").add(MX.square(gradient));
        state.put("v", v);
        return parameter.subtract(lr.multiply(gradient).divide(MX.sqrt(v).add(eps)));
    }

    @Override protected void addHyperparameters(Map<String, String> out) {
        out.put("eps", format(eps));
    }

    /** Builds an {@link Adagrad}; unset values keep MLX's defaults. */
    public static final class Builder extends Optimizer.Builder<Builder> {
        private double eps = 1e-8;

        private Builder(double learningRate) { super(learningRate); }

        private Builder(Schedule learningRate) { super(learningRate); }

        /** The denominator's epsilon (default 1e-8, must be &gt;= 0). */
        public Builder eps(double eps) { this.eps = eps; return this; }

        /**
         * The optimizer.
         *
         * @throws IllegalArgumentException when eps &lt; 0
         */
        public Adagrad build() { return new Adagrad(this); }
    }
}
