package org.mlx4j.core.ops;

import java.util.Arrays;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.primitive.Convolution;

/**
 * Channels-last convolutions, as in MLX: input {@code (N, S_1..S_d, C_in)}, weight
 * {@code (C_out, k_1..k_d, C_in/groups)}, output {@code (N, O_1..O_d, C_out)}. See
 * {@link org.mlx4j.core.MX#convGeneral} for the general form; the 1-, 2- and 3-d forms and the
 * transposed convolutions are special cases of it, all computed by one {@link Convolution} primitive.
 *
 * <p>Dtypes: the input must be floating (as in MLX); the weight is promoted with it, so the output
 * has {@code promote(input, weight)}.
 */
public final class Conv {
    private Conv() {}

    /**
     * The general convolution (MLX {@code conv_general}).
     *
     * @param op             the name used in error messages
     * @param input          (N, S..., C_in), floating
     * @param weight         (C_out, k..., C_in/groups)
     * @param stride         step per spatial axis, positive
     * @param paddingLo      zeros before each spatial axis, non-negative
     * @param paddingHi      zeros after each spatial axis, non-negative
     * @param kernelDilation kernel dilation per spatial axis, positive
     * @param inputDilation  input dilation per spatial axis, positive
     * @param groups         channel groups, dividing C_in and C_out
     * @param flip           flip the kernel (true convolution) instead of correlating
     * @return (N, O..., C_out) with O = floor((dilatedIn + lo + hi - dilatedKernel) / stride) + 1
     * @throws IllegalArgumentException on wrong ranks, channel or group mismatches, bad parameters,
     *                                  an integral input, or a kernel larger than the padded input
     */
    public static Array convGeneral(String op, Array input, Array weight, int[] stride, int[] paddingLo, int[] paddingHi,
                                    int[] kernelDilation, int[] inputDilation, int groups, boolean flip) {
        int d = checkOperands(op, input, weight, groups);
        checkParam(op, "stride", stride, d, 1);
        checkParam(op, "paddingLo", paddingLo, d, 0);
        checkParam(op, "paddingHi", paddingHi, d, 0);
        checkParam(op, "kernelDilation", kernelDilation, d, 1);
        checkParam(op, "inputDilation", inputDilation, d, 1);
        Convolution c = new Convolution(stride, paddingLo, paddingHi, kernelDilation, inputDilation, groups, flip);
        checkFits(op, c, input, weight);
        return build(c, input, weight);
    }

    /**
     * A d-dimensional convolution with symmetric padding (MLX {@code conv1d/conv2d/conv3d}).
     *
     * @param op       the name used in error messages ("conv2d", ...)
     * @param d        the number of spatial axes the op expects
     * @param padding  zeros on both sides of each spatial axis
     * @param dilation kernel dilation
     * @see #convGeneral
     */
    public static Array conv(String op, int d, Array input, Array weight, int[] stride, int[] padding, int[] dilation, int groups) {
        checkRank(op, d, input, weight);
        int[] ones = filled(d, 1);
        return convGeneral(op, input, weight, stride, padding, padding, dilation, ones, groups, false);
    }

    /**
     * A d-dimensional transposed convolution (MLX {@code conv_transpose1d/2d/3d}): the adjoint of
     * {@link #conv} with respect to its input. The weight is {@code (C_out, k..., C_in/groups)} where
     * C_in is the channel count of {@code input}, exactly as in MLX; along each spatial axis the
     * output has {@code (S-1)*stride - 2*padding + dilation*(k-1) + 1 + outputPadding} elements.
     *
     * @param outputPadding extra elements at the high end of each spatial axis, each smaller than
     *                      its stride or its dilation
     * @throws IllegalArgumentException as {@link #convGeneral}, and for padding larger than the
     *                                  result allows or an output padding that is too large
     */
    public static Array convTranspose(String op, int d, Array input, Array weight, int[] stride, int[] padding, int[] dilation,
                                      int[] outputPadding, int groups) {
        checkRank(op, d, input, weight);
        int dd = checkOperands(op, input, weight, groups);
        checkParam(op, "stride", stride, dd, 1);
        checkParam(op, "padding", padding, dd, 0);
        checkParam(op, "dilation", dilation, dd, 1);
        checkParam(op, "outputPadding", outputPadding, dd, 0);
        int[] lo = new int[d], hi = new int[d];
        for (int i = 0; i < d; i++) {
            if (outputPadding[i] >= Math.max(stride[i], dilation[i])) {
                throw new IllegalArgumentException("[" + op + "] outputPadding " + Arrays.toString(outputPadding)
                        + " must be smaller than the stride " + Arrays.toString(stride) + " or the dilation " + Arrays.toString(dilation)
                        + " on each axis.");
            }
            int kSpan = (weight.dim(i + 1) - 1) * dilation[i] + 1;
            lo[i] = kSpan - 1 - padding[i];
            hi[i] = kSpan - 1 - padding[i] + outputPadding[i];
            long outLen = (long) (input.dim(i + 1) - 1) * stride[i] - 2L * padding[i] + kSpan + outputPadding[i];
            if (input.dim(i + 1) > 0 && outLen < 1) {
                throw new IllegalArgumentException("[" + op + "] padding " + Arrays.toString(padding) + " leaves no output along spatial axis "
                        + i + " for input of shape " + input.shape() + " and weight of shape " + weight.shape() + ".");
            }
        }
        // negative padding (padding > dilated kernel - 1) crops the dilated input; the primitive allows it
        Convolution c = new Convolution(filled(d, 1), lo, hi, dilation, stride, groups, true);
        checkFits(op, c, input, weight);
        return build(c, input, weight);
    }

