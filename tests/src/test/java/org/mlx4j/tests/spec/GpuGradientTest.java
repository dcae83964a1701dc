package org.mlx4j.tests.spec;

import static org.junit.jupiter.api.Assertions.*;
import static org.mlx4j.core.MX.*;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.Device;
import org.mlx4j.tests.gpu.Gpu;

/**
 * Gradients on the GPU in float32: for every differentiable op-spec row, the vjp of a random
 * cotangent computed on the GPU equals the CPU's (which GradCheckTest verifies in float64 against
 * central differences), within float32 tolerance.
 */
@Tag("gpu")
class GpuGradientTest {
    /** Each case checks first, so a machine without a GPU reports the skip and its reason. */
    @BeforeEach
    void gpu() { Gpu.assumeAvailable(); }

    static Stream<Arguments> cases() {
        // without a GPU one placeholder case stands for the table: it is skipped, saying why
        if (!Gpu.cuda().isAvailable()) return Stream.of(Arguments.of(null, null));
        return GradCheckTest.cases();
    }

    static Array[] inputs(OpSpec row, Cases.Case c) {
        return c.inputs().apply(new Cases.Maker(row.withDtypes(List.of(DType.FLOAT32)), DType.FLOAT32, row.name().hashCode() ^ 0x9e3));
    }

    static Array[] vjpOf(OpSpec row, Array[] in, Array cot) {
        var f = GradCheckTest.fn(row);
        return vjp(f, List.of(in), List.of(cot)).cotangents().toArray(new Array[0]);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void vjpMatchesTheCpu(OpSpec row, Cases.Case c) {
        Array[] in = inputs(row, c);
        Array out = row.op().apply(in);
        SplittableRandom r = new SplittableRandom(11);
        double[] cv = new double[(int) out.size()];
        for (int i = 0; i < cv.length; i++) cv[i] = r.nextDouble() * 2 - 1;
        Array cot = astype(reshape(array(cv, new int[] {cv.length}), out.shape().dims()), out.dtype());
        Array[] cpu = vjpOf(row, in, cot);
        Array[] gpu;
        try {
            gpu = Gpu.onGpu(() -> {
                Array[] g = new Array[in.length];
                for (int i = 0; i < in.length; i++) g[i] = toDevice(in[i], Device.gpu());
                return vjpOf(row, g, toDevice(cot, Device.gpu()));
            });
            for (Array g : gpu) if (g != null) g.eval();
        } catch (UnsupportedOperationException e) {
            assertTrue(Gpu.declaredUnsupported(e), row.name() + " threw without a declaration: " + e.getMessage());
            return;
        }
        for (int k = 0; k < in.length; k++) {
            if (cpu[k] == null) continue;
            double[] e = cpu[k].toDoubleArray(), g = gpu[k].toDoubleArray();
            assertEquals(e.length, g.length);
            for (int i = 0; i < e.length; i++) {
                if (Math.abs(e[i] - g[i]) > 1e-4 * Math.max(1, Math.abs(e[i])) && !(Double.isNaN(e[i]) && Double.isNaN(g[i])) && e[i] != g[i]) {
                    fail(row.name() + " " + c + ": cotangent " + k + " element " + i + " CPU " + e[i] + " GPU " + g[i]);
                }
            }
        }
    }
}
