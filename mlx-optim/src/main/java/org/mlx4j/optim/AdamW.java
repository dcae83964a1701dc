package org.mlx4j.optim;

import java.util.Map;
import org.mlx4j.core.Array;

/**
 * AdamW, as MLX's {@code mlx.optimizers.AdamW}: Adam on the decayed weights
 * {@code w * (1 - lr * weightDecay)} (decoupled weight decay). State {@code "m"}, {@code "v"}.
 * Defaults: betas (0.9, 0.999), eps 1e-8, weightDecay 0.01, no bias correction.
 * <pre>{@code
 * Optimizer adamw = new AdamW(1e-3);
 * Optimizer tuned = AdamW.builder(3e-4).weightDecay(0.1).betas(0.9, 0.95).build();
 * }</pre>
 */
public final class AdamW extends AdamBase {
    private final double weightDecay;

    /** AdamW with a constant learning rate and MLX's defaults. */
    public AdamW(double learningRate) { this(builder(learningRate)); }

    /** AdamW with a scheduled learning rate and MLX's defaults. */
    public AdamW(Schedule learningRate) { this(builder(learningRate)); }

    private AdamW(Builder b) {
        super(b);
        this.weightDecay = b.weightDecay;
    }

    /** A builder with a constant learning rate and MLX's defaults. */
    public static Builder builder(double learningRate) { return new Builder(learningRate); }

    /** A builder with a scheduled learning rate and MLX's defaults. */
    public static Builder builder(Schedule learningRate) { return new Builder(learningRate); }

    /** The decoupled weight decay. */
    public double weightDecay() { return weightDecay; }

    @Override protected Array applySingle(Array gradient, Array parameter, Map<String, Array> state) {
        Array lr = learningRate().astype(gradient.dtype());
        Array decayed = parameter.multiply(rsub(1, lr.multiply(weightDecay)));
        return adamUpdate(gradient, decayed, state);
    }

    @Override protected void addHyperparameters(Map<String, String> out) {
        super.addHyperparameters(out);
        out.put("weightDecay", format(weightDecay));
    }

    /**
     * Builds an {@link AdamW}; unset values keep MLX's defaults (betas (0.9, 0.999), eps 1e-8,
     * weightDecay 0.01, no bias correction).
     */
    public static final class Builder extends AdamBase.Builder<Builder> {
        private double weightDecay = 0.01;

        private Builder(double learningRate) { super(learningRate); }

        private Builder(Schedule learningRate) { super(learningRate); }

        /** The decoupled weight decay (default 0.01). */
        public Builder weightDecay(double weightDecay) { this.weightDecay = weightDecay; return this; }

        /** The optimizer. */
        public AdamW build() { return new AdamW(this); }
    }
}
