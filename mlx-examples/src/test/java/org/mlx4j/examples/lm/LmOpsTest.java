package org.mlx4j.examples.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;
import org.mlx4j.nn.Activations;

/** The hand-written gradients agree with differentiating the composed ops of mlx-nn. */
class LmOpsTest {
    static Array normal(long seed, double std, int... shape) { return MX.normal(shape, DType.FLOAT32, 0, std, MX.key(seed)); }

    static void assertClose(Array expected, Array actual, double tol, String what) {
        assertEquals(expected.shape(), actual.shape(), what);
        float[] e = expected.toFloatArray(), a = actual.toFloatArray();
        for (int i = 0; i < e.length; i++) assertEquals(e[i], a[i], tol * (1 + Math.abs(e[i])), what + " at " + i);
    }

    static void compare(Function<List<Array>, List<Array>> reference, Function<List<Array>, List<Array>> custom, List<Array> primals, Array cot) {
        var r = MX.vjp(reference, primals, List.of(cot));
        var c = MX.vjp(custom, primals, List.of(cot));
        assertClose(r.outputs().get(0), c.outputs().get(0), 1e-5, "value");
        for (int i = 0; i < primals.size(); i++) assertClose(r.cotangents().get(i), c.cotangents().get(i), 1e-4, "cotangent " + i);
    }

    @Test void layerNormMatchesTheComposedGradient() {
        Array x = normal(1, 2.0, 3, 5, 16).add(0.7), w = normal(2, 1.0, 16), b = normal(3, 1.0, 16);
        Function<List<Array>, List<Array>> reference = in -> {
            Array v = in.get(0);
            Array mean = MX.mean(v, new int[] {-1}, true), var = MX.var(v, new int[] {-1}, true, 0);
            return List.of(MX.add(MX.multiply(MX.multiply(MX.subtract(v, mean), MX.rsqrt(var.add(1e-5))), in.get(1)), in.get(2)));
        };
        compare(reference, in -> List.of(LmOps.layerNorm(in.get(0), in.get(1), in.get(2), 1e-5)), List.of(x, w, b), normal(4, 1.0, 3, 5, 16));
    }

    @Test void geluMatchesTheComposedGradient() {
        Array x = normal(5, 3.0, 4, 7, 32);
        compare(in -> List.of(Activations.gelu(in.get(0))), in -> List.of(LmOps.gelu(in.get(0))), List.of(x), normal(6, 1.0, 4, 7, 32));
    }
}
