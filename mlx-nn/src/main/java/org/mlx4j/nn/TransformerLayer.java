package org.mlx4j.nn;

import java.util.function.UnaryOperator;
import org.mlx4j.core.Array;

/**
 * What {@link TransformerEncoderLayer} and {@link TransformerDecoderLayer} share: their sizes and
 * checks, the MLP ({@code linear1}, activation, dropout, {@code linear2}), the residual step in
 * pre-norm or post-norm order, and the printout. The subclasses register their own attentions,
 * norms and dropouts, in MLX's order.
 */
abstract sealed class TransformerLayer extends Module permits TransformerEncoderLayer, TransformerDecoderLayer {
    private final int dims, numHeads, mlpDims;
    private final double dropout;
    private final boolean normFirst;
    private final UnaryOperator<Array> activation;
    private Linear linear1, linear2;

    /**
     * Checks and keeps the sizes; registers nothing.
     *
     * @throws IllegalArgumentException ({@code [layer]}) as the public constructors document
     */
    TransformerLayer(String layer, int dims, int numHeads, int mlpDims, double dropout, UnaryOperator<Array> activation, boolean normFirst) {
        checkSizes(layer, dims, numHeads, mlpDims, activation);
        this.dims = dims;
        this.numHeads = numHeads;
        this.mlpDims = mlpDims > 0 ? mlpDims : 4 * dims;
        this.dropout = Dropout.checkProbability(layer, dropout);
        this.normFirst = normFirst;
        this.activation = activation;
    }

    /** Registers {@code linear1} (dims to mlpDims) and {@code linear2} (back); the subclasses call it after their norms, as MLX orders them. */
    final void registerMlp() {
        linear1 = registerModule("linear1", new Linear(dims, mlpDims));
        linear2 = registerModule("linear2", new Linear(mlpDims, dims));
    }

    /** Registers the activation as child {@code activation} when it is a {@link Module}; the subclasses call it last. */
    final void registerActivation() {
        if (activation instanceof Module m) registerModule("activation", m);
    }

    /** {@code linear2(drop(act(linear1(x))))}. */
    final Array mlp(Dropout drop, Array x) {
        return linear2.forward(drop.forward(activation.apply(linear1.forward(x))));
    }

    /** Pre-norm {@code x + branch(norm(x))}, or post-norm {@code norm(x + branch(x))}. */
    final Array residual(UnaryModule norm, Array x, UnaryOperator<Array> branch) {
        return normFirst ? x.add(branch.apply(norm.forward(x))) : norm.forward(x.add(branch.apply(x)));
    }

    static void checkSizes(String layer, int dims, int numHeads, int mlpDims, UnaryOperator<Array> activation) {
        if (dims <= 0 || numHeads <= 0 || mlpDims < 0) {
            throw new IllegalArgumentException("[" + layer + "] dims and numHeads must be positive and mlpDims non-negative (0 for 4 * dims), got dims="
                    + dims + ", numHeads=" + numHeads + ", mlpDims=" + mlpDims + ".");
        }
        if (dims % numHeads != 0) {
            throw new IllegalArgumentException("[" + layer + "] dims must be divisible by numHeads, got dims=" + dims + " and numHeads=" + numHeads + ".");
        }
        if (activation == null) throw new IllegalArgumentException("[" + layer + "] the activation is null.");
    }

    /** The first MLP layer, {@code linear1} (dims to mlpDims). */
    public Linear linear1() { return linear1; }

    /** The second MLP layer, {@code linear2} (mlpDims to dims). */
    public Linear linear2() { return linear2; }

    /** The model width. */
    public int dims() { return dims; }

    /** The number of attention heads. */
    public int numHeads() { return numHeads; }

    /** The MLP's hidden size. */
    public int mlpDims() { return mlpDims; }

    /** The dropout probability. */
    public double dropout() { return dropout; }

    /** True for pre-norm. */
    public boolean normFirst() { return normFirst; }

    @Override protected String describe() {
        return "dims=" + dims + ", numHeads=" + numHeads + ", mlpDims=" + mlpDims + ", dropout=" + dropout + ", normFirst=" + normFirst;
    }
}