    private static Array build(Convolution c, Array input, Array weight) {
        DType t = DType.promote(input.dtype(), weight.dtype());
        return c.apply(Elementwise.astype(input, t), Elementwise.astype(weight, t));
    }

    private static void checkRank(String op, int d, Array input, Array weight) {
        if (input.ndim() != d + 2) {
            throw new IllegalArgumentException("[" + op + "] expected an input of " + (d + 2) + " dimensions (N, "
                    + (d == 1 ? "L" : d == 2 ? "H, W" : "D, H, W") + ", C_in), got shape " + input.shape() + ".");
        }
        if (weight.ndim() != d + 2) {
            throw new IllegalArgumentException("[" + op + "] expected a weight of " + (d + 2) + " dimensions (C_out, "
                    + (d == 1 ? "K" : d == 2 ? "kH, kW" : "kD, kH, kW") + ", C_in / groups), got shape " + weight.shape() + ".");
        }
    }

    /** Checks ranks, dtype, device, channels and groups; returns the number of spatial axes. */
    private static int checkOperands(String op, Array input, Array weight, int groups) {
        Elementwise.sameDevice(op, input, weight);
        if (input.ndim() < 3) {
            throw new IllegalArgumentException("[" + op + "] expected an input (N, spatial..., C_in) with at least one spatial axis, got shape "
                    + input.shape() + ".");
        }
        if (weight.ndim() != input.ndim()) {
            throw new IllegalArgumentException("[" + op + "] input and weight must have the same number of dimensions, got input of shape "
                    + input.shape() + " and weight of shape " + weight.shape() + ".");
        }
        if (!input.dtype().isFloating()) {
            throw new IllegalArgumentException("[" + op + "] the input must have a floating dtype, got " + input.dtype().mlxName()
                    + "; convert it with astype.");
        }
        if (groups < 1) throw new IllegalArgumentException("[" + op + "] groups must be positive, got " + groups + ".");
        int cIn = input.dim(-1), cOut = weight.dim(0);
        if (cIn % groups != 0) {
            throw new IllegalArgumentException("[" + op + "] the input channels must be divisible by the number of groups, got input of shape "
                    + input.shape() + " and " + groups + " groups.");
        }
        if (cOut % groups != 0) {
            throw new IllegalArgumentException("[" + op + "] the output channels must be divisible by the number of groups, got weight of shape "
                    + weight.shape() + " and " + groups + " groups.");
        }
        if (weight.dim(-1) * groups != cIn) {
            throw new IllegalArgumentException("[" + op + "] the input channels (" + cIn + ") must equal the weight's last axis times groups ("
                    + weight.dim(-1) + " * " + groups + "), got input of shape " + input.shape() + " and weight of shape " + weight.shape() + ".");
        }
        for (int i = 1; i < weight.ndim() - 1; i++) {
            if (weight.dim(i) < 1) {
                throw new IllegalArgumentException("[" + op + "] the kernel must have positive spatial sizes, got weight of shape "
                        + weight.shape() + ".");
            }
        }
        return input.ndim() - 2;
    }

    private static void checkParam(String op, String what, int[] v, int d, int min) {
        if (v == null || v.length != d) {
            throw new IllegalArgumentException("[" + op + "] " + what + " needs " + d + " entries (one per spatial axis), got "
                    + Arrays.toString(v) + ".");
        }
        for (int x : v) {
            if (x < min) {
                throw new IllegalArgumentException("[" + op + "] " + what + " must be " + (min == 0 ? "non-negative" : "positive") + ", got "
                        + Arrays.toString(v) + ".");
            }
        }
    }

    private static void checkFits(String op, Convolution c, Array input, Array weight) {
        for (int i = 0; i < c.spatialDims(); i++) {
            if (c.outputSize(i, input.dim(i + 1), weight.dim(i + 1)) < 1) {
                throw new IllegalArgumentException("[" + op + "] the (dilated) kernel is larger than the (dilated, padded) input along spatial axis "
                        + i + ": input of shape " + input.shape() + " with padding " + Arrays.toString(c.paddingLo()) + " / "
                        + Arrays.toString(c.paddingHi()) + ", weight of shape " + weight.shape() + " with dilation "
                        + Arrays.toString(c.kernelDilation()) + ".");
            }
        }
    }

    private static int[] filled(int n, int v) {
        int[] r = new int[n];
        Arrays.fill(r, v);
        return r;
    }
}
