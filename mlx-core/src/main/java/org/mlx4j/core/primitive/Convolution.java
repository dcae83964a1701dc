package org.mlx4j.core.primitive;

import static org.mlx4j.core.MX.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mlx4j.core.Array;
import org.mlx4j.core.Shape;

/**
 * A general channels-last convolution, MLX's {@code Convolution}: input {@code (N, S_1..S_d, C_in)},
 * weight {@code (C_out, k_1..k_d, C_in/groups)}, output {@code (N, O_1..O_d, C_out)}, with both
 * inputs of the output's floating dtype. Along spatial axis i, the input is dilated by
 * {@code inputDilation[i]} (zeros between elements), padded by {@code paddingLo[i]} and
 * {@code paddingHi[i]} zeros, and correlated with the kernel dilated by {@code kernelDilation[i]}
 * at step {@code stride[i]}:
 * <pre>
 * out[n, o, g*Cog + co] = sum_{j, c} xPadded[n, o*stride + j*kernelDilation, g*Cig + c] * w[g*Cog + co, j', c]
 * </pre>
 * where {@code j' = k-1-j} when {@code flip} (a true convolution) and {@code j} otherwise.
 *
 * <p>The primitive also accepts negative padding (the input is cropped), which its own gradient
 * rules need; the public ops reject it. Both vjp and jvp are linear in each argument and are built
 * from convolutions, as in MLX: the input cotangent convolves the output cotangent with the
 * group-transposed, flipped weight (input dilation = stride); the weight cotangent convolves the
 * batch-transposed input with the batch-transposed output cotangent (stride and kernel dilation
 * swap roles).
 *
 * @param stride         step per spatial axis (positive)
 * @param paddingLo      zeros before each spatial axis (negative crops)
 * @param paddingHi      zeros after each spatial axis (negative crops)
 * @param kernelDilation kernel dilation per spatial axis (positive)
 * @param inputDilation  input dilation per spatial axis (positive)
 * @param groups         number of channel groups (divides C_in and C_out)
 * @param flip           whether the kernel is flipped along the spatial axes
 */
