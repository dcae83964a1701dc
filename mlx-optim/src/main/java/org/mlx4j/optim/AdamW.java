package org.mlx4j.optim;

import java.util.Map;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * AdamW, as MLX's {@code mlx.optimizers.AdamW}: Adam on the decayed weights
 * {@code w * (1 - lr * weightDecay)} (decoupled weight decay). State {@code "m"}, {@code "v"}.
 * Defaults: betas (0.9, 0.999), eps 1e-8, weightDecay 0.01, no bias correction.
 * <pre>{@code
 * Optimizer adamw = new AdamW(1e-3);
 * Optimizer tuned = AdamW.builder(3e-4).weightDecay(0.1).betas(0.9, 0.95).build();
 * }</pre>
 */
public final class AdamW extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final boolean biasCorrection;
    private final double weightDecay;

    /** AdamW with a constant learning rate and MLX's defaults. */
    public AdamW(double learningRate) { this(builder(learningRate)); }

    /** AdamW with a scheduled learning rate and MLX's defaults. */
    public AdamW(Schedule learningRate) { this(builder(learningRate)); }

    private AdamW(Builder b) {
        super(b);
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.eps = b.eps;
        this.biasCorrection = b.biasCorrection;
        this.weightDecay = b.weightDecay;
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

    /** The decoupled weight decay. */
    public double weightDecay() { return weightDecay; }

    @Override protected void initSingle(Array parameter, Map<String, Array> state) {
        state.put("m", MX.zerosLike(parameter));
        state.put("v", MX.zerosLike(parameter));
    }

    @Override protected Array applySingle(Array gradient, Array parameter, Map<String, Array> state) {
        Array lr = learningRate().astype(gradient.dtype());
        Array decayed = parameter.multiply(rsub(1, lr.multiply(weightDecay)));
        return Adam.update(learningRate(), step(), beta1, beta2, eps, biasCorrection, gradient, decayed, state);
    }

    @Override protected void addHyperparameters(Map<String, String> out) {
        out.put("betas", format(beta1, beta2));
        out.put("eps", format(eps));
        out.put("biasCorrection", Boolean.toString(biasCorrection));
        out.put("weightDecay", format(weightDecay));
    }

    /** Builds an {@link AdamW}; unset values keep MLX's defaults. */
    public static final class Builder extends Optimizer.Builder<Builder> {
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private double weightDecay = 0.01;
        private boolean biasCorrection = false;

        private Builder(double learningRate) { super(learningRate); }

        private Builder(Schedule learningRate) { super(learningRate); }

        /** The moment decays (default 0.9, 0.999). */
        public Builder betas(double beta1, double beta2) { this.beta1 = beta1; this.beta2 = beta2; return this; }

        /** The denominator's epsilon (default 1e-8). */
        public Builder eps(double eps) { this.eps = eps; return this; }

        /** The decoupled weight decay (default 0.01). */
        public Builder weightDecay(double weightDecay) { this.weightDecay = weightDecay; return this; }

        /** Bias correction (default false, as in MLX). */
        public Builder biasCorrection(boolean biasCorrection) { this.biasCorrection = biasCorrection; return this; }

        /** The optimizer. */
        public AdamW build() { return new AdamW(this); }
    }
}
