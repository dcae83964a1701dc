package org.mlx4j.nn;

import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;

/**
 * Attention with Linear Biases (Press et al.), like MLX's {@code nn.ALiBi}: adds to the attention
 * scores of head {@code h} (1-based) the bias {@code -slope_h * |i - j|} for query position
 * {@code i} and key position {@code j}, with {@code slope_h = 2^(-8h/numHeads)}.
 *
 * <p>Scores (N, numHeads, L, S) in, the same shape and dtype out; query positions are
 * {@code offset .. offset + L - 1}, key positions {@code 0 .. S - 1}. No parameters.
 *
 * <pre>{@code
 * Array scores = ...;                       // (N, H, L, S), before the softmax
 * scores = new ALiBi().forward(scores);     // linear distance penalty per head
 * }</pre>
 */
public final class ALiBi extends UnaryModule {
    /** An ALiBi layer (it has no settings). */
    public ALiBi() {}

    /** Adds the biases with offset 0 and no mask. */
    @Override public Array forward(Array attentionScores) { return forward(attentionScores, 0, null); }

    /**
     * Adds the biases (and {@code mask}, when given) to {@code attentionScores}.
     *
     * @param attentionScores (N, numHeads, L, S)
     * @param offset          the position of the first query (a key/value cache's length)
     * @param mask            null, or an additive mask broadcastable to (N, numHeads, L, S)
     * @throws IllegalArgumentException if the scores are not 4-D, or offset is negative
     */
    public Array forward(Array attentionScores, int offset, Array mask) {
        if (attentionScores.ndim() != 4) {
            throw new IllegalArgumentException("[ALiBi] expected attention scores (N, numHeads, L, S), got shape " + attentionScores.shape() + ".");
        }
        if (offset < 0) throw new IllegalArgumentException("[ALiBi] offset must be non-negative, got " + offset + ".");
        DType dt = attentionScores.dtype().isFloating() ? attentionScores.dtype() : DType.FLOAT32;
        Array bias = createAlibiMatrix(attentionScores.dim(-2) + offset, attentionScores.dim(-1), attentionScores.dim(1), offset, dt);
        if (mask != null) bias = MX.add(bias, mask);
        return MX.add(attentionScores, bias);
    }

    /**
     * The biases (1, numHeads, qSequenceLength - offset, kSequenceLength): entry {@code [0, h, i, j]}
     * is {@code -slope_{h+1} * |offset + i - j|}, as MLX's {@code create_alibi_matrix}.
     *
     * @param qSequenceLength one past the last query position (offset + L)
     * @throws IllegalArgumentException for negative lengths, offset above qSequenceLength, a
     *                                  non-positive numHeads or a non-floating dtype
     */
    public static Array createAlibiMatrix(int qSequenceLength, int kSequenceLength, int numHeads, int offset, DType dtype) {
        if (qSequenceLength < 0 || kSequenceLength < 0 || offset < 0 || offset > qSequenceLength || numHeads <= 0) {
            throw new IllegalArgumentException("[ALiBi] need 0 <= offset <= qSequenceLength, kSequenceLength >= 0 and numHeads > 0, got qSequenceLength="
                    + qSequenceLength + ", kSequenceLength=" + kSequenceLength + ", numHeads=" + numHeads + ", offset=" + offset + ".");
        }
        if (dtype == null || !dtype.isFloating()) throw new IllegalArgumentException("[ALiBi] dtype must be floating, got " + dtype + ".");
        int l = qSequenceLength - offset, s = kSequenceLength;
        double[] slopes = slopes(numHeads);
        double[] out = new double[numHeads * l * s];
        for (int h = 0; h < numHeads; h++) {
            for (int i = 0; i < l; i++) {
                for (int j = 0; j < s; j++) out[(h * l + i) * s + j] = -Math.abs(offset + i - j) * slopes[h];
            }
        }
        return MX.array(out, dtype, 1, numHeads, l, s);
    }

    /**
     * The per-head slopes, float32 of shape (numHeads, 1, 1): {@code 2^(-8h/numHeads)} for
     * {@code h = 1 .. numHeads}, as MLX's {@code create_alibi_slope}.
     *
     * @throws IllegalArgumentException if numHeads is not positive
     */
    public static Array createAlibiSlope(int numHeads) {
        if (numHeads <= 0) throw new IllegalArgumentException("[ALiBi] numHeads must be positive, got " + numHeads + ".");
        return MX.array(slopes(numHeads), DType.FLOAT32, numHeads, 1, 1);
    }

    private static double[] slopes(int numHeads) {
        double x = Math.pow(256, 1.0 / numHeads);
        double[] s = new double[numHeads];
        for (int h = 1; h <= numHeads; h++) s[h - 1] = Math.pow(x, -h);
        return s;
    }
}
