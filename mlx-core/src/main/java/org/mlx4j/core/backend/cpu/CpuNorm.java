package org.mlx4j.core.backend.cpu;

import java.lang.foreign.MemorySegment;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.backend.spi.ArrayData;
import org.mlx4j.core.memory.Buffer;
import org.mlx4j.core.primitive.LayerNorm;
import org.mlx4j.core.primitive.RmsNorm;

/**
 * Layer and RMS normalization over the last axis, rows in parallel, each row in double (two passes
 * for the layer norm's variance, so a large mean costs no precision), rounded once to the output dtype.
 */
final class CpuNorm {
    private CpuNorm() {}

    static void register(CpuBackend.Registry r) {
        r.put(LayerNorm.class, n -> normalize(n, true, ((LayerNorm) n.primitive()).eps()));
        r.put(RmsNorm.class, n -> normalize(n, false, ((RmsNorm) n.primitive()).eps()));
    }

    static void normalize(Array node, boolean centre, double eps) {
        Array x = node.input(0);
        Buffer ob = CpuElementwise.alloc(node);
        if (node.size() == 0) {
            node.setData(ArrayData.contiguous(ob, node.shape()));
            return;
        }
        ArrayData xd = TiledCopy.dense(x);
        MemorySegment xs = xd.buffer().hostSegment(), os = ob.segment();
        long xo = xd.offset();
        int n = x.shape().dim(-1);
        long rows = x.size() / n;
        DType t = x.dtype();
        Parallel.forRange(rows, Math.max(1, (1 << 14) / n), (a, b) -> {
            double[] v = new double[n];
            for (long r = a; r < b; r++) {
                long in = xo + r * n, out = r * n;
                double mean = 0;
                for (int i = 0; i < n; i++) {
                    v[i] = Elem.getDouble(t, xs, in + i);
                    mean += v[i];
                }
                mean = centre ? mean / n : 0;
                double ss = 0;
                for (int i = 0; i < n; i++) {
                    double c = v[i] - mean;
                    ss += c * c;
                }
                double scale = 1 / Math.sqrt(ss / n + eps);
                for (int i = 0; i < n; i++) Elem.setDouble(t, os, out + i, (v[i] - mean) * scale);
            }
        });
        if (xd != x.data()) xd.buffer().release();
        node.setData(ArrayData.contiguous(ob, node.shape()));
    }
}
