package org.mlx4j.optim;

import java.util.Map;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * AdaDelta with a learning rate, as MLX's {@code mlx.optimizers.AdaDelta}:
 * <pre>
 *   v = rho * v + (1 - rho) * g^2                (state "v")
 *   d = sqrt(u + eps) / sqrt(v + eps) * g
 *   u = rho * u + (1 - rho) * d^2                (state "u")
 *   w = w - lr * d
 * </pre>
 * Defaults: rho 0.9, eps 1e-6.
 * <pre>{@code Optimizer adadelta = new AdaDelta(1.0); }</pre>
 */
public final class AdaDelta extends Optimizer {
    private final double rho;
    private final double eps;

    /** AdaDelta with a constant learning rate and MLX's defaults. */
    public AdaDelta(double learningRate) { this(builder(learningRate)); }

    /** AdaDelta with a scheduled learning rate and MLX's defaults. */
    public AdaDelta(Schedule learningRate) { this(builder(learningRate)); }

    private AdaDelta(Builder b) {
        super(b);
        if (!(b.rho >= 0)) throw new IllegalArgumentException("[AdaDelta] rho should be >= 0, got " + b.rho + ".");
        if (!(b.eps >= 0)) throw new IllegalArgumentException("[AdaDelta] eps should be >= 0, got " + b.eps + ".");
        this.rho = b.rho;
        this.eps = b.eps;
    }

    /** A builder with a constant learning rate and MLX's defaults. */
    public static Builder builder(double learningRate) { return new Builder(learningRate); }

    /** A builder with a scheduled learning rate and MLX's defaults. */
    public static Builder builder(Schedule learningRate) { return new Builder(learningRate); }

    /** The decay of the running averages. */
    public double rho() { return rho; }

    /** The epsilon inside the square roots. */
    public double eps() { return eps; }

    @Override protected void initSingle(Array parameter, Map<String, Array> state) {
        state.put("v", MX.zerosLike(parameter));
        state.put("u", MX.zerosLike(parameter));
    }

    @Override protected Array applySingle(Array gradient, Array parameter, Map<String, Array> state) {
        Array lr = learningRate().astype(gradient.dtype());
        Array v = state.get("v").multiply(rho).add(MX.square(gradient).multiply(1 - rho));
        Array u = state.get("u");
        Array d = MX.sqrt(u.add(eps)).divide(MX.sqrt(v.add(eps))).multiply(gradient);
        u = u.multiply(rho).add(MX.square(d).multiply(1 - rho));
        state.put("v", v);
        state.put("u", u);
        return parameter.subtract(lr.multiply(d));
    }

    @Override protected void addHyperparameters(Map<String, String> out) {
        out.put("rho", format(rho));
        out.put("eps", format(eps));
    }

    /** Builds an {@link AdaDelta}; unset values keep MLX's defaults. */
    public static final class Builder extends Optimizer.Builder<Builder> {
        private double rho = 0.9;
        private double eps = 1e-6;

        private Builder(double learningRate) { super(learningRate); }

        private Builder(Schedule learningRate) { super(learningRate); }

        /** The decay of the running averages (default 0.9, must be &gt;= 0). */
        public Builder rho(double rho) { this.rho = rho; return this; }

        /** The epsilon inside the square roots (default 1e-6, must be &gt;= 0). */
        public Builder eps(double eps) { this.eps = eps; return this; }

        /**
         * The optimizer.
         *
         * @throws IllegalArgumentException when rho or eps is negative
         */
        public AdaDelta build() { return new AdaDelta(this); }
    }
}
