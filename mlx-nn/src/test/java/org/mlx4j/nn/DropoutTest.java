package org.mlx4j.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;

class DropoutTest {
    private static void assertMessage(String prefix, Runnable r) {
        var e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(prefix), e.getMessage());
    }

    @Test void evalModeAndZeroProbabilityAreIdentity() {
        Array x = MX.normal(new int[] {3, 4, 5, 6}, MX.key(1));
        for (UnaryModule m : new UnaryModule[] {new Dropout(), new Dropout2d(), new Dropout3d(0.3)}) {
            m.eval();
            assertSame(x, m.forward(x), m.getClass().getSimpleName());
        }
        assertSame(x, new Dropout(0).forward(x), "p = 0 in training");
        assertEquals(0.5, new Dropout().p());
        assertEquals(0.5, new Dropout2d().p());
        assertEquals(0.5, new Dropout3d().p());
        assertTrue(new Dropout(0.25).toString().contains("p=0.25"));
    }

    @Test void trainingZeroesAboutPAndScalesSurvivors() {
        MX.seed(11);
        int n = 200_000;
        double p = 0.3;
        Array x = MX.uniform(1, 2, new int[] {n});   // no zeros of its own
        Array y = new Dropout(p).forward(x);
        assertEquals(x.shape(), y.shape());
        assertEquals(DType.FLOAT32, y.dtype());
        double[] xs = x.toDoubleArray(), ys = y.toDoubleArray();
        int zeros = 0;
        for (int i = 0; i < n; i++) {
            if (ys[i] == 0) zeros++;
            else assertEquals(xs[i] / (1 - p), ys[i], 1e-6 * Math.abs(ys[i]), "survivor " + i);
        }
        // the zero fraction is Binomial(n, p) / n: its standard deviation is about 0.001
        assertEquals(p, (double) zeros / n, 0.006);
    }

    @Test void sameSeedSameMask() {
        Array x = MX.ones(1000);
        MX.seed(5);
        double[] a = new Dropout(0.5).forward(x).toDoubleArray();
        MX.seed(5);
        double[] b = new Dropout(0.5).forward(x).toDoubleArray();
        assertArrayEquals(a, b);
    }

    @Test void gradientIsTheScaledMask() {
        MX.seed(3);
        Dropout d = new Dropout(0.25);
        Array x = MX.normal(new int[] {64}, DType.FLOAT64, MX.key(2));
        Array[] out = new Array[1];
        Function<Array, Array> f = in -> {
            out[0] = d.forward(in);
            return MX.sum(out[0]);
        };
        var r = MX.valueAndGrad(f).apply(x);
        double[] g = r.grad().toDoubleArray(), y = out[0].toDoubleArray(), xs = x.toDoubleArray();
        for (int i = 0; i < g.length; i++) {
            double expected = y[i] == 0 ? 0 : 1 / 0.75;
            assertEquals(expected, g[i], 1e-12);
            if (y[i] != 0) assertEquals(xs[i] / 0.75, y[i], 1e-12);
        }
    }

    /** For each sample and channel, every spatial value is 0 or the input scaled; returns the zeroed fraction. */
    private static double checkWholeChannels(Array x, Array y, double p) {
        int c = x.dim(-1), samples = x.dim(0);
        long perSample = x.size() / c / samples;   // spatial positions per sample
        double[] xs = x.toDoubleArray(), ys = y.toDoubleArray();
        int dropped = 0;
        for (int s = 0; s < samples; s++) {
            for (int ch = 0; ch < c; ch++) {
                boolean zero = ys[(int) (s * perSample * c) + ch] == 0;
                if (zero) dropped++;
                for (long k = 0; k < perSample; k++) {
                    int i = (int) ((s * perSample + k) * c + ch);
                    assertEquals(zero ? 0 : xs[i] / (1 - p), ys[i], 1e-6 * Math.abs(xs[i] / (1 - p)), "sample " + s + " channel " + ch);
                }
            }
        }
        return (double) dropped / (samples * c);
    }

    @Test void dropout2dZeroesWholeChannels() {
        MX.seed(21);
        Array x = MX.uniform(1, 2, new int[] {8, 5, 6, 50});
        double frac = checkWholeChannels(x, new Dropout2d(0.5).forward(x), 0.5);
        assertEquals(0.5, frac, 0.12);   // 400 channels: sd 0.025
        // (H, W, C): the mask is (1, 1, C); view as one sample
        Array x3 = MX.uniform(1, 2, new int[] {4, 3, 200});
        Array y3 = new Dropout2d(0.25).forward(x3);
        double f3 = checkWholeChannels(MX.expandDims(x3, 0), MX.expandDims(y3, 0), 0.25);
        assertEquals(0.25, f3, 0.15);
    }

    @Test void dropout3dZeroesWholeChannels() {
        MX.seed(22);
        Array x = MX.uniform(1, 2, new int[] {4, 3, 4, 5, 60});
        double frac = checkWholeChannels(x, new Dropout3d(0.5).forward(x), 0.5);
        assertEquals(0.5, frac, 0.15);
        Array x4 = MX.uniform(1, 2, new int[] {2, 3, 4, 100});
        double f4 = checkWholeChannels(MX.expandDims(x4, 0), MX.expandDims(new Dropout3d(0.5).forward(x4), 0), 0.5);
        assertEquals(0.5, f4, 0.2);
    }

    @Test void badInputs() {
        assertMessage("[Dropout] ", () -> new Dropout(1));
        assertMessage("[Dropout] ", () -> new Dropout(-0.1));
        assertMessage("[Dropout] ", () -> new Dropout(Double.NaN));
        assertMessage("[Dropout2d] ", () -> new Dropout2d(1.5));
        assertMessage("[Dropout3d] ", () -> new Dropout3d(1));
        Dropout2d d2 = new Dropout2d();
        d2.eval();   // MLX checks the rank in both modes
        assertMessage("[Dropout2d] expected input (N, H, W, C) or (H, W, C), got shape (2, 3)", () -> d2.forward(MX.zeros(2, 3)));
        assertMessage("[Dropout3d] expected input (N, D, H, W, C) or (D, H, W, C), got shape (2, 3, 4)", () -> new Dropout3d().forward(MX.zeros(2, 3, 4)));
    }
}
