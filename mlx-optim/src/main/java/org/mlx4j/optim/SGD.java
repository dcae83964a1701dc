package org.mlx4j.optim;

import java.util.Map;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * Stochastic gradient descent with optional momentum, weight decay, dampening and Nesterov
 * momentum, as MLX's {@code mlx.optimizers.SGD}:
 * <pre>
 *   g  = g + weightDecay * w                    (when weightDecay != 0)
 *   v  = momentum * v + (1 - dampening) * g      (state "v", zeros at first)
 *   w  = w - lr * (nesterov ? g + momentum * v : v)
 * </pre>
 * With {@code momentum <= 0} the update is plain {@code w - lr * g} (the state {@code "v"} is
 * still created, as in MLX). Defaults: momentum 0, weightDecay 0, dampening 0, nesterov false.
 * <pre>{@code
 * Optimizer sgd = new SGD(0.1);
 * Optimizer nesterov = SGD.builder(0.1).momentum(0.9).nesterov(true).weightDecay(1e-4).build();
 * }</pre>
 */
public final class SGD extends Optimizer {
    private final double momentum;
    private final double weightDecay;
    private final double dampening;
    private final boolean nesterov;

    /** Plain SGD with a constant learning rate. */
    public SGD(double learningRate) { this(builder(learningRate)); }

    /** Plain SGD with a scheduled learning rate. */
    public SGD(Schedule learningRate) { this(builder(learningRate)); }

    private SGD(Builder b) {
        super(b);
        if (b.nesterov && (b.momentum <= 0 || b.dampening != 0)) {
            throw new IllegalArgumentException("[SGD] Nesterov momentum requires a momentum and zero dampening, got momentum="
                    + b.momentum + ", dampening=" + b.dampening + ".");
        }
        this.momentum = b.momentum;
        this.weightDecay = b.weightDecay;
        this.dampening = b.dampening;
        this.nesterov = b.nesterov;
    }

    /** A builder with a constant learning rate and MLX's defaults. */
    public static Builder builder(double learningRate) { return new Builder(learningRate); }

    /** A builder with a scheduled learning rate and MLX's defaults. */
    public static Builder builder(Schedule learningRate) { return new Builder(learningRate); }

    /** The momentum strength. */
    public double momentum() { return momentum; }

    /** The weight decay (L2 penalty added to the gradient). */
    public double weightDecay() { return weightDecay; }

    /** The momentum dampening. */
    public double dampening() { return dampening; }

    /** Whether Nesterov momentum is used. */
    public boolean nesterov() { return nesterov; }

    @Override protected void initSingle(Array parameter, Map<String, Array> state) {
        state.put("v", MX.zerosLike(parameter));
    }

    @Override protected Array applySingle(Array gradient, Array parameter, Map<String, Array> state) {
        Array g = weightDecay != 0 ? gradient.add(parameter.multiply(weightDecay)) : gradient;
        Array lr = learningRate().astype(g.dtype());
        if (momentum <= 0) return parameter.subtract(lr.multiply(g));
        Array v = state.get("v").multiply(momentum);
        v = dampening > 0 ? v.add(g.multiply(1 - dampening)) : v.add(g);
        Array update = nesterov ? g.add(v.multiply(momentum)) : v;
        state.put("v", v);
        return parameter.subtract(lr.multiply(update));
    }

    @Override protected void addHyperparameters(Map<String, String> out) {
        out.put("momentum", format(momentum));
        out.put("weightDecay", format(weightDecay));
        out.put("dampening", format(dampening));
        out.put("nesterov", Boolean.toString(nesterov));
    }

    /** Builds an {@link SGD}; unset values keep MLX's defaults. */
    public static final class Builder extends Optimizer.Builder<Builder> {
        private double momentum = 0;
        private double weightDecay = 0;
        private double dampening = 0;
        private boolean nesterov = false;

        private Builder(double learningRate) { super(learningRate); }

        private Builder(Schedule learningRate) { super(learningRate); }

        /** The momentum strength (default 0: none). */
        public Builder momentum(double momentum) { this.momentum = momentum; return this; }

        /** The weight decay, an L2 penalty added to the gradient (default 0). */
        public Builder weightDecay(double weightDecay) { this.weightDecay = weightDecay; return this; }

        /** Dampening of the momentum (default 0). */
        public Builder dampening(double dampening) { this.dampening = dampening; return this; }

        /** Nesterov momentum (default false; needs momentum &gt; 0 and no dampening). */
        public Builder nesterov(boolean nesterov) { this.nesterov = nesterov; return this; }

        /**
         * The optimizer.
         *
         * @throws IllegalArgumentException for Nesterov momentum without momentum or with dampening
         */
        public SGD build() { return new SGD(this); }
    }
}
