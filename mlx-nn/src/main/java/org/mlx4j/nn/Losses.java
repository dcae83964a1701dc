package org.mlx4j.nn;

import org.mlx4j.core.Array;
import org.mlx4j.core.MX;
import org.mlx4j.core.Shape;

/**
 * Loss functions with MLX's names, formulas, defaults and reductions ({@code mlx.nn.losses}). The
 * default reduction is MLX's for each loss: {@link Reduction#MEAN} for {@link #binaryCrossEntropy},
 * {@link #mseLoss}, {@link #l1Loss}, {@link #smoothL1Loss} and {@link #gaussianNllLoss};
 * {@link Reduction#NONE} for the others. Each validates its shapes and throws
 * {@code IllegalArgumentException} prefixed {@code [loss] <name>} naming the shapes.
 */
public final class Losses {
    private Losses() {}

    private static Shape without(org.mlx4j.core.Shape s, int axis) {
        int[] d = new int[s.ndim() - 1];
        for (int i = 0, j = 0; i < s.ndim(); i++) if (i != axis) d[j++] = s.dim(i);
        return Shape.of(d);
    }

    private static int axisOf(String name, int axis, Array x, String what) {
        int ax = axis < 0 ? axis + x.ndim() : axis;
        if (ax < 0 || ax >= x.ndim()) {
            throw new IllegalArgumentException("[loss] " + name + " axis " + axis + " is out of range for " + what + " of shape " + x.shape() + ".");
        }
        return ax;
    }

    private static void sameShape(String name, String an, Array a, String bn, Array b) {
        if (!a.shape().equals(b.shape())) {
            throw new IllegalArgumentException("[loss] " + name + " " + an + " shape " + a.shape() + " does not match " + bn + " shape " + b.shape() + ".");
        }
    }

    /** The shapes must broadcast together (MLX lets these losses broadcast). */
    private static void broadcastable(String name, String[] names, Array... xs) {
        Shape s = xs[0].shape();
        for (int i = 1; i < xs.length; i++) {
            try {
                s = Shape.broadcast(name, s, xs[i].shape());
            } catch (IllegalArgumentException e) {
                StringBuilder sb = new StringBuilder("[loss] ").append(name).append(" shapes do not broadcast:");
                for (int j = 0; j < xs.length; j++) sb.append(j == 0 ? " " : ", ").append(names[j]).append(' ').append(xs[j].shape());
                throw new IllegalArgumentException(sb.append('.').toString(), e);
            }
        }
    }

    private static Array weighted(String name, Array loss, Array weights) {
        if (weights == null) return loss;
        if (!weights.shape().equals(loss.shape())) {
            throw new IllegalArgumentException("[loss] " + name + " weights must have the unreduced loss's shape " + loss.shape() + ", got " + weights.shape() + ".");
        }
        return MX.multiply(loss, weights);
    }

    private static Array c(double v, Array like) { return MX.scalarLike(v, like); }

    // ------------------------------------------------------------------ classification

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

    /** Binary cross-entropy of logits, mean over all elements (MLX's defaults); see {@link #binaryCrossEntropy(Array, Array, Array, boolean, Reduction)}. */
    public static Array binaryCrossEntropy(Array inputs, Array targets) {
        return binaryCrossEntropy(inputs, targets, null, true, Reduction.MEAN);
    }

    /** Binary cross-entropy of logits with a reduction; see {@link #binaryCrossEntropy(Array, Array, Array, boolean, Reduction)}. */
    public static Array binaryCrossEntropy(Array inputs, Array targets, Reduction reduction) {
        return binaryCrossEntropy(inputs, targets, null, true, reduction);
    }

    /**
     * Binary cross-entropy, like MLX's {@code nn.losses.binary_cross_entropy}. With logits it is
     * {@code logaddexp(0, x) - x * t} (stable for any x); with probabilities
     * {@code -(t * log(p) + (1 - t) * log(1 - p))} with each log clipped below at -100, as MLX does.
     * MLX's defaults: {@code weights = null}, {@code withLogits = true}, {@code reduction = MEAN}.
     *
     * @param inputs     logits (or probabilities when {@code withLogits} is false)
     * @param targets    targets in [0, 1], the shape of {@code inputs}
     * @param weights    per-element weights of the inputs' shape, or {@code null}
     * @param withLogits whether {@code inputs} are logits
     * @param reduction  how to combine the per-element losses
     * @throws IllegalArgumentException ({@code [loss] binaryCrossEntropy}) on mismatched shapes
     */
    public static Array binaryCrossEntropy(Array inputs, Array targets, Array weights, boolean withLogits, Reduction reduction) {
        sameShape("binaryCrossEntropy", "inputs", inputs, "targets", targets);
        Array loss;
        if (withLogits) {
            loss = MX.subtract(MX.logaddexp(c(0, inputs), inputs), MX.multiply(inputs, targets));
        } else {
            Array logP = MX.clip(MX.log(inputs), -100.0, null);
            Array logQ = MX.clip(MX.log(MX.subtract(c(1, inputs), inputs)), -100.0, null);
            Array t = targets.dtype().isFloating() ? targets : MX.astype(targets, inputs.dtype());
            loss = MX.negative(MX.add(MX.multiply(t, logP), MX.multiply(MX.subtract(c(1, t), t), logQ)));
        }
        return reduction.apply(weighted("binaryCrossEntropy", loss, weights));
    }