public record Convolution(int[] stride, int[] paddingLo, int[] paddingHi, int[] kernelDilation, int[] inputDilation,
                          int groups, boolean flip) implements Primitive {

    /** Copies the parameter arrays, so the record stays immutable. */
    public Convolution {
        stride = stride.clone();
        paddingLo = paddingLo.clone();
        paddingHi = paddingHi.clone();
        kernelDilation = kernelDilation.clone();
        inputDilation = inputDilation.clone();
    }

    @Override public String name() { return "Convolution"; }

    /** Number of spatial axes. */
    public int spatialDims() { return stride.length; }

    /** Extent of the dilated kernel along spatial axis {@code i} for kernel size {@code k}. */
    public int dilatedKernel(int i, int k) { return (k - 1) * kernelDilation[i] + 1; }

    /** Extent of the dilated input along spatial axis {@code i} for input size {@code s} (0 for an empty axis). */
    public int dilatedInput(int i, int s) { return s == 0 ? 0 : (s - 1) * inputDilation[i] + 1; }

    /**
     * Output size along spatial axis {@code i}; zero or negative when the kernel does not fit (the
     * ops check this first).
     */
    public long outputSize(int i, int inSize, int kSize) {
        long span = (long) dilatedInput(i, inSize) + paddingLo[i] + paddingHi[i] - dilatedKernel(i, kSize);
        return span < 0 ? Math.floorDiv(span, stride[i]) + 1 : span / stride[i] + 1;
    }

    /** The output shape for these input and weight shapes (assumed consistent; see {@link #apply}). */
    public Shape outputShape(Shape input, Shape weight) {
        int d = spatialDims();
        int[] out = new int[d + 2];
        out[0] = input.dim(0);
        for (int i = 0; i < d; i++) out[i + 1] = (int) Math.max(0, outputSize(i, input.dim(i + 1), weight.dim(i + 1)));
        out[d + 1] = weight.dim(0);
        return new Shape(out);
    }

    /**
     * The convolution node of {@code input} and {@code weight}. The caller has validated ranks,
     * channels, groups and dtypes (both inputs of one floating dtype); {@link org.mlx4j.core.ops.Conv}
     * does for the public ops, the gradient rules by construction.
     */
    public Array apply(Array input, Array weight) {
        return Array.node(outputShape(input.shape(), weight.shape()), input.dtype(), this, input, weight);
    }

    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        List<Array> out = new ArrayList<>(argnums.length);
        for (int a : argnums) out.add(a == 0 ? inputCotangent(primals.get(0), primals.get(1), cotangent)
                : weightCotangent(primals.get(0), primals.get(1), cotangent));
        return out;
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) {
        Array r = null;
        if (tangents.get(0) != null) r = apply(tangents.get(0), primals.get(1));
        if (tangents.get(1) != null) {
            Array t = apply(primals.get(0), tangents.get(1));
            r = r == null ? t : add(r, t);
        }
        return r == null ? zerosLike(output) : r;
    }

    /**
     * d(input): every input element x[t] met weight tap j at output o where o*s + j*kd - pLo = t, so
     * the cotangent dilated by the stride, correlated with the flipped kernel at padding
     * {@code K-1-pLo}, gives the gradient of the dilated input; stepping by the input dilation picks
     * the real input elements.
     */
    private Array inputCotangent(Array x, Array w, Array ct) {
        int d = spatialDims();
        if (x.size() == 0) return zerosLike(x);
        int[] lo = new int[d], hi = new int[d];
        for (int i = 0; i < d; i++) {
            int kSpan = dilatedKernel(i, w.dim(i + 1));
            int inSpan = dilatedInput(i, x.dim(i + 1));
            int outSpan = (ct.dim(i + 1) - 1) * stride[i] + 1;
            lo[i] = kSpan - 1 - paddingLo[i];
            hi[i] = inSpan - outSpan + paddingLo[i];
        }
        Convolution back = new Convolution(inputDilation, lo, hi, kernelDilation, stride, groups, !flip);
        return back.apply(ct, groupTranspose(w, groups));
    }

    /**
     * d(weight): w[co, j, c] gathers x[n, o*s + j*kd - pLo, c] * ct[n, o, co] over n and o, a
     * convolution over the spatial axes of the input with the cotangent as kernel, with the batch
     * axis as channels: stride and kernel dilation swap roles.
     */
    private Array weightCotangent(Array x, Array w, Array ct) {
        int d = spatialDims();
        if (w.size() == 0) return zerosLike(w);
        int[] hi = new int[d];
        for (int i = 0; i < d; i++) {
            int kSpan = dilatedKernel(i, w.dim(i + 1));
            int inSpan = dilatedInput(i, x.dim(i + 1));
            int outSpan = (ct.dim(i + 1) - 1) * stride[i] + 1;
            hi[i] = kSpan - 1 + outSpan - inSpan - paddingLo[i];
        }
        Array xT = batchToChannels(x, groups);
        Array ctT = swapaxes(ct, 0, -1);
        Convolution back = new Convolution(kernelDilation, paddingLo, hi, stride, inputDilation, groups, false);
        Array g = back.apply(xT, ctT); // (C_in/groups, k..., C_out)
        if (flip) g = reverseSpatial(g);
        return swapaxes(g, 0, -1);
    }

    /** Weight (C_out, k..., C_in/g) to (C_in, k..., C_out/g): within each group, in and out channels swap. */
    static Array groupTranspose(Array w, int groups) {
        if (groups == 1) return swapaxes(w, 0, -1);
        int nd = w.ndim();
        int[] s = w.shape().dims();
        int[] split = new int[nd + 1];
        split[0] = groups;
        split[1] = s[0] / groups;
        System.arraycopy(s, 1, split, 2, nd - 1);
        int[] perm = new int[nd + 1];
        perm[0] = 0;
        perm[1] = nd; // C_in/g
        for (int i = 2; i < nd; i++) perm[i] = i; // kernel axes
        perm[nd] = 1; // C_out/g
        Array t = transpose(reshape(w, split), perm);
        int[] merged = new int[nd];
        merged[0] = s[nd - 1] * groups;
        System.arraycopy(s, 1, merged, 1, nd - 2);
        merged[nd - 1] = s[0] / groups;
        return reshape(t, merged);
    }

    /** Input (N, S..., C_in) to (C_in/g, S..., g*N): the batch becomes the channels of each group. */
    static Array batchToChannels(Array x, int groups) {
        if (groups == 1) return swapaxes(x, 0, -1);
        int nd = x.ndim();
        int[] s = x.shape().dims();
        int[] split = Arrays.copyOf(s, nd + 1);
        split[nd - 1] = groups;
        split[nd] = s[nd - 1] / groups;
        int[] perm = new int[nd + 1];
        perm[0] = nd; // C_in/g
        for (int i = 1; i < nd - 1; i++) perm[i] = i; // spatial axes
        perm[nd - 1] = nd - 1; // g
        perm[nd] = 0; // N
        Array t = transpose(reshape(x, split), perm);
        int[] merged = new int[nd];
        merged[0] = s[nd - 1] / groups;
        System.arraycopy(s, 1, merged, 1, nd - 2);
        merged[nd - 1] = groups * s[0];
        return reshape(t, merged);
    }

    /** Reverses every axis but the first and the last. */
    static Array reverseSpatial(Array g) {
        int nd = g.ndim();
        int[] start = new int[nd], stop = g.shape().toArray(), step = new int[nd];
        Arrays.fill(step, 1);
        for (int i = 1; i < nd - 1; i++) {
            start[i] = g.dim(i) - 1;
            stop[i] = -1;
            step[i] = -1;
        }
        return slice(g, start, stop, step);
    }

    @Override public boolean equals(Object o) {
        return o instanceof Convolution c && groups == c.groups && flip == c.flip && Arrays.equals(stride, c.stride)
                && Arrays.equals(paddingLo, c.paddingLo) && Arrays.equals(paddingHi, c.paddingHi)
                && Arrays.equals(kernelDilation, c.kernelDilation) && Arrays.equals(inputDilation, c.inputDilation);
    }

    @Override public int hashCode() {
        return ((Arrays.hashCode(stride) * 31 + Arrays.hashCode(paddingLo)) * 31 + Arrays.hashCode(paddingHi)) * 31 + groups;
    }

    @Override public String toString() {
        return "Convolution[stride=" + Arrays.toString(stride) + ", paddingLo=" + Arrays.toString(paddingLo) + ", paddingHi="
                + Arrays.toString(paddingHi) + ", kernelDilation=" + Arrays.toString(kernelDilation) + ", inputDilation="
                + Arrays.toString(inputDilation) + ", groups=" + groups + ", flip=" + flip + "]";
    }
}
