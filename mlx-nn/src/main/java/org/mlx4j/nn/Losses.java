package org.mlx4j.nn;

import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * Loss functions with MLX's names, defaults and reductions ({@link Reduction#NONE} unless given).
 * Each validates its shapes and throws {@code IllegalArgumentException} prefixed {@code [loss]}.
 */
public final class Losses {
    private Losses() {}

    private static org.mlx4j.core.Shape without(org.mlx4j.core.Shape s, int axis) {
        int[] d = new int[s.ndim() - 1];
        for (int i = 0, j = 0; i < s.ndim(); i++) if (i != axis) d[j++] = s.dim(i);
        return org.mlx4j.core.Shape.of(d);
    }

    /** Cross-entropy over the last axis, unreduced; see {@link #crossEntropy(Array, Array, Array, int, double, Reduction)}. */
    public static Array crossEntropy(Array logits, Array targets) {
        return crossEntropy(logits, targets, null, -1, 0.0, Reduction.NONE);
    }

    /** Cross-entropy over the last axis with a reduction; see {@link #crossEntropy(Array, Array, Array, int, double, Reduction)}. */
    public static Array crossEntropy(Array logits, Array targets, Reduction reduction) {
        return crossEntropy(logits, targets, null, -1, 0.0, reduction);
    }

    /**
     * Cross-entropy between unnormalized {@code logits} and targets, like MLX's
     * {@code nn.losses.cross_entropy}.
     *
     * @param logits         scores, classes along {@code axis}
     * @param targets        class indices (integer dtype, the shape of {@code logits} without
     *                       {@code axis}) or probabilities (floating, the shape of {@code logits})
     * @param weights        per-sample weights shaped like the unreduced loss, or {@code null}
     * @param axis           the class axis
     * @param labelSmoothing in [0, 1): mixes the target with the uniform distribution
     * @param reduction      how to combine the per-sample losses
     * @return the loss: shape of {@code logits} without {@code axis}, or a scalar when reduced
     * @throws IllegalArgumentException ({@code [loss]}) on mismatched shapes or a bad smoothing value
     */
    public static Array crossEntropy(Array logits, Array targets, Array weights, int axis, double labelSmoothing, Reduction reduction) {
        if (labelSmoothing < 0 || labelSmoothing >= 1) {
            throw new IllegalArgumentException("[loss] crossEntropy labelSmoothing must be in [0, 1), got " + labelSmoothing + ".");
        }
        if (logits.ndim() == 0) throw new IllegalArgumentException("[loss] crossEntropy logits must have a class axis, got a scalar.");
        int ax = axis < 0 ? axis + logits.ndim() : axis;
        if (ax < 0 || ax >= logits.ndim()) {
            throw new IllegalArgumentException("[loss] crossEntropy axis " + axis + " is out of range for logits of shape " + logits.shape() + ".");
        }
        boolean probs = targets.dtype().isFloating();
        Array score;
        if (probs) {
            if (!targets.shape().equals(logits.shape())) {
                throw new IllegalArgumentException("[loss] crossEntropy probability targets must have the logits' shape " + logits.shape() + ", got " + targets.shape() + ".");
            }
            score = MX.sum(MX.multiply(logits, targets), ax);
        } else {
            if (targets.ndim() != logits.ndim() - 1 || !targets.shape().equals(without(logits.shape(), ax))) {
                throw new IllegalArgumentException("[loss] crossEntropy class-index targets must have shape " + without(logits.shape(), ax)
                        + " (logits " + logits.shape() + " without axis " + axis + "), got " + targets.shape() + ".");
            }
            score = MX.squeeze(MX.takeAlongAxis(logits, MX.expandDims(targets, ax), ax), ax);
        }
        Array lse = MX.logsumexp(logits, ax);
        Array loss;
        if (labelSmoothing > 0) {
            Array adjusted = MX.multiply(score, MX.scalarLike(1 - labelSmoothing, score));
            Array smooth = MX.multiply(MX.mean(logits, ax), MX.scalarLike(labelSmoothing, score));
            loss = MX.subtract(MX.subtract(lse, adjusted), smooth);
        } else {
            loss = MX.subtract(lse, score);
        }
        if (weights != null) {
            if (!weights.shape().equals(loss.shape())) {
                throw new IllegalArgumentException("[loss] crossEntropy weights must have shape " + loss.shape() + ", got " + weights.shape() + ".");
            }
            loss = MX.multiply(loss, weights);
        }
        return reduction.apply(loss);
    }
}