    /** Negative log-likelihood over the last axis, unreduced; see {@link #nllLoss(Array, Array, int, Reduction)}. */
    public static Array nllLoss(Array inputs, Array targets) { return nllLoss(inputs, targets, -1, Reduction.NONE); }

    /** Negative log-likelihood over the last axis with a reduction; see {@link #nllLoss(Array, Array, int, Reduction)}. */
    public static Array nllLoss(Array inputs, Array targets, Reduction reduction) { return nllLoss(inputs, targets, -1, reduction); }

    /**
     * Negative log-likelihood, like MLX's {@code nn.losses.nll_loss}: {@code -inputs[..., target, ...]}
     * along {@code axis}. MLX's defaults: {@code axis = -1}, {@code reduction = NONE}.
     *
     * @param inputs    log-probabilities, classes along {@code axis}
     * @param targets   class indices (integer dtype), the shape of {@code inputs} without {@code axis}
     * @param axis      the class axis
     * @param reduction how to combine the per-sample losses
     * @return the shape of {@code inputs} without {@code axis}, or a scalar when reduced
     * @throws IllegalArgumentException ({@code [loss] nllLoss}) for a bad axis, non-integer targets or mismatched shapes
     */
    public static Array nllLoss(Array inputs, Array targets, int axis, Reduction reduction) {
        int ax = axisOf("nllLoss", axis, inputs, "inputs");
        if (!targets.dtype().isInteger()) {
            throw new IllegalArgumentException("[loss] nllLoss targets must be class indices of an integer dtype, got " + targets.dtype().mlxName() + ".");
        }
        if (!targets.shape().equals(without(inputs.shape(), ax))) {
            throw new IllegalArgumentException("[loss] nllLoss targets must have shape " + without(inputs.shape(), ax)
                    + " (inputs " + inputs.shape() + " without axis " + axis + "), got " + targets.shape() + ".");
        }
        Array loss = MX.negative(MX.squeeze(MX.takeAlongAxis(inputs, MX.expandDims(targets, ax), ax), ax));
        return reduction.apply(loss);
    }

    /** Hinge loss, unreduced; see {@link #hingeLoss(Array, Array, Reduction)}. */
    public static Array hingeLoss(Array inputs, Array targets) { return hingeLoss(inputs, targets, Reduction.NONE); }

    /**
     * Hinge loss {@code max(0, 1 - inputs * targets)}, like MLX's {@code nn.losses.hinge_loss}
     * (default reduction {@code NONE}).
     *
     * @param targets -1 or 1; broadcasts against {@code inputs}
     * @throws IllegalArgumentException ({@code [loss] hingeLoss}) if the shapes do not broadcast
     */
    public static Array hingeLoss(Array inputs, Array targets, Reduction reduction) {
        broadcastable("hingeLoss", new String[] {"inputs", "targets"}, inputs, targets);
        Array loss = MX.maximum(MX.subtract(c(1, inputs), MX.multiply(inputs, targets)), c(0, inputs));
        return reduction.apply(loss);
    }

    /** Margin ranking loss with MLX's defaults ({@code margin = 0}, no reduction); see {@link #marginRankingLoss(Array, Array, Array, double, Reduction)}. */
    public static Array marginRankingLoss(Array inputs1, Array inputs2, Array targets) {
        return marginRankingLoss(inputs1, inputs2, targets, 0.0, Reduction.NONE);
    }

