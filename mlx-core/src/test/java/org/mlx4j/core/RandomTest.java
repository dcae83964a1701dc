package org.mlx4j.core;

import static org.junit.jupiter.api.Assertions.*;
import static org.mlx4j.core.MX.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.backend.cpu.CpuRandom;
import org.mlx4j.core.backend.cpu.ScalarMath;

class RandomTest {
    private static final int N = 100_000;

    // ------------------------------------------------------------------ references

    /** Threefry-2x32-20 transcribed round by round from Random123's threefry.h, independent of CpuRandom. */
    private static int[] random123(int k0, int k1, int c0, int c1) {
        int[] r = {13, 15, 26, 6, 17, 29, 16, 24};
        int[] ks = {k0, k1, 0x1BD11BDA ^ k0 ^ k1};
        int x0 = c0 + ks[0], x1 = c1 + ks[1];
        for (int round = 0; round < 20; round++) {
            x0 += x1;
            x1 = (x1 << r[round % 8]) | (x1 >>> (32 - r[round % 8]));
            x1 ^= x0;
            if (round % 4 == 3) {
                int inj = round / 4 + 1;
                x0 += ks[inj % 3];
                x1 += ks[(inj + 1) % 3] + inj;
            }
        }
        return new int[] {x0, x1};
    }

    /** MLX/JAX random.bits words for one key, computed serially: JAX's "split iota in halves" layout. */
    private static long[] referenceWords(int k0, int k1, int words) {
        int padded = words + (words & 1);
        int half = padded / 2;
        int[] counters = new int[padded];
        for (int i = 0; i < words; i++) counters[i] = i;
        long[] out = new long[padded];
        for (int i = 0; i < half; i++) {
            int[] h = random123(k0, k1, counters[i], counters[i + half]);
            out[i] = h[0] & 0xffffffffL;
            out[i + half] = h[1] & 0xffffffffL;
        }
        return Arrays.copyOf(out, words);
    }

    private static long[] u32(long... v) { return v; }

