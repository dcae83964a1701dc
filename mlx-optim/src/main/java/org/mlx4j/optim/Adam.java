package org.mlx4j.optim;

import java.util.Map;
import org.mlx4j.core.Array;

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
public final class Adam extends AdamBase {
    /** Adam with a constant learning rate and MLX's defaults. */
    public Adam(double learningRate) { this(builder(learningRate)); }

    /** Adam with a scheduled learning rate and MLX's defaults. */
    public Adam(Schedule learningRate) { this(builder(learningRate)); }

    private Adam(Builder b) { super(b); }

    /** A builder with a constant learning rate and MLX's defaults. */
    public static Builder builder(double learningRate) { return new Builder(learningRate); }

    /** A builder with a scheduled learning rate and MLX's defaults. */
    public static Builder builder(Schedule learningRate) { return new Builder(learningRate); }

    @Override protected Array applySingle(Array gradient, Array parameter, Map<String, Array> state) {
        return adamUpdate(gradient, parameter, state);
    }

    /**
     * Builds an {@link Adam}; unset values keep MLX's defaults (betas (0.9, 0.999), eps 1e-8, no
     * bias correction).
     */
    public static final class Builder extends AdamBase.Builder<Builder> {
        private Builder(double learningRate) { super(learningRate); }

        private Builder(Schedule learningRate) { super(learningRate); }

        /** The optimizer. */
        public Adam build() { return new Adam(this); }
    }
}