    /**
     * Margin ranking loss {@code max(0, -targets * (inputs1 - inputs2) + margin)}, like MLX's
     * {@code nn.losses.margin_ranking_loss}. MLX's defaults: {@code margin = 0}, {@code reduction = NONE}.
     *
     * @param targets 1 where {@code inputs1} should rank higher, -1 where lower
     * @throws IllegalArgumentException ({@code [loss] marginRankingLoss}) unless all three shapes are equal
     */
    public static Array marginRankingLoss(Array inputs1, Array inputs2, Array targets, double margin, Reduction reduction) {
        if (!inputs1.shape().equals(inputs2.shape()) || !inputs1.shape().equals(targets.shape())) {
            throw new IllegalArgumentException("[loss] marginRankingLoss shapes must be equal, got inputs1 " + inputs1.shape()
                    + ", inputs2 " + inputs2.shape() + " and targets " + targets.shape() + ".");
        }
        Array diff = MX.subtract(inputs1, inputs2);
        Array loss = MX.maximum(MX.add(MX.negative(MX.multiply(targets, diff)), c(margin, diff)), c(0, diff));
        return reduction.apply(loss);
    }

    // ------------------------------------------------------------------ regression

    /** Mean squared error, averaged (MLX's default); see {@link #mseLoss(Array, Array, Reduction)}. */
    public static Array mseLoss(Array predictions, Array targets) { return mseLoss(predictions, targets, Reduction.MEAN); }

    /**
     * Squared error {@code (predictions - targets)^2}, like MLX's {@code nn.losses.mse_loss}
     * (default reduction {@code MEAN}).
     *
     * @throws IllegalArgumentException ({@code [loss] mseLoss}) on mismatched shapes
     */
    public static Array mseLoss(Array predictions, Array targets, Reduction reduction) {
        sameShape("mseLoss", "predictions", predictions, "targets", targets);
        return reduction.apply(MX.square(MX.subtract(predictions, targets)));
    }

    /** Mean absolute error, averaged (MLX's default); see {@link #l1Loss(Array, Array, Reduction)}. */
    public static Array l1Loss(Array predictions, Array targets) { return l1Loss(predictions, targets, Reduction.MEAN); }

    /**
     * Absolute error {@code |predictions - targets|}, like MLX's {@code nn.losses.l1_loss}
     * (default reduction {@code MEAN}).
     *
     * @throws IllegalArgumentException ({@code [loss] l1Loss}) on mismatched shapes
     */
    public static Array l1Loss(Array predictions, Array targets, Reduction reduction) {
        sameShape("l1Loss", "predictions", predictions, "targets", targets);
        return reduction.apply(MX.abs(MX.subtract(predictions, targets)));
    }

    /** Smooth L1 with MLX's defaults ({@code beta = 1}, mean); see {@link #smoothL1Loss(Array, Array, double, Reduction)}. */
    public static Array smoothL1Loss(Array predictions, Array targets) { return smoothL1Loss(predictions, targets, 1.0, Reduction.MEAN); }

    /**
     * Smooth L1, like MLX's {@code nn.losses.smooth_l1_loss}: with {@code d = |predictions - targets|},
     * {@code 0.5 * d^2 / beta} where {@code d < beta}, else {@code d - 0.5 * beta}. MLX's defaults:
     * {@code beta = 1}, {@code reduction = MEAN}. {@code beta = 0} gives the L1 loss.
     *
     * @throws IllegalArgumentException ({@code [loss] smoothL1Loss}) on mismatched shapes or a negative beta
     */
    public static Array smoothL1Loss(Array predictions, Array targets, double beta, Reduction reduction) {
        sameShape("smoothL1Loss", "predictions", predictions, "targets", targets);
        if (!(beta >= 0)) throw new IllegalArgumentException("[loss] smoothL1Loss beta must be non-negative, got " + beta + ".");
        Array d = MX.abs(MX.subtract(predictions, targets));
        if (beta == 0) return reduction.apply(d);
        // the quadratic branch uses min(d, beta) so the branch not taken stays small (finite gradients)
        Array q = MX.minimum(d, c(beta, d));
        Array quad = MX.divide(MX.multiply(c(0.5, d), MX.square(q)), c(beta, d));
        Array loss = MX.where(MX.less(d, c(beta, d)), quad, MX.subtract(d, c(0.5 * beta, d)));
        return reduction.apply(loss);
    }

    /** Huber loss with MLX's defaults ({@code delta = 1}, no reduction); see {@link #huberLoss(Array, Array, double, Reduction)}. */
    public static Array huberLoss(Array inputs, Array targets) { return huberLoss(inputs, targets, 1.0, Reduction.NONE); }