    private static Array keyOf(long k0, long k1) { return array(new double[] {k0, k1}, DType.UINT32, 2); }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) s += v;
        return s / x.length;
    }

    private static double moment(double[] x, double mu, int k) {
        double s = 0;
        for (double v : x) s += Math.pow(v - mu, k);
        return s / x.length;
    }

    /** Kolmogorov-Smirnov distance between the sample and a continuous CDF. */
    private static double ks(double[] x, Function<Double, Double> cdf) {
        double[] s = x.clone();
        Arrays.sort(s);
        double d = 0;
        for (int i = 0; i < s.length; i++) {
            double f = cdf.apply(s[i]);
            d = Math.max(d, Math.max(f - (double) i / s.length, (double) (i + 1) / s.length - f));
        }
        return d;
    }

    /** The 0.1% critical value of the KS statistic is 1.95 / sqrt(n). */
    private static void assertKs(double[] x, Function<Double, Double> cdf) {
        double d = ks(x, cdf);
        assertTrue(d < 1.95 / Math.sqrt(x.length), "KS distance " + d);
    }

    private static double phi(double x) { return 0.5 * (1 + ScalarMath.erf(x / Math.sqrt(2))); }

    private static IllegalArgumentException bad(Runnable r) { return assertThrows(IllegalArgumentException.class, r::run); }

    // ------------------------------------------------------------------ threefry and bits

    @Test
    void threefryKnownAnswer() {
        // Random123 kat_vectors: threefry2x32 20 rounds, ctr 243f6a88 85a308d3, key 13198a2e 03707344
        long h = CpuRandom.threefry2x32(0x13198a2e, 0x03707344, 0x243f6a88, 0x85a308d3);
        assertEquals(0xc4923a9c, (int) h);
        assertEquals(0x483df7a0, (int) (h >>> 32));
        int[] r = random123(0x13198a2e, 0x03707344, 0x243f6a88, 0x85a308d3);
        assertArrayEquals(new int[] {0xc4923a9c, 0x483df7a0}, r);
        // the optimized kernel equals the round-by-round transcription on arbitrary inputs
        java.util.Random g = new java.util.Random(1);
        for (int i = 0; i < 1000; i++) {
            int k0 = g.nextInt(), k1 = g.nextInt(), c0 = g.nextInt(), c1 = g.nextInt();
            long a = CpuRandom.threefry2x32(k0, k1, c0, c1);
            int[] b = random123(k0, k1, c0, c1);
            assertEquals(b[0], (int) a);
            assertEquals(b[1], (int) (a >>> 32));
        }
    }

    @Test
    void keysAsMlx() {
        assertArrayEquals(u32(0, 0), key(0).toLongArray());
        assertArrayEquals(u32(0, 1), key(1).toLongArray());
        assertArrayEquals(u32(1, 0), key(1L << 32).toLongArray());
        assertArrayEquals(u32(1, 1), key((1L << 32) + 1).toLongArray());
        assertArrayEquals(u32(0xffffffffL, 0xffffffffL), key(-1).toLongArray());
        assertEquals(DType.UINT32, key(3).dtype());
        assertEquals(Shape.of(2), key(3).shape());
    }

    @Test
    void bitStreamMatchesMlx() {
        // expected values from MLX's random tests (generated there with JAX's threefry)
        assertEquals(1797259609L, bits(new int[0], key(0)).itemLong());
        assertEquals(507451445L, bits(new int[0], key(1)).itemLong());
        assertEquals(345, bits(new int[0], 2, key(0)).itemLong());
        assertEquals(6197, bits(new int[0], 2, key(1)).itemLong());
        assertEquals(89, bits(new int[0], 1, key(0)).itemLong());
        assertEquals(53, bits(new int[0], 1, key(1)).itemLong());
        Array x = bits(new int[] {3, 1}, key(0));
        assertEquals(Shape.of(3, 1), x.shape());
        assertArrayEquals(u32(4146024105L, 1351547692L, 2718843009L), x.toLongArray());
        assertArrayEquals(u32(3725146706L, 1802982961L, 1349634643L), bits(new int[] {3}, keyOf(1, 1)).toLongArray());
        assertArrayEquals(u32(20137, 63263, 64300, 20622, 16513), bits(new int[] {5}, 2, key(0)).toLongArray());
        assertArrayEquals(u32(20137, 63263, 64300, 20622, 16513, 41486), bits(new int[] {6}, 2, key(0)).toLongArray());
        assertArrayEquals(u32(20137, 63263, 1497, 14756, 16513, 41486, 44591), bits(new int[] {7}, 2, key(0)).toLongArray());
        assertArrayEquals(u32(20137, 63263, 1497, 14756, 16513, 41486, 44591, 19423), bits(new int[] {8}, 2, key(0)).toLongArray());
        assertEquals(DType.UINT8, bits(new int[] {2}, 1, key(0)).dtype());
        assertEquals(DType.INT32, bits(new int[] {2}, 2, key(0)).dtype());
    }

    @Test
    void splitMatchesMlx() {
        Array pair = splitKey(key(0));
        assertEquals(Shape.of(2, 2), pair.shape());
        assertArrayEquals(u32(4146024105L, 967050713L, 2718843009L, 1272950319L), pair.toLongArray());
        Array three = splitKey(key(0), 3);
        assertEquals(Shape.of(3, 2), three.shape());
        assertArrayEquals(u32(2467461003L, 428148500L, 3186719485L, 3840466878L, 2562233961L, 1946702221L), three.toLongArray());
        assertEquals(Shape.of(0, 2), splitKey(key(0), 0).shape());
    }

    @Test
    void largeOutputsEqualTheSerialReference() {
        // many parallel chunks; the result must not depend on how the work is split
        for (int n : new int[] {100_001, 100_000, 1, 2}) {
            long[] got = bits(new int[] {n}, key(0x0123456789abcdefL)).toLongArray();
            assertArrayEquals(referenceWords(0x01234567, 0x89abcdef, n), got, "n = " + n);
        }
        for (int n : new int[] {1, 3, 5, 9, 10, 11}) {
            long[] w = referenceWords(7, 9, (n + 3) / 4);
            long[] bytes = bits(new int[] {n}, 1, keyOf(7, 9)).toLongArray();
            for (int i = 0; i < n; i++) assertEquals((w[i / 4] >>> (8 * (i % 4))) & 0xff, bytes[i], "n = " + n + ", byte " + i);
        }
        // the same key always gives the same numbers
        assertArrayEquals(uniform(new int[] {N}, key(5)).toFloatArray(), uniform(new int[] {N}, key(5)).toFloatArray());
        assertArrayEquals(normal(new int[] {N}, key(5)).toFloatArray(), normal(new int[] {N}, key(5)).toFloatArray());
    }

    @Test
    void splitSubkeysAreIndependent() {
        Array k = key(2024);
        Array pair = splitKey(k);
        assertArrayEquals(pair.toLongArray(), splitKey(k).toLongArray());
        Array a = pair.get("0"), b = pair.get("1");
        assertEquals(Shape.of(2), a.shape());
        assertFalse(Arrays.equals(a.toLongArray(), b.toLongArray()));
        double[] x = uniform(new int[] {N}, a).toDoubleArray(), y = uniform(new int[] {N}, b).toDoubleArray();
        double[] z = uniform(new int[] {N}, k).toDoubleArray();
        assertTrue(Math.abs(correlation(x, y)) < 0.015, "corr " + correlation(x, y));
        assertTrue(Math.abs(correlation(x, z)) < 0.015, "corr " + correlation(x, z));
        int same = 0;
        for (int i = 0; i < N; i++) if (x[i] == y[i]) same++;
        assertTrue(same < 10, same + " equal samples");
        // many keys from one split are all different
        long[] keys = splitKey(k, 1000).toLongArray();
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) seen.add(keys[2 * i] << 32 | keys[2 * i + 1]);
        assertEquals(1000, seen.size());
    }

    private static double correlation(double[] x, double[] y) {
        double mx = mean(x), my = mean(y), sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    // ------------------------------------------------------------------ continuous

    @Test
    void uniformMomentsAndRange() {
        double[] u = uniform(new int[] {N}, key(11)).toDoubleArray();
        for (double v : u) assertTrue(v >= 0 && v < 1, "out of [0, 1): " + v);
        double mu = mean(u);
        assertEquals(0.5, mu, 0.005);
        assertEquals(1.0 / 12, moment(u, mu, 2), 0.002);
        assertKs(u, v -> v);

        double[] w = uniform(-3, 5, new int[] {N}, DType.FLOAT32, key(12)).toDoubleArray();
        for (double v : w) assertTrue(v >= -3 && v < 5);
        assertEquals(1, mean(w), 0.04);
        assertEquals(64.0 / 12, moment(w, mean(w), 2), 0.1);
        assertKs(w, v -> (v + 3) / 8);

        // MLX's formula: bits / 0xffffffff in float32
        assertEquals((float) 1797259609L / (float) 0xffffffffL, uniform(new int[0], key(0)).itemFloat());
        assertEquals(DType.FLOAT32, uniform(3).dtype());
    }

    @Test
    void uniformBroadcastBoundsAndGradient() {
        Array lo = reshape(array(new float[] {0, 10, 20}), 3, 1), hi = reshape(array(new float[] {1, 2, 3, 4}), 1, 4);
        Array hi2 = add(lo, hi);
        Array x = uniform(lo, hi2, new int[] {3, 4}, DType.FLOAT32, key(3));
        assertEquals(Shape.of(3, 4), x.shape());
        float[] v = x.toFloatArray();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 4; j++) {
                assertTrue(v[i * 4 + j] >= 10 * i && v[i * 4 + j] < 10 * i + j + 1);
            }
        }
        // d/dhigh sum(low + (high - low) u) = u, d/dlow = 1 - u
        Array k = key(8);
        Array l = array(new double[] {-1, 0.5}), h = array(new double[] {2, 4});
        double[] u = uniform(new int[] {2}, DType.FLOAT64, k).toDoubleArray();
        List<Array> g = grad((List<Array> p) -> sum(uniform(p.get(0), p.get(1), new int[] {2}, DType.FLOAT64, k)), 0, 1).apply(List.of(l, h));
        assertArrayEquals(new double[] {1 - u[0], 1 - u[1]}, g.get(0).toDoubleArray(), 1e-12);
        assertArrayEquals(u, g.get(1).toDoubleArray(), 1e-12);
    }

    @Test
    void normalMoments() {
        double[] z = normal(new int[] {N}, key(21)).toDoubleArray();
        double mu = mean(z), var = moment(z, mu, 2);
        assertEquals(0, mu, 0.015);
        assertEquals(1, Math.sqrt(var), 0.01);
        assertEquals(0, moment(z, mu, 3) / Math.pow(var, 1.5), 0.05);
        assertEquals(3, moment(z, mu, 4) / (var * var), 0.1);
        for (double v : z) assertTrue(Double.isFinite(v));
        assertKs(z, RandomTest::phi);

        double[] y = normal(new int[] {N}, DType.FLOAT32, 2, 3, key(22)).toDoubleArray();
        assertEquals(2, mean(y), 0.05);
        assertEquals(3, Math.sqrt(moment(y, mean(y), 2)), 0.03);
        assertKs(y, v -> phi((v - 2) / 3));
        // loc and scale shift and scale the very same standard samples
        float[] s = normal(new int[] {5}, key(1)).toFloatArray(), t = normal(new int[] {5}, DType.FLOAT32, 1, 2, key(1)).toFloatArray();
        for (int i = 0; i < 5; i++) assertEquals(1 + 2 * s[i], t[i], 1e-5);
    }

    @Test
    void normalArrayParametersAreDifferentiable() {
        Array k = key(4);
        double[] z = normal(new int[] {3}, DType.FLOAT64, k).toDoubleArray();
        Array loc = array(new double[] {1, 2, 3}), scale = array(new double[] {0.5});
        Array x = normal(new int[] {3}, DType.FLOAT64, loc, scale, k);
        double[] xv = x.toDoubleArray();
        for (int i = 0; i < 3; i++) assertEquals(i + 1 + 0.5 * z[i], xv[i], 1e-12);
        List<Array> g = grad((List<Array> p) -> sum(normal(new int[] {3}, DType.FLOAT64, p.get(0), p.get(1), k)), 0, 1).apply(List.of(loc, scale));
        assertArrayEquals(new double[] {1, 1, 1}, g.get(0).toDoubleArray(), 1e-12);
        assertEquals(z[0] + z[1] + z[2], g.get(1).toDoubleArray()[0], 1e-12);
        bad(() -> normal(new int[] {3}, DType.FLOAT32, array(new float[] {1, 2}), scale, k));
    }

    @Test
    void truncatedNormalBoundsAndMean() {
        double a = -1, b = 2;
        double[] x = truncatedNormal(a, b, new int[] {N}, DType.FLOAT32, key(31)).toDoubleArray();
        for (double v : x) assertTrue(v >= a && v <= b, "out of bounds: " + v);
        double pdfA = Math.exp(-a * a / 2) / Math.sqrt(2 * Math.PI), pdfB = Math.exp(-b * b / 2) / Math.sqrt(2 * Math.PI);
        double z = phi(b) - phi(a);
        double mu = (pdfA - pdfB) / z;
        double var = 1 + (a * pdfA - b * pdfB) / z - mu * mu;
        assertEquals(mu, mean(x), 0.01);
        assertEquals(var, moment(x, mean(x), 2), 0.01);
        assertKs(x, v -> (phi(v) - phi(a)) / z);

        // array bounds broadcast; upper <= lower gives lower
        Array lower = reshape(array(new float[] {-2, -3}), 1, 2), upper = reshape(array(new float[] {0, 3, 1.5f}), 3, 1);
        Array y = truncatedNormal(lower, upper, DType.FLOAT32, key(32));
        assertEquals(Shape.of(3, 2), y.shape());
        assertTrue(all(logicalAnd(lessEqual(y, upper), lessEqual(lower, y))).itemBoolean());
        assertArrayEquals(new float[] {2, 2}, truncatedNormal(array(2), array(-2), new int[] {2}, DType.FLOAT32, key(1)).toFloatArray());
        // float64 reaches far into a tail
        double[] t = truncatedNormal(4, 5, new int[] {1000}, DType.FLOAT64, key(33)).toDoubleArray();
        for (double v : t) assertTrue(v >= 4 && v <= 5);
        assertTrue(mean(t) > 4.1 && mean(t) < 4.35, "tail mean " + mean(t));
        IllegalArgumentException e = bad(() -> truncatedNormal(1, -1, 3));
        assertTrue(e.getMessage().startsWith("[truncatedNormal] lower must not exceed upper"), e.getMessage());
    }

    @Test
    void gumbelMoments() {
        double[] g = gumbel(new int[] {N}, DType.FLOAT32, key(41)).toDoubleArray();
        assertEquals(0.5772156649, mean(g), 0.02); // Euler-Mascheroni
        assertEquals(Math.PI * Math.PI / 6, moment(g, mean(g), 2), 0.04);
        assertKs(g, v -> Math.exp(-Math.exp(-v)));
    }

    // ------------------------------------------------------------------ discrete

    @Test
    void bernoulliRates() {
        boolean[] b = bernoulli(0.3, new int[] {N}, key(51)).toBooleanArray();
        int ones = 0;
        for (boolean v : b) if (v) ones++;
        assertEquals(0.3, (double) ones / N, 0.006);
        assertEquals(DType.BOOL, bernoulli(0.5, 2).dtype());
        Array p = reshape(array(new float[] {0, 1, 0.5f, 2, -1}), 1, 5);
        boolean[] c = bernoulli(p, new int[] {400, 5}, key(52)).toBooleanArray();
        int half = 0;
        for (int i = 0; i < 400; i++) {
            assertFalse(c[i * 5]);
            assertTrue(c[i * 5 + 1]);
            if (c[i * 5 + 2]) half++;
            assertTrue(c[i * 5 + 3]);
            assertFalse(c[i * 5 + 4]);
        }
        assertTrue(half > 150 && half < 250, half + " of 400");
        assertEquals(Shape.of(1, 5), bernoulli(p, key(1)).shape());
        assertEquals(0, bernoulli(array(new float[0]), key(1)).size());
        IllegalArgumentException e = bad(() -> bernoulli(array(new int[] {1}), key(1)));
        assertTrue(e.getMessage().startsWith("[bernoulli] p must have a floating dtype"), e.getMessage());
        bad(() -> bernoulli(array(new float[] {0.1f, 0.2f, 0.3f}), new int[] {2}, key(1)));
    }

    @Test
    void randintRangeAndCoverage() {
        long[] r = randint(-3, 7, new int[] {N}, DType.INT32, key(61)).toLongArray();
        int[] counts = new int[10];
        for (long v : r) {
            assertTrue(v >= -3 && v < 7, "out of range: " + v);
            counts[(int) v + 3]++;
        }
        for (int c : counts) assertEquals(0.1, (double) c / N, 0.005);
        // MLX's formula: low + bits mod (high - low)
        long[] w = bits(new int[] {8}, key(62)).toLongArray();
        long[] q = randint(-3, 7, new int[] {8}, DType.INT32, key(62)).toLongArray();
        for (int i = 0; i < 8; i++) assertEquals(-3 + w[i] % 10, q[i]);
        // int64 beyond 32 bits, both signs, roughly uniform halves
        long big = 1L << 40;
        long[] l = randint(-big, big, new int[] {20_000}, DType.INT64, key(63)).toLongArray();
        int neg = 0;
        for (long v : l) {
            assertTrue(v >= -big && v < big);
            if (v < 0) neg++;
        }
        assertEquals(0.5, neg / 20_000.0, 0.02);
        // a width above 2^62 exercises the wrap-around in the unsigned 64-bit reduction
        long low = -(1L << 60), high = (1L << 62) + (1L << 61), width = high - low;
        Array k = key(64);
        long[] x = randint(low, high, new int[] {2000}, DType.INT64, k).toLongArray();
        Array pair = splitKey(k);
        long[] w0 = bits(new int[] {2000}, reshape(pair.get("0"), 2)).toLongArray(), w1 = bits(new int[] {2000}, reshape(pair.get("1"), 2)).toLongArray();
        int above = 0;
        for (int i = 0; i < 2000; i++) {
            assertEquals(low + Long.remainderUnsigned(w1[i] << 32 | w0[i], width), x[i]);
            if (x[i] > 1L << 62) above++;
        }
        assertEquals(2.0 / 7, above / 2000.0, 0.04);
        // other dtypes, empty ranges, array bounds
        assertEquals(DType.UINT8, randint(0, 256, new int[] {3}, DType.UINT8, key(1)).dtype());
        Set<Long> bools = new HashSet<>();
        for (long v : randint(0, 2, new int[] {100}, DType.BOOL, key(1)).toLongArray()) bools.add(v);
        assertEquals(Set.of(0L, 1L), bools);
        assertArrayEquals(new int[] {20, 20, 20}, randint(20, -10, new int[] {3}, DType.INT32, key(1)).toIntArray());
        Array lo = array(new int[] {0, 100}), hi = array(new int[] {1, 103});
        int[] m = randint(lo, hi, new int[] {50, 2}, DType.INT32, key(2)).toIntArray();
        for (int i = 0; i < 50; i++) {
            assertEquals(0, m[2 * i]);
            assertTrue(m[2 * i + 1] >= 100 && m[2 * i + 1] < 103);
        }
        IllegalArgumentException e = bad(() -> randint(0, 3, new int[] {1}, DType.FLOAT32, key(1)));
        assertTrue(e.getMessage().startsWith("[randint] dtype must be an integer type"), e.getMessage());
        bad(() -> randint(Long.MIN_VALUE, Long.MAX_VALUE, new int[] {1}, DType.INT64, key(1)));
    }

    @Test
    void categoricalFrequenciesMatchSoftmax() {
        double[] p = {0.1, 0.2, 0.7};
        Array logits = log(array(new float[] {0.1f, 0.2f, 0.7f}));
        Array s = categorical(logits, 0, N, key(71));
        assertEquals(Shape.of(N), s.shape());
        assertEquals(DType.UINT32, s.dtype());
        int[] counts = new int[3];
        for (int v : s.toIntArray()) counts[v]++;
        for (int i = 0; i < 3; i++) assertEquals(p[i], (double) counts[i] / N, 0.006);

        // unnormalized logits, two distributions along axis 1, 2000 samples each
        Array l2 = array(new float[] {0, 0, 5, 1, 2, 3}, 2, 3);
        int[] t = categorical(l2, 1, 20_000, key(72)).toIntArray();
        for (int row = 0; row < 2; row++) {
            double[] e = new double[3];
            double z = 0;
            for (int j = 0; j < 3; j++) z += e[j] = Math.exp(new double[] {0, 0, 5, 1, 2, 3}[row * 3 + j]);
            int[] c = new int[3];
            for (int i = 0; i < 20_000; i++) c[t[row * 20_000 + i]]++;
            for (int j = 0; j < 3; j++) assertEquals(e[j] / z, c[j] / 20_000.0, 0.015);
        }
        // shapes
        Array lg = zeros(4, 3);
        assertEquals(Shape.of(4), categorical(lg, 1, key(1)).shape());
        assertEquals(Shape.of(3), categorical(lg, 0, key(1)).shape());
        assertEquals(Shape.of(4, 5), categorical(lg, -1, 5, key(1)).shape());
        assertEquals(Shape.of(3, 5), categorical(lg, 0, 5, key(1)).shape());
        assertEquals(Shape.of(2, 4), categorical(lg, 1, new int[] {2, 4}, key(1)).shape());
        assertEquals(Shape.of(4), categorical(lg).shape());
        assertEquals(2, categorical(array(new float[] {-100, -100, 0}), 0, key(9)).itemInt());
        bad(() -> categorical(lg, 2, key(1)));
        bad(() -> categorical(lg, 1, new int[] {3}, key(1)));
        bad(() -> categorical(zeros(4, 0), 1, key(1)));
    }

    @Test
    void permutationIsAPermutation() {
        Array k = key(81);
        int[] p = permutation(1000, k).toIntArray();
        int[] sorted = p.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 1000; i++) assertEquals(i, sorted[i]);
        assertFalse(Arrays.equals(sorted, p));
        assertEquals(DType.UINT32, permutation(3, k).dtype());
        // the stable argsort of the key's bits, as MLX's argsort(bits((n,)))
        long[] w = bits(new int[] {1000}, k).toLongArray();
        Integer[] idx = new Integer[1000];
        for (int i = 0; i < 1000; i++) idx[i] = i;
        Arrays.sort(idx, (a, b) -> Long.compare(w[a], w[b]));
        for (int i = 0; i < 1000; i++) assertEquals((int) idx[i], p[i]);

        // arrays: slices along the axis move together, from a strided view
        Array x = transpose(arange(12).reshape(4, 3));          // (3, 4), non-contiguous
        int[] q = permutation(4, k).toIntArray();
        int[] y = permutation(x, 1, k).toIntArray();
        int[] xv = x.toIntArray();
        for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) assertEquals(xv[i * 4 + q[j]], y[i * 4 + j]);
        assertEquals(0, permutation(0, k).size());
        assertEquals(Shape.of(0, 2), permutation(zeros(0, 2), 0, k).shape());
        bad(() -> permutation(array(1), 0, k));
        bad(() -> permutation(-1, k));
    }

    @Test
    void permutationGradientIsTheInversePermutation() {
        Array k = key(82);
        Array x = array(new double[] {1, 2, 3, 4, 5});
        Array w = array(new double[] {10, 20, 30, 40, 50});
        int[] q = permutation(5, k).toIntArray();
        // f(x) = sum(w * x[q])  =>  df/dx[q[j]] = w[j]
        double[] g = grad(v -> sum(multiply(w, permutation(v, 0, k)))).apply(x).toDoubleArray();
        double[] expect = new double[5];
        for (int j = 0; j < 5; j++) expect[q[j]] = 10 * (j + 1);
        assertArrayEquals(expect, g, 1e-12);
        // jvp: the tangent is permuted like the primal
        Array t = array(new double[] {0.5, -1, 2, 7, 3});
        double[] jt = jvp(ps -> List.of(permutation(ps.get(0), 0, k)), List.of(x), List.of(t)).tangents().get(0).toDoubleArray();
        double[] tv = t.toDoubleArray();
        for (int j = 0; j < 5; j++) assertEquals(tv[q[j]], jt[j], 1e-12);
    }

    // ------------------------------------------------------------------ global key

    @Test
    void seedReproducibility() {
        seed(42);
        float[] a = uniform(5).toFloatArray();
        float[] b = normal(3).toFloatArray();
        long[] c = bits(4).toLongArray();
        seed(42);
        assertArrayEquals(a, uniform(5).toFloatArray());
        assertArrayEquals(b, normal(3).toFloatArray());
        assertArrayEquals(c, bits(4).toLongArray());
        // the global key advances: consecutive draws differ
        assertFalse(Arrays.equals(uniform(5).toFloatArray(), uniform(5).toFloatArray()));
        // seed(s) then a draw uses the second half of split(key(s)), as MLX's KeySequence
        seed(4);
        long[] g = bits(3).toLongArray();
        Array sub = reshape(splitKey(key(4)).get("1"), 2);
        assertArrayEquals(bits(new int[] {3}, sub).toLongArray(), g);
        // a rejected call does not consume the global key
        seed(7);
        float[] first = uniform(3).toFloatArray();
        seed(7);
        bad(() -> uniform(1, 0, new int[] {3}));
        assertArrayEquals(first, uniform(3).toFloatArray());
    }

    @Test
    void globalKeyIsThreadSafe() throws Exception {
        int threads = 4, per = 200;
        seed(99);
        Set<Long> serial = new HashSet<>();
        for (int i = 0; i < threads * per; i++) {
            long[] v = bits(2).toLongArray();
            serial.add(v[0] << 32 | v[1]);
        }
        assertEquals(threads * per, serial.size());
        seed(99);
        ExecutorService ex = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Long>>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                fs.add(ex.submit(() -> {
                    List<Long> got = new ArrayList<>();
                    for (int i = 0; i < per; i++) {
                        long[] v = bits(2).toLongArray();
                        got.add(v[0] << 32 | v[1]);
                    }
                    return got;
                }));
            }
            Set<Long> concurrent = new HashSet<>();
            for (Future<List<Long>> f : fs) concurrent.addAll(f.get());
            assertEquals(serial, concurrent);
        } finally {
            ex.shutdown();
        }
    }

    // ------------------------------------------------------------------ dtypes, sizes, errors

    @Test
    void dtypes() {
        for (DType t : new DType[] {DType.FLOAT16, DType.BFLOAT16, DType.FLOAT64}) {
            Array u = uniform(new int[] {20_000}, t, key(91));
            assertEquals(t, u.dtype());
            double[] v = u.toDoubleArray();
            for (double x : v) assertTrue(x >= 0 && x < 1, t + ": " + x);
            assertEquals(0.5, mean(v), 0.01, t.mlxName());
            Array z = normal(new int[] {20_000}, t, key(92));
            assertEquals(t, z.dtype());
            double[] zv = z.toDoubleArray();
            for (double x : zv) assertTrue(Double.isFinite(x), t + ": " + x);
            assertEquals(0, mean(zv), 0.03, t.mlxName());
            assertEquals(1, Math.sqrt(moment(zv, mean(zv), 2)), 0.03, t.mlxName());
            assertEquals(t, truncatedNormal(-1, 1, new int[] {3}, t, key(1)).dtype());
            assertEquals(t, gumbel(new int[] {3}, t, key(1)).dtype());
        }
        // float64 uniforms carry 53 bits, not float32 values
        double[] d = uniform(new int[] {1000}, DType.FLOAT64, key(93)).toDoubleArray();
        int wide = 0;
        for (double x : d) if ((double) (float) x != x) wide++;
        assertTrue(wide > 990, wide + " of 1000");
        assertKs(uniform(new int[] {N}, DType.FLOAT64, key(94)).toDoubleArray(), v -> v);
        assertKs(normal(new int[] {N}, DType.FLOAT64, key(95)).toDoubleArray(), RandomTest::phi);
        // float16 extremes stay below one
        assertTrue(max(uniform(new int[] {N}, DType.FLOAT16, key(96))).item() < 1);
    }

    @Test
    void sizeZeroAndScalars() {
        assertEquals(Shape.of(0), uniform(0).shape());
        assertEquals(Shape.of(0, 3), bits(0, 3).shape());
        assertEquals(0, normal(new int[] {2, 0}, key(1)).size());
        assertEquals(Shape.SCALAR, uniform().shape());
        assertEquals(Shape.SCALAR, normal().shape());
        assertEquals(Shape.SCALAR, randint(0, 5).shape());
    }

    @Test
    void badInputs() {
        IllegalArgumentException e = bad(() -> uniform(1, 0, new int[] {2}));
        assertEquals("[uniform] low must be less than high, got low = 1.0 and high = 0.0.", e.getMessage());
        bad(() -> uniform(1, 1, new int[] {2}));
        e = bad(() -> splitKey(array(new int[] {0, 0})));
        assertEquals("[split] key must be a uint32 array of shape (2,), got int32 array of shape (2,).", e.getMessage());
        e = bad(() -> splitKey(array(new double[] {0, 0}, DType.UINT32, 1, 2)));
        assertEquals("[split] key must be a uint32 array of shape (2,), got uint32 array of shape (1, 2).", e.getMessage());
        e = bad(() -> splitKey(key(0), -1));
        assertTrue(e.getMessage().startsWith("[split] num must be non-negative"), e.getMessage());
        e = bad(() -> uniform(new int[] {2}, array(new double[] {0, 0, 0}, DType.UINT32, 3)));
        assertTrue(e.getMessage().startsWith("[uniform] key must be a uint32 array of shape (2,)"), e.getMessage());
        e = bad(() -> normal(new int[] {2}, DType.INT32, key(0)));
        assertEquals("[normal] dtype must be a floating type, got int32.", e.getMessage());
        e = bad(() -> uniform(new int[] {2}, DType.BOOL, key(0)));
        assertTrue(e.getMessage().startsWith("[uniform] dtype must be a floating type"), e.getMessage());
        e = bad(() -> bits(new int[] {2}, 3, key(0)));
        assertEquals("[bits] width must be 1, 2 or 4 bytes, got 3.", e.getMessage());
        e = bad(() -> uniform(-1, 2));
        assertTrue(e.getMessage().startsWith("[uniform] negative dimension"), e.getMessage());
        e = bad(() -> uniform(zeros(3, 3), ones(3, 3), new int[] {1, 3}, DType.FLOAT32, key(0)));
        assertTrue(e.getMessage().startsWith("[uniform] low of shape (3, 3) does not broadcast"), e.getMessage());
        e = bad(() -> categorical(zeros(2, 3), 2, key(0)));
        assertTrue(e.getMessage().startsWith("[categorical] axis 2 is out of range"), e.getMessage());
    }
}
