package org.mlx4j.tests.spec;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
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
 * The op-spec table on the GPU: every row x shape case x dtype, with inputs built on the GPU (so
 * transposed, strided, reversed and broadcast views reach the CUDA kernels as views), compared
 * element by element with the CPU's result on the same seeded inputs (parity) and with the float64
 * reference. A primitive the CUDA backend declares unsupported must throw its declaration, nothing else.
 */
@Tag("gpu")
class GpuOpSpecTest {
    /** Each case checks first, so a machine without a GPU reports the skip and its reason. */
    @BeforeEach
    void gpu() { Gpu.assumeAvailable(); }

    static Stream<Arguments> cases() {
        // without a GPU one placeholder case stands for the table: it is skipped, saying why
        if (!Gpu.cuda().isAvailable()) return Stream.of(Arguments.of(null, null, null));
        List<Arguments> out = new ArrayList<>();
        for (OpSpec row : OpSpecTable.rows()) {
            for (Cases.Case c : Cases.of(row.shapes())) {
                for (DType t : row.dtypes()) out.add(Arguments.of(row, c, t));
            }
        }
        return out.stream();
    }

    /** GPU against CPU: the GPU's math library and reduction order differ from Java's by a few ulps. */
    static double parityTolerance(DType t) {
        return switch (t) {
            case FLOAT64 -> 1e-12;
            case FLOAT32 -> 2e-5;
            case FLOAT16 -> 4e-3;
            case BFLOAT16 -> 3e-2;
            default -> 0;
        };
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("cases")
    void matchesTheCpuAndTheReference(OpSpec row, Cases.Case c, DType dtype) {
        long seed = row.name().hashCode() * 31L + c.name().hashCode();
        Array[] cpuIn = c.inputs().apply(new Cases.Maker(row, dtype, seed));
        Array cpuOut = row.op().apply(cpuIn);
        double[] cpu = cpuOut.toDoubleArray();
        double[] gpu;
        Array gpuOut;
        try {
            gpuOut = Gpu.onGpu(() -> row.op().apply(c.inputs().apply(new Cases.Maker(row, dtype, seed))));
            assertEquals(Device.gpu(), gpuOut.device(), "the op ran on " + gpuOut.device());
            gpu = gpuOut.toDoubleArray();
        } catch (UnsupportedOperationException e) {
            assertTrue(Gpu.declaredUnsupported(e), row.name() + " threw without a declaration: " + e.getMessage());
            return;
        }
        assertEquals(cpuOut.shape(), gpuOut.shape());
        assertEquals(cpuOut.dtype(), gpuOut.dtype());
        DType tt = gpuOut.dtype().isFloating() ? gpuOut.dtype() : dtype.isFloating() ? dtype : gpuOut.dtype();
        double tol = gpuOut.dtype().isFloating() ? parityTolerance(tt) : 0;
        for (int i = 0; i < gpu.length; i++) {
            double err = Math.abs(gpu[i] - cpu[i]);
            if (!(err <= tol * Math.max(1, Math.abs(cpu[i]))) && gpu[i] != cpu[i] && !(Double.isNaN(cpu[i]) && Double.isNaN(gpu[i]))) {
                fail(row.name() + " " + c + " " + dtype + ": element " + i + " CPU " + cpu[i] + " GPU " + gpu[i]);
            }
        }
    }
}