    /**
     * Huber loss, like MLX's {@code nn.losses.huber_loss}: with {@code a = inputs - targets},
     * {@code 0.5 * a^2} where {@code |a| <= delta}, else {@code delta * (|a| - 0.5 * delta)}.
     * MLX's defaults: {@code delta = 1}, {@code reduction = NONE}.
     *
     * @throws IllegalArgumentException ({@code [loss] huberLoss}) if the shapes do not broadcast
     */
    public static Array huberLoss(Array inputs, Array targets, double delta, Reduction reduction) {
        broadcastable("huberLoss", new String[] {"inputs", "targets"}, inputs, targets);
        Array abs = MX.abs(MX.subtract(inputs, targets));
        Array quadratic = MX.minimum(abs, c(delta, abs));
        Array linear = MX.subtract(abs, quadratic);
        Array loss = MX.add(MX.multiply(c(0.5, abs), MX.square(quadratic)), MX.multiply(c(delta, abs), linear));
        return reduction.apply(loss);
    }

    /** Log-cosh loss, unreduced; see {@link #logCoshLoss(Array, Array, Reduction)}. */
    public static Array logCoshLoss(Array inputs, Array targets) { return logCoshLoss(inputs, targets, Reduction.NONE); }

    /**
     * {@code log(cosh(inputs - targets))}, like MLX's {@code nn.losses.log_cosh_loss}, computed as
     * {@code logaddexp(a, -a) - log 2} so large errors do not overflow (default reduction {@code NONE}).
     *
     * @throws IllegalArgumentException ({@code [loss] logCoshLoss}) if the shapes do not broadcast
     */
    public static Array logCoshLoss(Array inputs, Array targets, Reduction reduction) {
        broadcastable("logCoshLoss", new String[] {"inputs", "targets"}, inputs, targets);
        Array a = MX.subtract(inputs, targets);
        return reduction.apply(MX.subtract(MX.logaddexp(a, MX.negative(a)), c(Math.log(2), a)));
    }

    /** Gaussian NLL with MLX's defaults ({@code full = false}, {@code eps = 1e-6}, mean); see {@link #gaussianNllLoss(Array, Array, Array, boolean, double, Reduction)}. */
    public static Array gaussianNllLoss(Array inputs, Array targets, Array vars) {
        return gaussianNllLoss(inputs, targets, vars, false, 1e-6, Reduction.MEAN);
    }

    /**
     * Negative log-likelihood of {@code targets} under Gaussians with means {@code inputs} and
     * variances {@code vars}, like MLX's {@code nn.losses.gaussian_nll_loss}:
     * {@code 0.5 * (log(v) + (targets - inputs)^2 / v)} with {@code v = max(vars, eps)}, plus
     * {@code 0.5 * log(2 pi)} when {@code full}. MLX's defaults: {@code full = false},
     * {@code eps = 1e-6}, {@code reduction = MEAN}.
     *
     * @throws IllegalArgumentException ({@code [loss] gaussianNllLoss}) unless the three shapes are equal
     */
    public static Array gaussianNllLoss(Array inputs, Array targets, Array vars, boolean full, double eps, Reduction reduction) {
        sameShape("gaussianNllLoss", "inputs", inputs, "targets", targets);
        sameShape("gaussianNllLoss", "inputs", inputs, "vars", vars);
        Array v = MX.maximum(vars, c(eps, vars));
        Array loss = MX.multiply(c(0.5, v), MX.add(MX.log(v), MX.divide(MX.square(MX.subtract(targets, inputs)), v)));
        if (full) loss = MX.add(loss, c(0.5 * Math.log(2 * Math.PI), loss));
        return reduction.apply(loss);
    }

    // ------------------------------------------------------------------ distributions and embeddings

    /** KL divergence over the last axis, unreduced; see {@link #klDivLoss(Array, Array, int, Reduction)}. */
    public static Array klDivLoss(Array inputs, Array targets) { return klDivLoss(inputs, targets, -1, Reduction.NONE); }

    /**
     * Kullback-Leibler divergence {@code KL(targets || inputs) = sum(exp(targets) * (targets - inputs))}
     * along {@code axis}, like MLX's {@code nn.losses.kl_div_loss}: both arguments are
     * <em>log</em>-probabilities (unlike PyTorch, whose targets are probabilities by default).
     * MLX's defaults: {@code axis = -1}, {@code reduction = NONE}.
     *
     * @return the broadcast shape without {@code axis}, or a scalar when reduced
     * @throws IllegalArgumentException ({@code [loss] klDivLoss}) if the shapes do not broadcast or the axis is out of range
     */
    public static Array klDivLoss(Array inputs, Array targets, int axis, Reduction reduction) {
        broadcastable("klDivLoss", new String[] {"inputs", "targets"}, inputs, targets);
        Array terms = MX.multiply(MX.exp(targets), MX.subtract(targets, inputs));
        int ax = axisOf("klDivLoss", axis, terms, "inputs and targets");
        return reduction.apply(MX.sum(terms, ax));
    }

