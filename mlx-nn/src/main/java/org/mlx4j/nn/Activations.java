package org.mlx4j.nn;

import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * Activation functions with MLX's names (in lowerCamelCase), formulas and defaults, from
 * {@code mlx.nn}'s activations; each also exists as a module (such as {@link ReLU} or {@link GELU})
 * for {@link Sequential}. All are elementwise unless stated, keep the input's shape and dtype, and
 * are differentiable wherever their formula is.
 *
 * <p>Where MLX's formula would overflow or cancel, the same function is written in a stable form
 * (for example {@code expm1} of the clamped input in {@link #elu}), so large inputs give finite
 * values and finite gradients.
 */
public final class Activations {
    private Activations() {}

    /** {@code sqrt(2 / pi)}, the constant of the tanh GELU approximation. */
    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);
    /** MLX's SELU constants (rounded as MLX rounds them). */
    private static final double SELU_ALPHA = 1.67326;
    private static final double SELU_SCALE = 1.0507;

    private static Array c(double v, Array like) { return MX.scalarLike(v, like); }

    private static Array zero(Array like) { return MX.scalarLike(0, like); }

    // ------------------------------------------------------------------ rectifiers

    /** {@code max(x, 0)}. */
    public static Array relu(Array x) { return MX.maximum(x, zero(x)); }

    /** {@code min(max(x, 0), 6)}. */
    public static Array relu6(Array x) { return MX.minimum(MX.maximum(x, zero(x)), c(6, x)); }

    /** {@code max(x, 0)^2}, the squared ReLU (MLX's {@code relu2}). */
    public static Array reluSquared(Array x) { return MX.square(relu(x)); }

    /** Leaky ReLU with MLX's default slope 0.01; see {@link #leakyRelu(Array, double)}. */
    public static Array leakyRelu(Array x) { return leakyRelu(x, 0.01); }

    /** {@code max(negativeSlope * x, x)}, MLX's formula (for slopes in [0, 1] the usual leaky ReLU). */
    public static Array leakyRelu(Array x, double negativeSlope) { return MX.maximum(MX.multiply(c(negativeSlope, x), x), x); }

    /**
     * Parametric ReLU: {@code max(x, 0) + alpha * min(x, 0)}.
     *
     * @param alpha slopes that broadcast against {@code x} (for example one per channel, the last axis)
     */
    public static Array prelu(Array x, Array alpha) {
        return MX.add(MX.maximum(x, zero(x)), MX.multiply(alpha, MX.minimum(x, zero(x))));
    }

    /** ELU with MLX's default {@code alpha = 1}; see {@link #elu(Array, double)}. */
    public static Array elu(Array x) { return elu(x, 1.0); }

    /**
     * Exponential linear unit: {@code x} for {@code x > 0}, else {@code alpha * (exp(x) - 1)}.
     * Written with {@code expm1(min(x, 0))} so a large positive x cannot overflow the branch it does
     * not take (which would make its gradient NaN).
     */
    public static Array elu(Array x, double alpha) {
        Array neg = MX.multiply(c(alpha, x), MX.expm1(MX.minimum(x, zero(x))));
        return MX.where(MX.greater(x, zero(x)), x, neg);
    }

    /** CELU with MLX's default {@code alpha = 1}; see {@link #celu(Array, double)}. */
    public static Array celu(Array x) { return celu(x, 1.0); }

    /** Continuously differentiable ELU: {@code max(x, 0) + alpha * (exp(min(x, 0) / alpha) - 1)}. */
    public static Array celu(Array x, double alpha) {
        Array neg = MX.multiply(c(alpha, x), MX.expm1(MX.divide(MX.minimum(x, zero(x)), c(alpha, x))));
        return MX.add(MX.maximum(x, zero(x)), neg);
    }

    /**
     * Scaled ELU: {@code 1.0507 * elu(x, 1.67326)}, with MLX's constants (rounded to those digits,
     * as MLX has them).
     */
    public static Array selu(Array x) { return MX.multiply(c(SELU_SCALE, x), elu(x, SELU_ALPHA)); }

    // ------------------------------------------------------------------ sigmoid family

    /** {@code 1 / (1 + exp(-x))}. */
    public static Array sigmoid(Array x) { return MX.sigmoid(x); }

    /** {@code log(1 + exp(x))}, computed as {@code logaddexp(x, 0)} so it is exact for large |x|. */
    public static Array softplus(Array x) { return MX.logaddexp(x, zero(x)); }

    /** {@code log(sigmoid(x)) = -softplus(-x)}, stable for large |x|. */
    public static Array logSigmoid(Array x) { return MX.negative(softplus(MX.negative(x))); }

    /** Sigmoid linear unit (swish): {@code x * sigmoid(x)}. */
    public static Array silu(Array x) { return MX.multiply(x, MX.sigmoid(x)); }

    /** Mish: {@code x * tanh(softplus(x))}. */
    public static Array mish(Array x) { return MX.multiply(x, MX.tanh(softplus(x))); }

    /** {@code x / (1 + |x|)}. */
    public static Array softsign(Array x) { return MX.divide(x, MX.add(c(1, x), MX.abs(x))); }

    /** {@code tanh(x)}. */
    public static Array tanh(Array x) { return MX.tanh(x); }

    /** {@code x * min(max(x + 3, 0), 6) / 6}. */
    public static Array hardswish(Array x) {
        Array r = MX.minimum(MX.maximum(MX.add(x, c(3, x)), zero(x)), c(6, x));
        return MX.divide(MX.multiply(x, r), c(6, x));
    }

    /** HardTanh with MLX's defaults {@code minVal = -1}, {@code maxVal = 1}. */
    public static Array hardTanh(Array x) { return hardTanh(x, -1.0, 1.0); }

    /** {@code min(max(x, minVal), maxVal)}. */
    public static Array hardTanh(Array x, double minVal, double maxVal) {
        return MX.minimum(MX.maximum(x, c(minVal, x)), c(maxVal, x));
    }

    // ------------------------------------------------------------------ GELU

    /** Exact GELU: {@code x * Phi(x) = x * (1 + erf(x / sqrt(2))) / 2}. */
    public static Array gelu(Array x) {
        Array cdf = MX.add(c(1, x), MX.erf(MX.divide(x, c(Math.sqrt(2.0), x))));
        return MX.divide(MX.multiply(x, cdf), c(2, x));
    }

    /**
     * The tanh approximation of GELU (MLX's {@code gelu_approx}, PyTorch's {@code approximate='tanh'}):
     * {@code 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))}; absolute error under 0.0005 on [-6, 6].
     */
    public static Array geluApprox(Array x) {
        Array inner = MX.multiply(c(SQRT_2_OVER_PI, x), MX.add(x, MX.multiply(c(0.044715, x), MX.multiply(x, MX.square(x)))));
        return MX.multiply(MX.multiply(c(0.5, x), x), MX.add(c(1, x), MX.tanh(inner)));
    }

    /** The sigmoid approximation of GELU (MLX's {@code gelu_fast_approx}): {@code x * sigmoid(1.702 * x)}. */
    public static Array geluFastApprox(Array x) { return MX.multiply(x, MX.sigmoid(MX.multiply(c(1.702, x), x))); }

    // ------------------------------------------------------------------ shrinkage and thresholds

    /** HardShrink with MLX's default {@code lambda = 0.5}. */
    public static Array hardShrink(Array x) { return hardShrink(x, 0.5); }

    /** {@code x} where {@code |x| > lambda}, else 0. */
    public static Array hardShrink(Array x, double lambda) {
        return MX.where(MX.greater(MX.abs(x), c(lambda, x)), x, zero(x));
    }

    /** Softshrink with MLX's default {@code lambda = 0.5}. */
    public static Array softshrink(Array x) { return softshrink(x, 0.5); }

    /** {@code x - sign(x) * lambda} where {@code |x| > lambda}, else 0. */
    public static Array softshrink(Array x, double lambda) {
        Array shrunk = MX.subtract(x, MX.multiply(MX.sign(x), c(lambda, x)));
        return MX.where(MX.greater(MX.abs(x), c(lambda, x)), shrunk, zero(x));
    }

    /** Step with MLX's default threshold 0. */
    public static Array step(Array x) { return step(x, 0.0); }

    /**
     * Binary step: 1 where {@code x > threshold}, else 0, in x's dtype (MLX returns int32 here; a
     * floating result composes with the rest of a network without casts). Its gradient is zero.
     */
    public static Array step(Array x, double threshold) {
        return MX.where(MX.greater(x, c(threshold, x)), c(1, x), zero(x));
    }

    // ------------------------------------------------------------------ along an axis

    /** Softmax over the last axis. */
    public static Array softmax(Array x) { return softmax(x, -1); }

    /**
     * {@code exp(x_i) / sum_j exp(x_j)} along {@code axis}, computed stably.
     *
     * @throws IllegalArgumentException if {@code axis} is out of range
     */
    public static Array softmax(Array x, int axis) { return MX.softmax(x, axis); }

    /** Softmin over the last axis. */
    public static Array softmin(Array x) { return softmin(x, -1); }

    /** {@code softmax(-x)} along {@code axis}. */
    public static Array softmin(Array x, int axis) { return MX.softmax(MX.negative(x), axis); }

    /** Log-softmax over the last axis. */
    public static Array logSoftmax(Array x) { return logSoftmax(x, -1); }

    /** {@code x - logsumexp(x)} along {@code axis}, computed stably. */
    public static Array logSoftmax(Array x, int axis) { return MX.logSoftmax(x, axis); }

    /** GLU over the last axis. */
    public static Array glu(Array x) { return glu(x, -1); }

    /**
     * Gated linear unit: splits {@code axis} into halves {@code a} and {@code b} and returns
     * {@code a * sigmoid(b)}; the output has half the input's size along {@code axis}.
     *
     * @throws IllegalArgumentException ({@code [glu]}) if {@code axis} is out of range or its size is odd
     */
    public static Array glu(Array x, int axis) {
        int ax = axis < 0 ? axis + x.ndim() : axis;
        if (ax < 0 || ax >= x.ndim()) {
            throw new IllegalArgumentException("[glu] axis " + axis + " is out of range for shape " + x.shape() + ".");
        }
        if (x.dim(ax) % 2 != 0) {
            throw new IllegalArgumentException("[glu] axis " + axis + " of shape " + x.shape() + " has odd size " + x.dim(ax)
                    + "; it must split into two equal halves.");
        }
        Array[] ab = MX.split(x, 2, ax);
        return MX.multiply(ab[0], MX.sigmoid(ab[1]));
    }
}
