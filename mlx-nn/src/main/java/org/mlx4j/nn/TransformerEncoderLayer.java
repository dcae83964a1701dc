package org.mlx4j.nn;

import java.util.function.UnaryOperator;
import org.mlx4j.core.Array;

/**
 * One transformer encoder block, like MLX's {@code nn.TransformerEncoderLayer}: self-attention
 * ({@code attention}) and an MLP ({@code linear1}, activation, {@code linear2}), each with a
 * residual connection, layer norms {@code ln1} and {@code ln2}, and dropouts {@code dropout1} (after
 * the attention) and {@code dropout2} (after the activation).
 *
 * <p>With {@code normFirst} (the default, "pre-norm"):
 * {@code x = x + drop1(attn(ln1(x))); y = x + linear2(drop2(act(linear1(ln2(x)))))}. Without it
 * ("post-norm"): {@code x = ln1(x + drop1(attn(x))); y = ln2(x + linear2(drop2(act(linear1(x)))))}.
 *
 * <p>Input (N, L, dims), output (N, L, dims); the mask is the attention mask of
 * {@link MultiHeadAttention#forward(Array, Array, Array, Array)} (broadcastable to (N, heads, L, L)).
 */
public final class TransformerEncoderLayer extends TransformerLayer {
    private final MultiHeadAttention attention;
    private final UnaryModule ln1, ln2;
    private final Dropout dropout1, dropout2;

    /** A pre-norm block with MLX's defaults: mlpDims = 4 * dims, no dropout, ReLU. */
    public TransformerEncoderLayer(int dims, int numHeads) { this(dims, numHeads, 0, 0, Activations::relu, true); }

    /**
     * An encoder block.
     *
     * @param dims       the model width (input and output features)
     * @param numHeads   attention heads; must divide dims
     * @param mlpDims    the MLP's hidden size, or 0 for MLX's default 4 * dims
     * @param dropout    the dropout probability in [0, 1) (MLX: 0)
     * @param activation the MLP activation (MLX: relu); a {@link Module} is registered as child {@code activation}
     * @param normFirst  pre-norm when true (MLX's default), post-norm otherwise
     * @throws IllegalArgumentException for non-positive sizes, a negative mlpDims, heads that do not
     *                                  divide dims, a bad dropout probability or a null activation
     */
    public TransformerEncoderLayer(int dims, int numHeads, int mlpDims, double dropout, UnaryOperator<Array> activation, boolean normFirst) {
        super("TransformerEncoderLayer", dims, numHeads, mlpDims, dropout, activation, normFirst);
        attention = registerModule("attention", new MultiHeadAttention(dims, numHeads));
        ln1 = registerModule("ln1", new LayerNorm(dims));
        ln2 = registerModule("ln2", new LayerNorm(dims));
        registerMlp();
        dropout1 = registerModule("dropout1", new Dropout(dropout));
        dropout2 = registerModule("dropout2", new Dropout(dropout));
        registerActivation();
    }

    /** The block without a mask. */
    public Array forward(Array x) { return forward(x, null); }

    /**
     * The block on {@code x} (N, L, dims) with an optional attention {@code mask}; returns (N, L, dims).
     *
     * @throws IllegalArgumentException if x is not (N, L, dims) or the mask does not broadcast
     */
    public Array forward(Array x, Array mask) {
        if (x == null || x.ndim() != 3 || x.dim(2) != dims()) {
            throw new IllegalArgumentException("[TransformerEncoderLayer] expected input (N, L, " + dims() + "), got "
                    + (x == null ? "null" : "shape " + x.shape()) + ".");
        }
        x = residual(ln1, x, y -> dropout1.forward(attention.forward(y, y, y, mask)));
        return residual(ln2, x, y -> mlp(dropout2, y));
    }

    /** The self-attention, {@code attention}. */
    public MultiHeadAttention attention() { return attention; }
}