    /** Cosine similarity with MLX's defaults ({@code axis = 1}, {@code eps = 1e-8}, no reduction); see {@link #cosineSimilarityLoss(Array, Array, int, double, Reduction)}. */
    public static Array cosineSimilarityLoss(Array x1, Array x2) { return cosineSimilarityLoss(x1, x2, 1, 1e-8, Reduction.NONE); }

    /**
     * The cosine similarity {@code sum(x1 * x2) / max(|x1| * |x2|, eps)} along {@code axis}, like MLX's
     * {@code nn.losses.cosine_similarity_loss} (which returns the similarity itself, not one minus it).
     * MLX's defaults: {@code axis = 1}, {@code eps = 1e-8}, {@code reduction = NONE}.
     *
     * @return the broadcast shape without {@code axis}, or a scalar when reduced
     * @throws IllegalArgumentException ({@code [loss] cosineSimilarityLoss}) if the shapes do not broadcast or the axis is out of range
     */
    public static Array cosineSimilarityLoss(Array x1, Array x2, int axis, double eps, Reduction reduction) {
        broadcastable("cosineSimilarityLoss", new String[] {"x1", "x2"}, x1, x2);
        Array dot = MX.multiply(x1, x2);
        int ax = axisOf("cosineSimilarityLoss", axis, dot, "x1 and x2");
        int ax1 = axisOf("cosineSimilarityLoss", axis, x1, "x1");
        int ax2 = axisOf("cosineSimilarityLoss", axis, x2, "x2");
        Array n1 = MX.sqrt(MX.sum(MX.square(x1), ax1));
        Array n2 = MX.sqrt(MX.sum(MX.square(x2), ax2));
        Array den = MX.multiply(n1, n2);
        Array loss = MX.divide(MX.sum(dot, ax), MX.maximum(den, c(eps, den)));
        return reduction.apply(loss);
    }

    /** Triplet loss with MLX's defaults ({@code axis = -1}, {@code p = 2}, {@code margin = 1}, {@code eps = 1e-6}, no reduction); see {@link #tripletLoss(Array, Array, Array, int, int, double, double, Reduction)}. */
    public static Array tripletLoss(Array anchors, Array positives, Array negatives) {
        return tripletLoss(anchors, positives, negatives, -1, 2, 1.0, 1e-6, Reduction.NONE);
    }

    /**
     * Triplet margin loss {@code max(||a - p||_p - ||a - n||_p + margin, 0)} along {@code axis}, like
     * MLX's {@code nn.losses.triplet_loss}. For {@code p = 2} (the default) this is exactly MLX's
     * {@code sqrt(sum((a - p)^2) + eps)}; for other degrees it is the p-norm
     * {@code (sum(|a - p|^p) + eps)^(1/p)} (MLX's code takes a square root for every p, which is
     * not a norm unless p = 2). MLX's defaults: {@code axis = -1}, {@code p = 2}, {@code margin = 1},
     * {@code eps = 1e-6}, {@code reduction = NONE}.
     *
     * @return the broadcast shape without {@code axis}, or a scalar when reduced
     * @throws IllegalArgumentException ({@code [loss] tripletLoss}) if the shapes do not broadcast, the axis is out of range or p is not positive
     */
    public static Array tripletLoss(Array anchors, Array positives, Array negatives, int axis, int p, double margin, double eps, Reduction reduction) {
        broadcastable("tripletLoss", new String[] {"anchors", "positives", "negatives"}, anchors, positives, negatives);
        if (p <= 0) throw new IllegalArgumentException("[loss] tripletLoss p must be positive, got " + p + ".");
        Array dp = distance(MX.subtract(anchors, positives), axis, p, eps);
        Array dn = distance(MX.subtract(anchors, negatives), axis, p, eps);
        Array loss = MX.maximum(MX.add(MX.subtract(dp, dn), c(margin, dp)), c(0, dp));
        return reduction.apply(loss);
    }

    private static Array distance(Array d, int axis, int p, double eps) {
        int ax = axisOf("tripletLoss", axis, d, "the differences");
        if (p == 2) return MX.sqrt(MX.add(MX.sum(MX.square(d), ax), c(eps, d)));
        Array s = MX.add(MX.sum(MX.power(MX.abs(d), c(p, d)), ax), c(eps, d));
        return p == 1 ? s : MX.power(s, c(1.0 / p, s));
    }
}
