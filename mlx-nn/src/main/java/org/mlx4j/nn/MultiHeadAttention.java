package org.mlx4j.nn;

import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;
import org.mlx4j.core.Shape;

/**
 * Scaled dot-product attention with several heads, like MLX's {@code nn.MultiHeadAttention}:
 * queries, keys and values are projected by {@code query_proj}, {@code key_proj} and
 * {@code value_proj}, split into {@code numHeads} heads, combined as
 * {@code softmax(Q K^T / sqrt(headDims) + mask) V} per head, joined and projected by
 * {@code out_proj}. The four projections are {@link Linear} layers without bias by default.
 *
 * <p>Shapes: queries (N, L, queryInputDims), keys (N, S, keyInputDims), values
 * (N, S, valueInputDims); output (N, L, valueOutputDims). The optional mask broadcasts to
 * (N, numHeads, L, S): a floating mask is ADDED to the scores (0 to attend, a large negative number
 * such as {@link #createAdditiveCausalMask(int, DType)}'s to block); a bool mask keeps the scores
 * where it is true, as MLX's {@code scaled_dot_product_attention} does.
 *
 * <pre>{@code
 * var mha = new MultiHeadAttention(64, 8);
 * Array mask = MultiHeadAttention.createAdditiveCausalMask(10, DType.FLOAT32);
 * Array y = mha.forward(x, x, x, mask);   // x (N, 10, 64) -> y (N, 10, 64)
 * }</pre>
 */
public final class MultiHeadAttention extends Module {
    private final int dims;
    private final int numHeads;
    private final int queryInputDims, keyInputDims, valueInputDims, valueDims, valueOutputDims;
    private final Linear queryProj, keyProj, valueProj, outProj;

    /** Attention over {@code dims} features everywhere, without biases. */
    public MultiHeadAttention(int dims, int numHeads) { this(dims, numHeads, 0, 0, 0, 0, 0, false); }

    /** Attention over {@code dims} features everywhere, with or without biases in the projections. */
    public MultiHeadAttention(int dims, int numHeads, boolean bias) { this(dims, numHeads, 0, 0, 0, 0, 0, bias); }

    /**
     * Attention with MLX's full set of sizes. A size of 0 takes MLX's default (as Python's
     * {@code None}): queryInputDims, keyInputDims, valueDims and valueOutputDims default to
     * {@code dims}, valueInputDims to keyInputDims.
     *
     * @param dims            the query/key projection size, split over the heads
     * @param numHeads        the number of heads; must divide {@code dims} and {@code valueDims}
     * @param queryInputDims  features of the queries
     * @param keyInputDims    features of the keys
     * @param valueInputDims  features of the values
     * @param valueDims       the value projection size, split over the heads
     * @param valueOutputDims features of the output
     * @param bias            whether the four projections have a bias (MLX: false)
     * @throws IllegalArgumentException for non-positive dims or numHeads, negative sizes, or a head
     *                                  count that does not divide dims or valueDims
     */
    public MultiHeadAttention(int dims, int numHeads, int queryInputDims, int keyInputDims, int valueInputDims,
                              int valueDims, int valueOutputDims, boolean bias) {
        if (dims <= 0 || numHeads <= 0) {
            throw new IllegalArgumentException("[MultiHeadAttention] dims and numHeads must be positive, got dims=" + dims + " and numHeads=" + numHeads + ".");
        }
        if (queryInputDims < 0 || keyInputDims < 0 || valueInputDims < 0 || valueDims < 0 || valueOutputDims < 0) {
            throw new IllegalArgumentException("[MultiHeadAttention] sizes must be positive (or 0 for the default), got queryInputDims=" + queryInputDims
                    + ", keyInputDims=" + keyInputDims + ", valueInputDims=" + valueInputDims + ", valueDims=" + valueDims
                    + ", valueOutputDims=" + valueOutputDims + ".");
        }
        if (dims % numHeads != 0) {
            throw new IllegalArgumentException("[MultiHeadAttention] dims must be divisible by numHeads, got dims=" + dims + " and numHeads=" + numHeads + ".");
        }
        this.dims = dims;
        this.numHeads = numHeads;
        this.queryInputDims = queryInputDims > 0 ? queryInputDims : dims;
        this.keyInputDims = keyInputDims > 0 ? keyInputDims : dims;
        this.valueInputDims = valueInputDims > 0 ? valueInputDims : this.keyInputDims;
        this.valueDims = valueDims > 0 ? valueDims : dims;
        this.valueOutputDims = valueOutputDims > 0 ? valueOutputDims : dims;
        if (this.valueDims % numHeads != 0) {
            throw new IllegalArgumentException("[MultiHeadAttention] valueDims must be divisible by numHeads, got valueDims=" + this.valueDims + " and numHeads=" + numHeads + ".");
        }
        queryProj = registerModule("query_proj", new Linear(this.queryInputDims, dims, bias));
        keyProj = registerModule("key_proj", new Linear(this.keyInputDims, dims, bias));
        valueProj = registerModule("value_proj", new Linear(this.valueInputDims, this.valueDims, bias));
        outProj = registerModule("out_proj", new Linear(this.valueDims, this.valueOutputDims, bias));
    }

    /** Attention without a mask. @see #forward(Array, Array, Array, Array) */
    public Array forward(Array queries, Array keys, Array values) { return forward(queries, keys, values, null); }

