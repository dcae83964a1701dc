package org.mlx4j.nn;

import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;

/**
 * A lookup table from integer ids to vectors, like MLX's {@code nn.Embedding}: parameter
 * {@code weight} (numEmbeddings, dims), normal with mean 0 and standard deviation sqrt(1 / dims)
 * as MLX initializes it. Indices of any shape give (indices..., dims).
 *
 * <pre>{@code
 * Embedding emb = new Embedding(32000, 512);
 * Array h = emb.forward(tokens);        // (B, T) int -> (B, T, 512)
 * Array logits = emb.asLinear(hOut);    // tied output projection: (B, T, 512) -> (B, T, 32000)
 * }</pre>
 */
public final class Embedding extends UnaryModule {
    private final int numEmbeddings;
    private final int dims;

    /**
     * A table of {@code numEmbeddings} vectors of length {@code dims}.
     *
     * @throws IllegalArgumentException if a size is not positive
     */
    public Embedding(int numEmbeddings, int dims) {
        if (numEmbeddings <= 0 || dims <= 0) {
            throw new IllegalArgumentException("[Embedding] sizes must be positive, got numEmbeddings=" + numEmbeddings + " and dims=" + dims + ".");
        }
        this.numEmbeddings = numEmbeddings;
        this.dims = dims;
        registerParameter("weight", MX.normal(new int[] {numEmbeddings, dims}, DType.FLOAT32, 0, Math.sqrt(1.0 / dims), null));
    }

    /** The table, (numEmbeddings, dims). */
    public Array weight() { return param("weight"); }

    /** The number of rows (the vocabulary size). */
    public int numEmbeddings() { return numEmbeddings; }

    /** The length of each vector. */
    public int dims() { return dims; }

    /**
     * The rows of the table at {@code indices} (any shape, integer dtype): (indices..., dims).
     * Negative indices count from the end, as in {@link MX#take(Array, Array, int)}.
     *
     * @throws IllegalArgumentException for a non-integer dtype, or (from take) indices known to be out of range
     */
    @Override public Array forward(Array indices) {
        if (!indices.dtype().isInteger()) {
            throw new IllegalArgumentException("[Embedding] indices must have an integer dtype, got " + indices.dtype().mlxName() + " with shape "
                    + indices.shape() + ".");
        }
        return MX.take(weight(), indices, 0);
    }

    /**
     * The embedding used as a linear layer, {@code x @ weight^T} (MLX's {@code as_linear}), for output
     * projections tied to the input embedding: (..., dims) -&gt; (..., numEmbeddings).
     *
     * @throws IllegalArgumentException if x's last axis is not dims
     */
    public Array asLinear(Array x) {
        if (x.ndim() == 0 || x.dim(-1) != dims) {
            throw new IllegalArgumentException("[Embedding] asLinear expected input (..., " + dims + "), got shape " + x.shape() + ".");
        }
        return MX.matmul(x, MX.transpose(weight()));
    }

    @Override protected String describe() { return "numEmbeddings=" + numEmbeddings + ", dims=" + dims; }
}
