package org.mlx4j.nn;

import java.util.Arrays;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/**
 * A bilinear map of two inputs, like MLX's {@code nn.Bilinear}:
 * {@code y_i = x1^T W_i x2 + b_i}, computed as {@code y[..., i] = sum_jk x2[..., j] * weight[i, j, k] * x1[..., k] + bias[i]}.
 * Parameters {@code weight} (outputDims, input2Dims, input1Dims), MLX's layout, and {@code bias}
 * (outputDims), both uniform in [-1/sqrt(input1Dims), 1/sqrt(input1Dims)] as MLX initializes them.
 * Inputs (..., input1Dims) and (..., input2Dims) with the same leading shape; output (..., outputDims).
 */
public final class Bilinear extends Module {
    private final int input1Dims;
    private final int input2Dims;
    private final int outputDims;

    /** A bilinear layer with a bias. */
    public Bilinear(int input1Dims, int input2Dims, int outputDims) { this(input1Dims, input2Dims, outputDims, true); }

    /**
     * A bilinear layer.
     *
     * @throws IllegalArgumentException if a size is not positive
     */
    public Bilinear(int input1Dims, int input2Dims, int outputDims, boolean bias) {
        if (input1Dims <= 0 || input2Dims <= 0 || outputDims <= 0) {
            throw new IllegalArgumentException("[Bilinear] sizes must be positive, got input1Dims=" + input1Dims + ", input2Dims=" + input2Dims
                    + " and outputDims=" + outputDims + ".");
        }
        this.input1Dims = input1Dims;
        this.input2Dims = input2Dims;
        this.outputDims = outputDims;
        double scale = Math.sqrt(1.0 / input1Dims);
        registerParameter("weight", MX.uniform(-scale, scale, new int[] {outputDims, input2Dims, input1Dims}));
        if (bias) registerParameter("bias", MX.uniform(-scale, scale, new int[] {outputDims}));
    }

    /** The weight, (outputDims, input2Dims, input1Dims). */
    public Array weight() { return param("weight"); }

    /** The bias (outputDims), or {@code null} without one. */
    public Array bias() { return hasParam("bias") ? param("bias") : null; }

    /** Features of the first input. */
    public int input1Dims() { return input1Dims; }

    /** Features of the second input. */
    public int input2Dims() { return input2Dims; }

    /** Output features. */
    public int outputDims() { return outputDims; }

    /**
     * The bilinear map of {@code x1} (..., input1Dims) and {@code x2} (..., input2Dims): (..., outputDims).
     *
     * @throws IllegalArgumentException if a last axis is wrong or the leading shapes differ
     */
    public Array forward(Array x1, Array x2) {
        int[] lead = x1.ndim() == 0 ? null : Arrays.copyOf(x1.shape().toArray(), x1.ndim() - 1);
        if (lead == null || x1.dim(-1) != input1Dims || x2.ndim() != x1.ndim() || x2.dim(-1) != input2Dims
                || !Arrays.equals(lead, Arrays.copyOf(x2.shape().toArray(), x2.ndim() - 1))) {
            throw new IllegalArgumentException("[Bilinear] expected inputs (..., " + input1Dims + ") and (..., " + input2Dims
                    + ") with the same leading shape, got shapes " + x1.shape() + " and " + x2.shape() + ".");
        }
        int batch = 1;
        for (int s : lead) batch *= s;
        // one matmul against all (output, input2) rows at once, then one batched matmul with x2, as MLX does
        Array w = MX.reshape(weight(), outputDims * input2Dims, input1Dims);
        Array y = MX.matmul(MX.reshape(x1, batch, input1Dims), MX.transpose(w));
        y = MX.swapaxes(MX.reshape(y, batch, outputDims, input2Dims), -2, -1);
        y = MX.matmul(MX.reshape(x2, batch, 1, input2Dims), y);
        int[] outShape = Arrays.copyOf(lead, lead.length + 1);
        outShape[lead.length] = outputDims;
        y = MX.reshape(y, outShape);
        return hasParam("bias") ? MX.add(y, bias()) : y;
    }

    @Override protected String describe() {
        return "input1Dims=" + input1Dims + ", input2Dims=" + input2Dims + ", outputDims=" + outputDims + ", bias=" + hasParam("bias");
    }
}