    /**
     * Attends {@code queries} (N, L, queryInputDims) over {@code keys} (N, S, keyInputDims) and
     * {@code values} (N, S, valueInputDims); returns (N, L, valueOutputDims).
     *
     * @param mask null, or an additive (floating) or keep (bool) mask broadcastable to (N, numHeads, L, S)
     * @throws IllegalArgumentException if an input is not 3-D with the expected features, the batch
     *                                  or key/value lengths disagree, or the mask does not broadcast
     */
    public Array forward(Array queries, Array keys, Array values, Array mask) {
        check("queries", queries, queryInputDims, "L");
        check("keys", keys, keyInputDims, "S");
        check("values", values, valueInputDims, "S");
        int n = queries.dim(0), l = queries.dim(1), s = keys.dim(1);
        if (keys.dim(0) != n || values.dim(0) != n || values.dim(1) != s) {
            throw new IllegalArgumentException("[MultiHeadAttention] queries (N, L, _), keys and values (N, S, _) must agree on N and S, got shapes "
                    + queries.shape() + ", " + keys.shape() + " and " + values.shape() + ".");
        }
        int[] scoresShape = {n, numHeads, l, s};
        if (mask != null) checkMask(mask, scoresShape);

        Array q = splitHeads(queryProj.forward(queries), n, l);   // (N, H, L, dims/H)
        Array k = splitHeads(keyProj.forward(keys), n, s);        // (N, H, S, dims/H)
        Array v = splitHeads(valueProj.forward(values), n, s);    // (N, H, S, valueDims/H)
        double scale = Math.sqrt(1.0 / (dims / numHeads));
        Array scores = MX.matmul(MX.multiply(q, MX.scalarLike(scale, q)), MX.swapaxes(k, -1, -2));
        if (mask != null) {
            scores = mask.dtype() == DType.BOOL
                    ? MX.where(mask, scores, MX.scalarLike(lowest(scores.dtype()), scores))
                    : MX.add(scores, MX.astype(mask, scores.dtype()));
        }
        Array out = MX.matmul(MX.softmax(scores, -1), v);          // (N, H, L, valueDims/H)
        out = MX.reshape(MX.transpose(out, 0, 2, 1, 3), n, l, valueDims);
        return outProj.forward(out);
    }

    private Array splitHeads(Array x, int n, int len) {
        return MX.transpose(MX.reshape(x, n, len, numHeads, x.dim(-1) / numHeads), 0, 2, 1, 3);
    }

    private static void check(String name, Array x, int features, String len) {
        if (x == null) throw new IllegalArgumentException("[MultiHeadAttention] " + name + " is null.");
        if (x.ndim() != 3 || x.dim(2) != features) {
            throw new IllegalArgumentException("[MultiHeadAttention] expected " + name + " (N, " + len + ", " + features + "), got shape " + x.shape() + ".");
        }
    }

    private static void checkMask(Array mask, int[] target) {
        boolean ok = mask.ndim() <= target.length;
        for (int i = 1; ok && i <= mask.ndim(); i++) {
            int d = mask.dim(-i);
            ok = d == 1 || d == target[target.length - i];
        }
        if (!ok) {
            throw new IllegalArgumentException("[MultiHeadAttention] the mask must broadcast to (N, numHeads, L, S) = "
                    + Shape.of(target) + ", got shape " + mask.shape() + ".");
        }
    }

    /**
     * The additive causal mask (n, n) of MLX: 0 on and below the diagonal (position i may attend to
     * j &lt;= i) and the dtype's lowest finite value above it (MLX's {@code finfo(dtype).min}).
     *
     * @param dtype a floating dtype (MLX's default is float32)
     * @throws IllegalArgumentException if n is negative or dtype is not floating
     */
    public static Array createAdditiveCausalMask(int n, DType dtype) {
        if (n < 0) throw new IllegalArgumentException("[MultiHeadAttention] the mask size must be non-negative, got " + n + ".");
        if (dtype == null || !dtype.isFloating()) {
            throw new IllegalArgumentException("[MultiHeadAttention] the causal mask needs a floating dtype, got " + (dtype == null ? "null" : dtype.mlxName()) + ".");
        }
        Array indices = MX.arange(n);
        Array above = MX.less(MX.expandDims(indices, 1), MX.expandDims(indices, 0));
        return MX.multiply(MX.astype(above, dtype), MX.scalar(lowest(dtype), dtype));
    }

    /** {@link #createAdditiveCausalMask(int, DType)} in float32. */
    public static Array createAdditiveCausalMask(int n) { return createAdditiveCausalMask(n, DType.FLOAT32); }

    /** The lowest finite value of a floating dtype (NumPy's {@code finfo(dtype).min}). */
    static double lowest(DType dtype) {
        return switch (dtype) {
            case FLOAT16 -> -65504.0;
            case BFLOAT16 -> -0x1.fep127;          // 8 exponent bits, 7 mantissa bits
            case FLOAT32 -> -Float.MAX_VALUE;
            case FLOAT64 -> -Double.MAX_VALUE;
            default -> throw new IllegalArgumentException("[MultiHeadAttention] " + dtype.mlxName() + " is not a floating dtype.");
        };
    }

    /** The query/key projection size. */
    public int dims() { return dims; }

    /** The number of heads. */
    public int numHeads() { return numHeads; }

    /** Features of the queries. */
    public int queryInputDims() { return queryInputDims; }

    /** Features of the keys. */
    public int keyInputDims() { return keyInputDims; }

    /** Features of the values. */
    public int valueInputDims() { return valueInputDims; }

    /** The value projection size. */
    public int valueDims() { return valueDims; }

    /** Features of the output. */
    public int valueOutputDims() { return valueOutputDims; }

    /** The query projection, {@code query_proj}. */
    public Linear queryProj() { return queryProj; }

    /** The key projection, {@code key_proj}. */
    public Linear keyProj() { return keyProj; }

    /** The value projection, {@code value_proj}. */
    public Linear valueProj() { return valueProj; }

    /** The output projection, {@code out_proj}. */
    public Linear outProj() { return outProj; }

    @Override protected String describe() { return "dims=" + dims + ", numHeads=" + numHeads; }
}
