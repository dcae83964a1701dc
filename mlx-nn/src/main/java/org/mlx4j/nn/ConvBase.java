package org.mlx4j.nn;

import java.util.Arrays;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * What the convolution layers share: argument checks, MLX's parameters and initialization, the
 * input checks that give {@code [Conv2d]}-style messages, and the printout. The public classes
 * ({@link Conv1d}, {@link ConvTranspose2d}, ...) only name their arguments.
 */
abstract class ConvBase extends UnaryModule {
    private final String name;
    private final boolean transpose;
    private final int inChannels;
    private final int outChannels;
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final int[] outputPadding;
    private final int groups;

    /**
     * Checks the arguments and registers {@code weight} (uniform in [-s, s], s = sqrt(1 / (inChannels
     * * prod(kernelSize))), as MLX) and a zero {@code bias}.
     */
    ConvBase(String name, int d, boolean transpose, int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding,
             int[] dilation, int[] outputPadding, int groups, boolean bias) {
        this.name = name;
        this.transpose = transpose;
        if (inChannels <= 0 || outChannels <= 0) {
            throw new IllegalArgumentException("[" + name + "] channels must be positive, got inChannels=" + inChannels + " and outChannels="
                    + outChannels + ".");
        }
        this.kernelSize = check(name, "kernelSize", kernelSize, d, 1);
        this.stride = check(name, "stride", stride, d, 1);
        this.padding = check(name, "padding", padding, d, 0);
        this.dilation = check(name, "dilation", dilation, d, 1);
        this.outputPadding = check(name, "outputPadding", outputPadding, d, 0);
        if (groups < 1 || inChannels % groups != 0 || outChannels % groups != 0) {
            throw new IllegalArgumentException("[" + name + "] groups must be positive and divide both channel counts, got groups=" + groups
                    + ", inChannels=" + inChannels + ", outChannels=" + outChannels + ".");
        }
        for (int i = 0; i < d; i++) {
            if (this.outputPadding[i] > 0 && this.outputPadding[i] >= Math.max(this.stride[i], this.dilation[i])) {
                throw new IllegalArgumentException("[" + name + "] outputPadding " + tuple(this.outputPadding)
                        + " must be smaller than the stride " + tuple(this.stride) + " or the dilation " + tuple(this.dilation)
                        + " on each axis.");
            }
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.groups = groups;
        long fanIn = inChannels;
        for (int k : this.kernelSize) fanIn *= k;
        double scale = Math.sqrt(1.0 / fanIn);
        int[] wShape = new int[d + 2];
        wShape[0] = outChannels;
        System.arraycopy(this.kernelSize, 0, wShape, 1, d);
        wShape[d + 1] = inChannels / groups;
        registerParameter("weight", MX.uniform(-scale, scale, wShape));
        if (bias) registerParameter("bias", MX.zeros(outChannels));
    }

    /** {@code v} as an int per spatial axis, each at least {@code min}; a copy. */
    private static int[] check(String name, String what, int[] v, int d, int min) {
        if (v == null || v.length != d) {
            throw new IllegalArgumentException("[" + name + "] " + what + " needs " + d + (d == 1 ? " entry" : " entries")
                    + " (one per spatial axis), got " + (v == null ? "null" : tuple(v)) + ".");
        }
        for (int x : v) {
            if (x < min) {
                throw new IllegalArgumentException("[" + name + "] " + what + " must be " + (min == 0 ? "non-negative" : "positive") + ", got "
                        + tuple(v) + ".");
            }
        }
        return v.clone();
    }

    /** {@code d} copies of {@code v}. */
    static int[] fill(int d, int v) {
        int[] r = new int[d];
        Arrays.fill(r, v);
        return r;
    }

    /** Python's tuple printout: (3, 3), (3,). */
    static String tuple(int[] v) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) sb.append(i == 0 ? "" : ", ").append(v[i]);
        return sb.append(v.length == 1 ? ",)" : ")").toString();
    }

    /** The spatial axis names for an input description: L; H, W; D, H, W. */
    static String spatialNames(int d) {
        return switch (d) {
            case 1 -> "L";
            case 2 -> "H, W";
            case 3 -> "D, H, W";
            default -> "S1.." + d;
        };
    }

    /** The weight: (outChannels, kernelSize..., inChannels / groups). */
    public Array weight() { return param("weight"); }

    /** The bias (outChannels), or {@code null} without one. */
    public Array bias() { return hasParam("bias") ? param("bias") : null; }

    /** Input channels (the input's last axis). */
    public int inChannels() { return inChannels; }

    /** Output channels (the output's last axis). */
    public int outChannels() { return outChannels; }

    /** The kernel's size per spatial axis (a copy). */
    public int[] kernelSize() { return kernelSize.clone(); }

    /** The stride per spatial axis (a copy). */
    public int[] stride() { return stride.clone(); }

    /** The padding per spatial axis, applied on both sides (a copy). */
    public int[] padding() { return padding.clone(); }

    /** The kernel dilation per spatial axis (a copy). */
    public int[] dilation() { return dilation.clone(); }

    /** The number of channel groups (1 for transposed convolutions). */
    public int groups() { return groups; }

    /** Extra elements at the end of each spatial axis of a transposed convolution's output (zeros otherwise; a copy). */
    int[] outputPaddingArray() { return outputPadding.clone(); }

    @Override public Array forward(Array x) {
        int d = kernelSize.length;
        if (x.ndim() != d + 2 || x.dim(-1) != inChannels) {
            throw new IllegalArgumentException("[" + name + "] expected input (N, " + spatialNames(d) + ", " + inChannels + "), got shape "
                    + x.shape() + ".");
        }
        if (!x.dtype().isFloating()) {
            throw new IllegalArgumentException("[" + name + "] the input must have a floating dtype, got " + x.dtype().mlxName()
                    + "; convert it with astype.");
        }
        for (int i = 0; i < d; i++) {
            long span = (long) dilation[i] * (kernelSize[i] - 1) + 1;
            long size = x.dim(i + 1);
            boolean empty = transpose ? (size - 1) * stride[i] - 2L * padding[i] + span + outputPadding[i] < 1 : size + 2L * padding[i] < span;
            if (empty) {
                throw new IllegalArgumentException("[" + name + "] " + (transpose ? "the padding " + tuple(padding) + " leaves no output"
                        : "the kernel " + tuple(kernelSize) + " with dilation " + tuple(dilation) + " is larger than the padded input")
                        + " along spatial axis " + i + ": input of shape " + x.shape() + ", padding " + tuple(padding) + ".");
            }
        }
        Array w = weight();
        Array y = transpose
                ? switch (d) {
                    case 1 -> MX.convTranspose1d(x, w, stride[0], padding[0], dilation[0], outputPadding[0], groups);
                    case 2 -> MX.convTranspose2d(x, w, stride, padding, dilation, outputPadding, groups);
                    default -> MX.convTranspose3d(x, w, stride, padding, dilation, outputPadding, groups);
                }
                : switch (d) {
                    case 1 -> MX.conv1d(x, w, stride[0], padding[0], dilation[0], groups);
                    case 2 -> MX.conv2d(x, w, stride, padding, dilation, groups);
                    default -> MX.conv3d(x, w, stride, padding, dilation, groups);
                };
        return hasParam("bias") ? MX.add(y, bias()) : y;
    }

    @Override protected String describe() {
        return "inChannels=" + inChannels + ", outChannels=" + outChannels + ", kernelSize=" + tuple(kernelSize) + ", stride=" + tuple(stride)
                + ", padding=" + tuple(padding) + ", dilation=" + tuple(dilation)
                + (transpose ? ", outputPadding=" + tuple(outputPadding) : ", groups=" + groups) + ", bias=" + hasParam("bias");
    }
}
