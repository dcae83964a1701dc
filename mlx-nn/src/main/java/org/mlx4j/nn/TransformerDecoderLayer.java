package org.mlx4j.nn;

import java.util.function.UnaryOperator;
import org.mlx4j.core.Array;

/**
 * One transformer decoder block, like MLX's {@code nn.TransformerDecoderLayer}: self-attention
 * ({@code self_attention}), attention over the encoder's output ({@code cross_attention}) and an
 * MLP ({@code linear1}, activation, {@code linear2}), with residual connections, layer norms
 * {@code ln1}, {@code ln2}, {@code ln3} and dropouts {@code dropout1}, {@code dropout2},
 * {@code dropout3} (after each attention and after the activation).
 *
 * <p>With {@code normFirst} (the default, "pre-norm"):
 * <pre>{@code
 * x = x + drop1(selfAttn(ln1(x), xMask))
 * x = x + drop2(crossAttn(ln2(x), memory, memoryMask))
 * y = x + linear2(drop3(act(linear1(ln3(x)))))
 * }</pre>
 * Without it ("post-norm"), exactly as MLX computes it, where the cross-attention queries are the
 * self-attention branch {@code y} (not the normalized residual stream):
 * <pre>{@code
 * y = drop1(selfAttn(x, xMask));            x = ln1(x + y)
 * y = drop2(crossAttn(y, memory, memoryMask)); x = ln2(x + y)
 * y = ln3(x + linear2(drop3(act(linear1(x)))))
 * }</pre>
 *
 * <p>Shapes: x (N, L, dims), memory (N, S, dims), output (N, L, dims); xMask broadcasts to
 * (N, heads, L, L), memoryMask to (N, heads, L, S); either may be null.
 */
public final class TransformerDecoderLayer extends TransformerLayer {
    private final MultiHeadAttention selfAttention, crossAttention;
    private final UnaryModule ln1, ln2, ln3;
    private final Dropout dropout1, dropout2, dropout3;

    /** A pre-norm block with MLX's defaults: mlpDims = 4 * dims, no dropout, ReLU. */
    public TransformerDecoderLayer(int dims, int numHeads) { this(dims, numHeads, 0, 0, Activations::relu, true); }

    /**
     * A decoder block.
     *
     * @param dims       the model width (features of x, memory and the output)
     * @param numHeads   attention heads; must divide dims
     * @param mlpDims    the MLP's hidden size, or 0 for MLX's default 4 * dims
     * @param dropout    the dropout probability in [0, 1) (MLX: 0)
     * @param activation the MLP activation (MLX: relu); a {@link Module} is registered as child {@code activation}
     * @param normFirst  pre-norm when true (MLX's default), post-norm otherwise
     * @throws IllegalArgumentException for non-positive sizes, a negative mlpDims, heads that do not
     *                                  divide dims, a bad dropout probability or a null activation
     */
    public TransformerDecoderLayer(int dims, int numHeads, int mlpDims, double dropout, UnaryOperator<Array> activation, boolean normFirst) {
        super("TransformerDecoderLayer", dims, numHeads, mlpDims, dropout, activation, normFirst);
        selfAttention = registerModule("self_attention", new MultiHeadAttention(dims, numHeads));
        crossAttention = registerModule("cross_attention", new MultiHeadAttention(dims, numHeads));
        ln1 = registerModule("ln1", new LayerNorm(dims));
        ln2 = registerModule("ln2", new LayerNorm(dims));
        ln3 = registerModule("ln3", new LayerNorm(dims));
        registerMlp();
        dropout1 = registerModule("dropout1", new Dropout(dropout));
        dropout2 = registerModule("dropout2", new Dropout(dropout));
        dropout3 = registerModule("dropout3", new Dropout(dropout));
        registerActivation();
    }

    /** The block without masks. */
    public Array forward(Array x, Array memory) { return forward(x, memory, null, null); }

    /**
     * The block on {@code x} (N, L, dims) attending to {@code memory} (N, S, dims); returns (N, L, dims).
     *
     * @param xMask      null or the self-attention mask, broadcastable to (N, heads, L, L)
     * @param memoryMask null or the cross-attention mask, broadcastable to (N, heads, L, S)
     * @throws IllegalArgumentException if x or memory is not (N, _, dims), the batches differ, or a
     *                                  mask does not broadcast
     */
    public Array forward(Array x, Array memory, Array xMask, Array memoryMask) {
        checkInputs("TransformerDecoderLayer", x, memory, dims());
        if (normFirst()) {
            x = residual(ln1, x, y -> dropout1.forward(selfAttention.forward(y, y, y, xMask)));
            x = residual(ln2, x, y -> dropout2.forward(crossAttention.forward(y, memory, memory, memoryMask)));
        } else {
            Array y = dropout1.forward(selfAttention.forward(x, x, x, xMask));
            x = ln1.forward(x.add(y));
            // MLX queries the memory with y here, not with x; kept so MLX weights give MLX's outputs
            y = dropout2.forward(crossAttention.forward(y, memory, memory, memoryMask));
            x = ln2.forward(x.add(y));
        }
        return residual(ln3, x, y -> mlp(dropout3, y));
    }

    static void checkInputs(String layer, Array x, Array memory, int dims) {
        if (x == null || x.ndim() != 3 || x.dim(2) != dims) {
            throw new IllegalArgumentException("[" + layer + "] expected x (N, L, " + dims + "), got " + (x == null ? "null" : "shape " + x.shape()) + ".");
        }
        if (memory == null || memory.ndim() != 3 || memory.dim(2) != dims || memory.dim(0) != x.dim(0)) {
            throw new IllegalArgumentException("[" + layer + "] expected memory (" + x.dim(0) + ", S, " + dims + "), got "
                    + (memory == null ? "null" : "shape " + memory.shape()) + ".");
        }
    }

    /** The self-attention, {@code self_attention}. */
    public MultiHeadAttention selfAttention() { return selfAttention; }

    /** The attention over the memory, {@code cross_attention}. */
    public MultiHeadAttention crossAttention() { return crossAttention; }
}
