package org.mlx4j.core.backend.cpu;

import org.mlx4j.core.Array;
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
        CpuSoftmax.rowwise(node, (t, xs, in, os, out, n, v) -> {
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
        });
    }
}
