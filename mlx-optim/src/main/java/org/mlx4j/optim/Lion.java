package org.mlx4j.optim;

import java.util.Map;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * Lion, as MLX's {@code mlx.optimizers.Lion}:
 * <pre>
 *   c = beta1 * m + (1 - beta1) * g
 *   m = beta2 * m + (1 - beta2) * g              (state "m")
 *   w = w * (1 - lr * weightDecay)               (when weightDecay &gt; 0)
 *   w = w - lr * sign(c)
 * </pre>
 * Defaults: betas (0.9, 0.99), weightDecay 0. Use a learning rate 3-10x smaller than AdamW's.
 * <pre>{@code Optimizer lion = Lion.builder(1e-4).weightDecay(0.1).build(); }</pre>
 */
public final class Lion extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final double weightDecay;

    /** Lion with a constant learning rate and MLX's defaults. */
    public Lion(double learningRate) { this(builder(learningRate)); }

    /** Lion with a scheduled learning rate and MLX's defaults. */
    public Lion(Schedule learningRate) { this(builder(learningRate)); }

    private Lion(Builder b) {
        super(b);
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.weightDecay = b.weightDecay;
    }

    /** A builder with a constant learning rate and MLX's defaults. */
    public static Builder builder(double learningRate) { return new Builder(learningRate); }

    /** A builder with a scheduled learning rate and MLX's defaults. */
    public static Builder builder(Schedule learningRate) { return new Builder(learningRate); }

    /** The interpolation factor of the update direction. */
    public double beta1() { return beta1; }

    /** The momentum decay. */
    public double beta2() { return beta2; }

    /** The decoupled weight decay. */
    public double weightDecay() { return weightDecay; }

    @Override protected void initSingle(Array parameter, Map<String, Array> state) {
        state.put("m", MX.zerosLike(parameter));
    }

    @Override protected Array applySingle(Array gradient, Array parameter, Map<String, Array> state) {
        Array lr = learningRate().astype(gradient.dtype());
        Array m = state.get("m");
        Array c = m.multiply(beta1).add(gradient.multiply(1 - beta1));
        state.put("m", m.multiply(beta2).add(gradient.multiply(1 - beta2)));
        Array w = weightDecay > 0 ? MX.multiply(rsub(1, lr.multiply(weightDecay)), parameter) : parameter;
        return w.subtract(lr.multiply(MX.sign(c)));
    }

    @Override protected void addHyperparameters(Map<String, String> out) {
        out.put("betas", format(beta1, beta2));
        out.put("weightDecay", format(weightDecay));
    }

    /** Builds a {@link Lion}; unset values keep MLX's defaults. */
    public static final class Builder extends Optimizer.Builder<Builder> {
        private double beta1 = 0.9;
        private double beta2 = 0.99;
        private double weightDecay = 0;

        private Builder(double learningRate) { super(learningRate); }

        private Builder(Schedule learningRate) { super(learningRate); }

        /** The betas (default 0.9, 0.99). */
        public Builder betas(double beta1, double beta2) { this.beta1 = beta1; this.beta2 = beta2; return this; }

        /** The decoupled weight decay (default 0). */
        public Builder weightDecay(double weightDecay) { this.weightDecay = weightDecay; return this; }

        /** The optimizer. */
        public Lion build() { return new Lion(this); }
    }
}
