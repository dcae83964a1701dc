package org.mlx4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;

class ClipGradTest {
    static Map<String, Array> tree(DType dtype) {
        Map<String, Array> g = new LinkedHashMap<>();
        g.put("w1", MX.array(new double[] {2, 3}, dtype, 2));
        g.put("w2", MX.array(new double[] {1}, dtype, 1));
        return g;
    }

    @Test void clipsToMaxNorm() {
        ClipGrad.Clipped c = ClipGrad.clipGradNorm(tree(DType.FLOAT64), 2.0);
        double norm = Math.sqrt(4 + 9 + 1);
        assertEquals(norm, c.totalNorm().item(), 1e-15);
        double scale = 2.0 / (norm + 1e-6);
        assertEquals(List.of("w1", "w2"), List.copyOf(c.gradients().keySet()));
        assertArrayEquals(new double[] {2 * scale, 3 * scale}, c.gradients().get("w1").toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {scale}, c.gradients().get("w2").toDoubleArray(), 1e-15);
        double clippedNorm = 0;
        for (Array g : c.gradients().values()) for (double v : g.toDoubleArray()) clippedNorm += v * v;
        assertEquals(2.0, Math.sqrt(clippedNorm), 1e-6);
    }

    @Test void leavesSmallGradientsUnchanged() {
        ClipGrad.Clipped c = ClipGrad.clipGradNorm(tree(DType.FLOAT64), 10.0);
        assertEquals(Math.sqrt(14), c.totalNorm().item(), 1e-15);
        assertArrayEquals(new double[] {2, 3}, c.gradients().get("w1").toDoubleArray(), 0);
        assertArrayEquals(new double[] {1}, c.gradients().get("w2").toDoubleArray(), 0);
    }

    @Test void keepsFloat32AndIsLazy() {
        ClipGrad.Clipped c = ClipGrad.clipGradNorm(tree(DType.FLOAT32), 1.0);
        assertFalse(c.totalNorm().isEvaluated(), "lazy");
        assertEquals(DType.FLOAT32, c.gradients().get("w1").dtype());
        assertEquals(DType.FLOAT32, c.totalNorm().dtype());
        float s = (float) (1.0 / (Math.sqrt(14) + 1e-6));
        assertArrayEquals(new float[] {2 * s, 3 * s}, c.gradients().get("w1").toFloatArray(), 1e-6f);
    }

    @Test void emptyTree() {
        ClipGrad.Clipped c = ClipGrad.clipGradNorm(Map.of(), 1.0);
        assertTrue(c.gradients().isEmpty());
        assertEquals(0.0, c.totalNorm().item());
    }

    @Test void badArguments() {
        var e = assertThrows(IllegalArgumentException.class, () -> ClipGrad.clipGradNorm(tree(DType.FLOAT32), -1));
        assertTrue(e.getMessage().startsWith("[clipGradNorm]") && e.getMessage().contains("-1.0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ClipGrad.clipGradNorm(tree(DType.FLOAT32), Double.NaN));
        assertTrue(e.getMessage().startsWith("[clipGradNorm]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ClipGrad.clipGradNorm(null, 1));
        assertTrue(e.getMessage().startsWith("[clipGradNorm]"), e.getMessage());
        Map<String, Array> withNull = new LinkedHashMap<>();
        withNull.put("g", null);
        e = assertThrows(IllegalArgumentException.class, () -> ClipGrad.clipGradNorm(withNull, 1));
        assertTrue(e.getMessage().contains("'g'"), e.getMessage());
    }
}
