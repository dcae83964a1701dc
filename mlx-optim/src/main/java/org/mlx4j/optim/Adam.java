package org.mlx4j.optim;

import java.util.Map;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * Adam, as MLX's {@code mlx.optimizers.Adam}:
 * <pre>
 *   m = beta1 * m + (1 - beta1) * g              (state "m")
 *   v = beta2 * v + (1 - beta2) * g^2            (state "v")
 *   w = w - lr * m / (sqrt(v) + eps)
 * </pre>
 * <b>Without bias correction by default</b>, like MLX (unlike PyTorch). With
 * {@code biasCorrection(true)}, at step t (1 for the first update):
 * {@code w = w - (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)}, where the powers
 * are computed in float32 as MLX computes them. Defaults: betas (0.9, 0.999), eps 1e-8.
 * <pre>{@code
 * Optimizer adam = new Adam(1e-3);
 * Optimizer tuned = Adam.builder(1e-3).betas(0.9, 0.98).eps(1e-9).biasCorrection(true).build();
 * }</pre>
 */
public final class Adam extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final boolean biasCorrection;

    /** Adam with a constant learning rate and MLX's defaults. */
    public Adam(double learningRate) { this(builder(learningRate)); }

    /** Adam with a scheduled learning rate and MLX's defaults. */
    public Adam(Schedule learningRate) { this(builder(learningRate)); }

    private Adam(Builder b) {
        super(b);
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.eps = b.eps;
        this.biasCorrection = b.biasCorrection;
    }

    /** A builder with a constant learning rate and MLX's defaults. */
    public static Builder builder(double learningRate) { return new Builder(learningRate); }

    /** A builder with a scheduled learning rate and MLX's defaults. */
    public static Builder builder(Schedule learningRate) { return new Builder(learningRate); }

    /** The first-moment decay beta1. */
    public double beta1() { return beta1; }

    /** The second-moment decay beta2. */
    public double beta2() { return beta2; }

    /** The denominator's epsilon. */
    public double eps() { return eps; }

    /** Whether bias correction is applied. */
    public boolean biasCorrection() { return biasCorrection; }

    @Override protected void initSingle(Array parameter, Map<String, Array> state) {
        state.put("m", MX.zerosLike(parameter));
        state.put("v", MX.zerosLike(parameter));
    }

    @Override protected Array applySingle(Array gradient, Array parameter, Map<String, Array> state) {
        return update(learningRate(), step(), beta1, beta2, eps, biasCorrection, gradient, parameter, state);
    }

    /** The Adam update, shared with {@link AdamW}. */
    static Array update(Array learningRate, Array step, double beta1, double beta2, double eps, boolean biasCorrection,
                        Array gradient, Array parameter, Map<String, Array> state) {
        Array lr = learningRate.astype(gradient.dtype());
        Array m = state.get("m").multiply(beta1).add(gradient.multiply(1 - beta1));
        Array v = state.get("v").multiply(beta2).add(MX.square(gradient).multiply(1 - beta2));
        state.put("m", m);
        state.put("v", v);
        if (biasCorrection) {
            // beta^t is float32 (a Python float to the power of an integer array), as in MLX.
            Array c1 = MX.divide(lr, rsub(1, MX.power(Schedules.weakFloat(beta1, step), step))).astype(gradient.dtype());
            Array c2 = MX.rsqrt(rsub(1, MX.power(Schedules.weakFloat(beta2, step), step))).astype(gradient.dtype());
            Array numerator = c1.multiply(m);
            Array denominator = MX.sqrt(v).multiply(c2).add(eps);
            return parameter.subtract(numerator.divide(denominator));
        }
        return parameter.subtract(lr.multiply(m).divide(MX.sqrt(v).add(eps)));
    }

    @Override protected void addHyperparameters(Map<String, String> out) {
        out.put("betas", format(beta1, beta2));
        out.put("eps", format(eps));
        out.put("biasCorrection", Boolean.toString(biasCorrection));
    }

    /** Builds an {@link Adam}; unset values keep MLX's defaults. */
    public static final class Builder extends Optimizer.Builder<Builder> {
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private boolean biasCorrection = false;

        private Builder(double learningRate) { super(learningRate); }

        private Builder(Schedule learningRate) { super(learningRate); }

        /** The moment decays (default 0.9, 0.999). */
        public Builder betas(double beta1, double beta2) { this.beta1 = beta1; this.beta2 = beta2; return this; }

        /** The denominator's epsilon (default 1e-8). */
        public Builder eps(double eps) { this.eps = eps; return this; }

        /** Bias correction (default false, as in MLX). */
        public Builder biasCorrection(boolean biasCorrection) { this.biasCorrection = biasCorrection; return this; }

        /** The optimizer. */
        public Adam build() { return new Adam(this); }
    }
}
