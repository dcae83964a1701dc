package org.mlx4j.core.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;
import org.mlx4j.core.MX;

/** Elementwise kernels on transposed operands: layouts kept, mixed layouts densified, values right. */
class ElementwiseLayoutTest {
    static float[] iota(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) Math.sin(i * 0.37);
        return v;
    }

    @Test void densePermutationRecognized() {
        assertTrue(CpuElementwise.isDensePermutation(new int[] {3, 4}, new long[] {1, 3}));
        assertTrue(CpuElementwise.isDensePermutation(new int[] {2, 3, 4}, new long[] {1, 8, 2}));
        assertFalse(CpuElementwise.isDensePermutation(new int[] {3, 4}, new long[] {1, 4}));
        assertFalse(CpuElementwise.isDensePermutation(new int[] {3, 4}, new long[] {0, 1}));
    }

    @Test void transposedOperandWithScalarKeepsItsLayout() {
        int r = 96, c = 80;
        float[] v = iota(r * c);
        Array t = MX.transpose(MX.array(v, r, c)); // (c, r), strides (1, c)
        Array y = MX.multiply(t, MX.array(2f)).eval();
        assertFalse(y.data().rowContiguous(), "the product follows the transposed layout");
        Array z = MX.exp(y).eval();
        assertFalse(z.data().rowContiguous());
        float[] got = MX.contiguous(z).toFloatArray();
        for (int i = 0; i < c; i++) {
            for (int j = 0; j < r; j++) assertEquals((float) Math.exp(2 * v[j * c + i]), got[i * r + j], 1e-5f);
        }
    }

    @Test void mixedLayoutsGiveRowMajorValues() {
        int r = 100, c = 70;
        float[] v = iota(r * c), w = iota(r * c + 5);
        Array t = MX.transpose(MX.array(v, r, c)); // (c, r) transposed
        Array m = MX.array(java.util.Arrays.copyOf(w, r * c), c, r); // (c, r) row-major
        Array d = MX.subtract(m, t).eval();
        assertTrue(d.data().rowContiguous());
        float[] want = new float[r * c];
        for (int i = 0; i < c; i++) for (int j = 0; j < r; j++) want[i * r + j] = w[i * r + j] - v[j * c + i];
        assertArrayEquals(want, d.toFloatArray(), 0f);
        Array g = MX.greaterEqual(m, t).eval();
        boolean[] gb = g.toBooleanArray();
        for (int k = 0; k < want.length; k++) assertEquals(want[k] >= 0, gb[k]);
        Array s = MX.where(g, m, t).eval();
        float[] sv = s.toFloatArray();
        for (int i = 0; i < c; i++) for (int j = 0; j < r; j++) assertEquals(Math.max(w[i * r + j], v[j * c + i]), sv[i * r + j], 0f);
    }
}
