package org.mlx4j.optim;

import java.util.Map;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * What {@link Adam} and {@link AdamW} share: the moment decays, epsilon and bias correction, the
 * state {@code "m"} and {@code "v"}, the Adam update and its hyperparameters. AdamW only adds the
 * decoupled weight decay.
 */
abstract sealed class AdamBase extends Optimizer permits Adam, AdamW {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final boolean biasCorrection;

    AdamBase(Builder<?> b) {
        super(b);
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.eps = b.eps;
        this.biasCorrection = b.biasCorrection;
    }

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

    /** The Adam update of {@code parameter} (already decayed, for AdamW). */
    final Array adamUpdate(Array gradient, Array parameter, Map<String, Array> state) {
        Array lr = learningRate().astype(gradient.dtype());
        Array m = state.get("m").multiply(beta1).add(gradient.multiply(1 - beta1));
        Array v = state.get("v").multiply(beta2).add(MX.square(gradient).multiply(1 - beta2));
        state.put("m", m);
        state.put("v", v);
        if (biasCorrection) {
            Array step = step();
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

    /**
     * The settings {@link Adam.Builder} and {@link AdamW.Builder} share; unset values keep MLX's defaults.
     *
     * @param <B> the concrete builder, returned by the setters for chaining
     */
    abstract static sealed class Builder<B extends Builder<B>> extends Optimizer.Builder<B> permits Adam.Builder, AdamW.Builder {
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private boolean biasCorrection = false;

        Builder(double learningRate) { super(learningRate); }

        Builder(Schedule learningRate) { super(learningRate); }

        /** The moment decays (default 0.9, 0.999). */
        public B betas(double beta1, double beta2) { this.beta1 = beta1; this.beta2 = beta2; return self(); }

        /** The denominator's epsilon (default 1e-8). */
        public B eps(double eps) { this.eps = eps; return self(); }

        /** Bias correction (default false, as in MLX). */
        public B biasCorrection(boolean biasCorrection) { this.biasCorrection = biasCorrection; return self(); }
    }
}
