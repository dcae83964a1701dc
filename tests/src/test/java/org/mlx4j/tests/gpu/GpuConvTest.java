package org.mlx4j.tests.gpu;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.mlx4j.core.MX.*;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.Device;

/**
 * Convolutions and both their gradients on the GPU, through cuDNN and through im2col
 * ({@code -Dmlx4j.cuda.cudnn=false}), each against the CPU: strided, same-padded, 1-d, 3-d,
 * grouped and dilated convolutions and a transposed one. Where cuDNN is present, the test also holds
 * that its three calls (forward, backward data, backward filter) actually ran, and that switching it
 * off sends everything to im2col.
 */
@Tag("gpu")
class GpuConvTest {
    @BeforeEach
    void gpu() { Gpu.assumeAvailable(); }

    @AfterEach
    void cudnnBackOn() { System.clearProperty("mlx4j.cuda.cudnn"); }

    /** One convolution problem: the op, input and weight shapes. */
    record Problem(String name, BinaryOperator<Array> op, int[] x, int[] w) {}

    static List<Problem> problems() {
        return List.of(
                new Problem("conv2d stride 2 pad 1", (x, w) -> conv2d(x, w, 2, 1), new int[] {4, 12, 12, 3}, new int[] {8, 3, 3, 3}),
                new Problem("conv2d same", (x, w) -> conv2d(x, w, 1, 1), new int[] {2, 9, 9, 4}, new int[] {6, 3, 3, 4}),
                new Problem("conv1d stride 2 dilation 2", (x, w) -> conv1d(x, w, 2, 1, 2, 1), new int[] {2, 20, 3}, new int[] {5, 4, 3}),
                new Problem("conv2d groups 2", (x, w) -> conv2d(x, w, 1, 1, 1, 2), new int[] {2, 8, 8, 4}, new int[] {6, 3, 3, 2}),
                new Problem("conv3d pad 1", (x, w) -> conv3d(x, w, 1, 1), new int[] {1, 6, 6, 6, 2}, new int[] {3, 3, 3, 3, 2}),
                new Problem("convTranspose2d stride 2", (x, w) -> convTranspose2d(x, w, 2, 1), new int[] {2, 5, 5, 4}, new int[] {3, 3, 3, 4}));
    }

    static Array random(int[] shape, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 1;
        for (int v : shape) n *= v;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.nextDouble() * 2 - 1;
        return array(v, DType.FLOAT32, shape);
    }

    /** [sum(op(x, w) * r), d/dx, d/dw], computed where x and w live. */
    static double[][] valueAndGrads(Problem p, Array x, Array w, Array r) {
        var f = valueAndGrad((List<Array> in) -> sum(multiply(p.op().apply(in.get(0), in.get(1)), r)), 0, 1);
        var vg = f.apply(List.of(x, w));
        return new double[][] {vg.value().toDoubleArray(), vg.grad().get(0).toDoubleArray(), vg.grad().get(1).toDoubleArray()};
    }

    static double[][] onGpu(Problem p, Array x, Array w, Array r) {
        return Gpu.onGpu(() -> valueAndGrads(p, toDevice(x, Device.gpu()), toDevice(w, Device.gpu()), toDevice(r, Device.gpu())));
    }

    static void assertClose(String what, double[][] expected, double[][] actual) {
        String[] part = {"value", "d/dx", "d/dw"};
        for (int k = 0; k < 3; k++) {
            assertEquals(expected[k].length, actual[k].length, what + " " + part[k]);
            for (int i = 0; i < expected[k].length; i++) {
                double e = expected[k][i], a = actual[k][i];
                assertTrue(Math.abs(e - a) <= 1e-4 * Math.max(1, Math.abs(e)), what + " " + part[k] + "[" + i + "]: CPU " + e + ", GPU " + a);
            }
        }
    }

    static long count(Map<String, Long> c, String path) { return c.getOrDefault(path, 0L); }

    @Test
    void cudnnAndIm2colBothMatchTheCpuValueAndGradients() {
        boolean cudnn = Gpu.cuda().cudnnAvailable();
        Map<String, Long> before = Gpu.cuda().convolutionCounts();
        for (Problem p : problems()) {
            Array x = random(p.x(), 1), w = random(p.w(), 2);
            Array out = p.op().apply(x, w);
            Array r = random(out.shape().dims(), 3);
            double[][] cpu = valueAndGrads(p, x, w, r);
            assertClose(p.name() + (cudnn ? " (cuDNN)" : " (no cuDNN here: im2col)"), cpu, onGpu(p, x, w, r));
            System.setProperty("mlx4j.cuda.cudnn", "false");
            try {
                assertClose(p.name() + " (im2col)", cpu, onGpu(p, x, w, r));
            } finally {
                System.clearProperty("mlx4j.cuda.cudnn");
            }
        }
        Map<String, Long> after = Gpu.cuda().convolutionCounts();
        System.out.println("convolution paths: before " + before + ", after " + after);
        assertTrue(count(after, "im2col") - count(before, "im2col") >= 3L * problems().size(), "every problem ran on im2col once: " + after);
        assumeTrue(cudnn, "cuDNN is not on this GPU machine: its paths were not exercised");
        for (String path : List.of("cudnn FORWARD", "cudnn BACKWARD_DATA", "cudnn BACKWARD_FILTER")) {
            assertTrue(count(after, path) > count(before, path), path + " never ran: " + after);
        }
    }

    @Test
    void halfPrecisionConvolutionsMatchTheCpu() {
        for (DType t : List.of(DType.FLOAT16, DType.BFLOAT16)) {
            Array x = astype(random(new int[] {2, 10, 10, 8}, 4), t), w = astype(random(new int[] {16, 3, 3, 8}, 5), t);
            double[] cpu = conv2d(x, w, 1, 1).toDoubleArray();
            double[] gpu = Gpu.onGpu(() -> conv2d(toDevice(x, Device.gpu()), toDevice(w, Device.gpu()), 1, 1).toDoubleArray());
            assertEquals(cpu.length, gpu.length);
            // one rounding of a float32 sum to 8 (bfloat16) or 11 (float16) bits, either side
            double tol = t == DType.BFLOAT16 ? 2e-2 : 3e-3;
            for (int i = 0; i < cpu.length; i++) {
                assertTrue(Math.abs(cpu[i] - gpu[i]) <= tol * Math.max(1, Math.abs(cpu[i])), t + " [" + i + "]: CPU " + cpu[i] + ", GPU " + gpu[i]);
            }
        }
    }
}
