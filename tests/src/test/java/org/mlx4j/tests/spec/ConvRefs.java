package org.mlx4j.tests.spec;

import static org.mlx4j.tests.spec.ShapeRefs.count;
import static org.mlx4j.tests.spec.ShapeRefs.unravel;

import java.util.Arrays;
import org.mlx4j.tests.spec.ShapeRefs.Dense;

/**
 * Float64 references for the convolution rows, written from the textbook definitions rather than
 * from mlx-core's formulation: input {@code (N, S_1..S_d, C_in)}, weight
 * {@code (C_out, k_1..k_d, C_in/groups)}, output {@code (N, O_1..O_d, C_out)}; output channel co
 * belongs to group {@code co / (C_out/groups)} and sees that group's input channels. The groups
 * are {@code C_in / weight's last axis}, as the rows derive them.
 */
final class ConvRefs {
    private ConvRefs() {}

    static int groups(Dense x, Dense w) { return x.dim(-1) / w.dim(-1); }

    /**
     * The general correlation (a convolution when {@code flip}): the input is dilated (inputDilation
     * - 1 zeros between neighbours) and padded (lo before, hi after), then
     * {@code out[n, o, co] = sum_{k, c} xd[n, o*stride + k*kernelDilation, g*Cw + c] * w[co, k', c]}
     * with {@code k' = k}, or {@code K - 1 - k} when flipped; positions in the zeros contribute nothing.
     */
    static Dense conv(Dense x, Dense w, int[] stride, int[] lo, int[] hi, int[] kernelDilation, int[] inputDilation, boolean flip) {
        int d = x.ndim() - 2, cw = w.dim(-1), cout = w.dim(0), perGroup = cout / groups(x, w);
        int[] s = Arrays.copyOfRange(x.d(), 1, d + 1), k = Arrays.copyOfRange(w.d(), 1, d + 1);
        int[] od = new int[d + 2];
        od[0] = x.dim(0);
        od[d + 1] = cout;
        for (int i = 0; i < d; i++) {
            int dilatedIn = (s[i] - 1) * inputDilation[i] + 1 + lo[i] + hi[i], span = (k[i] - 1) * kernelDilation[i] + 1;
            od[i + 1] = Math.floorDiv(dilatedIn - span, stride[i]) + 1;
        }
        double[] r = new double[count(od)];
        int[] xi = new int[d + 2], wi = new int[d + 2];
        for (int j = 0; j < r.length; j++) {
            int[] o = unravel(j, od);
            int co = o[d + 1], g = co / perGroup;
            xi[0] = o[0];
            wi[0] = co;
            double sum = 0;
            taps:
            for (int t = 0; t < count(k); t++) {
                int[] kk = unravel(t, k);
                for (int i = 0; i < d; i++) {
                    // position in the padded, dilated input, then back to an input index if it is not a zero
                    int p = o[i + 1] * stride[i] + kk[i] * kernelDilation[i] - lo[i];
                    if (p < 0 || p % inputDilation[i] != 0 || p / inputDilation[i] >= s[i]) continue taps;
                    xi[i + 1] = p / inputDilation[i];
                    wi[i + 1] = flip ? k[i] - 1 - kk[i] : kk[i];
                }
                for (int c = 0; c < cw; c++) {
                    xi[d + 1] = g * cw + c;
                    wi[d + 1] = c;
                    sum += x.at(xi) * w.at(wi);
                }
            }
            r[j] = sum;
        }
        return new Dense(r, od);
    }

    /** conv1d/2d/3d: symmetric zero padding, kernel dilation, no input dilation, no flip. */
    static Dense conv(Dense x, Dense w, int[] stride, int[] padding, int[] dilation) {
        return conv(x, w, stride, padding, padding, dilation, fill(stride.length, 1), false);
    }

    /**
     * The transposed convolution in its scatter form: every input element {@code x[n, i, ci]} adds
     * {@code x * w[co, k, ci - g*Cw]} to {@code out[n, i*stride - padding + k*dilation, co]} for every
     * kernel position k and output channel co of its group; positions outside the output are
     * dropped. Output size {@code (S-1)*stride - 2*padding + dilation*(K-1) + 1 + outputPadding}.
     */
    static Dense convTranspose(Dense x, Dense w, int[] stride, int[] padding, int[] dilation, int[] outputPadding) {
        int d = x.ndim() - 2, cw = w.dim(-1), cout = w.dim(0), perGroup = cout / groups(x, w);
        int[] k = Arrays.copyOfRange(w.d(), 1, d + 1);
        int[] od = new int[d + 2];
        od[0] = x.dim(0);
        od[d + 1] = cout;
        for (int i = 0; i < d; i++) od[i + 1] = (x.d()[i + 1] - 1) * stride[i] - 2 * padding[i] + dilation[i] * (k[i] - 1) + 1 + outputPadding[i];
        double[] r = new double[count(od)];
        int[] oi = new int[d + 2], wi = new int[d + 2];
        for (int j = 0; j < x.size(); j++) {
            int[] in = unravel(j, x.d());
            int ci = in[d + 1], g = ci / cw;
            oi[0] = in[0];
            wi[d + 1] = ci - g * cw;
            taps:
            for (int t = 0; t < count(k); t++) {
                int[] kk = unravel(t, k);
                for (int i = 0; i < d; i++) {
                    int p = in[i + 1] * stride[i] - padding[i] + kk[i] * dilation[i];
                    if (p < 0 || p >= od[i + 1]) continue taps;
                    oi[i + 1] = p;
                    wi[i + 1] = kk[i];
                }
                for (int co = g * perGroup; co < (g + 1) * perGroup; co++) {
                    oi[d + 1] = co;
                    wi[0] = co;
                    r[ShapeRefs.offset(oi, od)] += x.v()[j] * w.at(wi);
                }
            }
        }
        return new Dense(r, od);
    }

    static int[] fill(int n, int v) {
        int[] r = new int[n];
        Arrays.fill(r, v);
        return r;
    }
}
