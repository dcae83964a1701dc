package org.mlx4j.optim;

import java.util.Map;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * Muon (MomentUm Orthogonalized by Newton-Schulz), as MLX's {@code mlx.optimizers.Muon}:
 * <pre>
 *   g = g + weightDecay * w                      (when weightDecay != 0)
 *   v = momentum * v + (1 - momentum) * g        (state "v")
 *   u = nesterov ? (1 - momentum) * g + momentum * v : v
 *   ndim &gt;= 2:  u = NS(u reshaped to (shape[0], -1)), reshaped back;  lr = lr * sqrt(max(1, shape[-2] / shape[-1]))
 *   w = w - lr * u
 * </pre>
 * NS orthogonalizes with {@code nsSteps} quintic Newton-Schulz iterations, coefficients
 * (a, b, c) = (3.4445, -4.7750, 2.0315): X is transposed when it has more rows than columns,
 * divided by its Frobenius norm + 1e-7, then {@code A = X X^T; B = b A + c A A; X = a X + B X}.
 * Parameters of fewer than two axes get the plain momentum update (MLX recommends another
 * optimizer for them, e.g. with {@link MultiOptimizer}).
 * Defaults: momentum 0.95, weightDecay 0.01, nesterov true, nsSteps 5.
 * <pre>{@code Optimizer muon = Muon.builder(0.02).momentum(0.95).build(); }</pre>
 */
public final class Muon extends Optimizer {
    private static final double A = 3.4445;
    private static final double B = -4.7750;
    private static final double C = 2.0315;

    private final double momentum;
    private final double weightDecay;
    private final boolean nesterov;
    private final int nsSteps;

    /** Muon with a constant learning rate and MLX's defaults. */
    public Muon(double learningRate) { this(builder(learningRate)); }

    /** Muon with a scheduled learning rate and MLX's defaults. */
    public Muon(Schedule learningRate) { this(builder(learningRate)); }

    private Muon(Builder b) {
        super(b);
        if (b.nsSteps < 0) throw new IllegalArgumentException("[Muon] nsSteps must be >= 0, got " + b.nsSteps + ".");
        this.momentum = b.momentum;
        this.weightDecay = b.weightDecay;
        this.nesterov = b.nesterov;
        this.nsSteps = b.nsSteps;
    }

    /** A builder with a constant learning rate and MLX's defaults. */
    public static Builder builder(double learningRate) { return new Builder(learningRate); }

    /** A builder with a scheduled learning rate and MLX's defaults. */
    public static Builder builder(Schedule learningRate) { return new Builder(learningRate); }

    /** The momentum strength. */
    public double momentum() { return momentum; }

    /** The weight decay (L2 penalty added to the gradient). */
    public double weightDecay() { return weightDecay; }

    /** Whether Nesterov momentum is used. */
    public boolean nesterov() { return nesterov; }

    /** The number of Newton-Schulz iterations. */
    public int nsSteps() { return nsSteps; }

    @Override protected void initSingle(Array parameter, Map<String, Array> state) {
        state.put("v", MX.zerosLike(parameter));
    }

    @Override protected Array applySingle(Array gradient, Array parameter, Map<String, Array> state) {
        Array g = weightDecay != 0 ? gradient.add(parameter.multiply(weightDecay)) : gradient;
        Array v = state.get("v").multiply(momentum).add(g.multiply(1 - momentum));
        state.put("v", v);
        Array update = nesterov ? g.multiply(1 - momentum).add(v.multiply(momentum)) : v;
        Array lr = learningRate().astype(g.dtype());
        if (update.ndim() >= 2) {
            int[] shape = update.shape().dims();
            boolean reshape = update.ndim() > 2;
            if (reshape) update = update.reshape(shape[0], -1);
            update = newtonSchulz(update, nsSteps);
            if (reshape) update = update.reshape(shape);
            double ratio = (double) shape[shape.length - 2] / shape[shape.length - 1];
            if (ratio > 1) lr = lr.multiply(Math.pow(ratio, 0.5));
        }
        return parameter.subtract(lr.multiply(update));
    }

    /** Approximately orthogonalizes the 2-D {@code x} (MLX's {@code _zeropower_via_newtonschulz5}). */
    private static Array newtonSchulz(Array x, int steps) {
        boolean transpose = x.dim(0) > x.dim(1);
        if (transpose) x = x.T();
        // mx.linalg.norm(X, keepdims=True) of a matrix: the Frobenius norm, composed from sum/sqrt.
        Array norm = MX.sqrt(MX.sum(MX.square(x), new int[] {0, 1}, true));
        x = x.divide(norm.add(1e-7));
        for (int i = 0; i < steps; i++) {
            Array a = x.matmul(x.T());
            Array b = MX.addmm(a.multiply(B), a, a, C, 1.0);
            x = MX.addmm(x.multiply(A), b, x, 1.0, 1.0);
        }
        return transpose ? x.T() : x;
    }

    @Override protected void addHyperparameters(Map<String, String> out) {
        out.put("momentum", format(momentum));
        out.put("weightDecay", format(weightDecay));
        out.put("nesterov", Boolean.toString(nesterov));
        out.put("nsSteps", Integer.toString(nsSteps));
    }

    /** Builds a {@link Muon}; unset values keep MLX's defaults. */
    public static final class Builder extends Optimizer.Builder<Builder> {
        private double momentum = 0.95;
        private double weightDecay = 0.01;
        private boolean nesterov = true;
        private int nsSteps = 5;

        private Builder(double learningRate) { super(learningRate); }

        private Builder(Schedule learningRate) { super(learningRate); }

        /** The momentum strength (default 0.95). */
        public Builder momentum(double momentum) { this.momentum = momentum; return this; }

        /** The weight decay added to the gradient (default 0.01). */
        public Builder weightDecay(double weightDecay) { this.weightDecay = weightDecay; return this; }

        /** Nesterov momentum (default true). */
        public Builder nesterov(boolean nesterov) { this.nesterov = nesterov; return this; }

        /** Newton-Schulz iterations (default 5). */
        public Builder nsSteps(int nsSteps) { this.nsSteps = nsSteps; return this; }

        /**
         * The optimizer.
         *
         * @throws IllegalArgumentException when nsSteps &lt; 0
         */
        public Muon build() { return new Muon(this); }
    }
}
