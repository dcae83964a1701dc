package org.mlx4j.tests.gpu;

import static org.junit.jupiter.api.Assertions.*;
import static org.mlx4j.core.MX.*;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.Device;
import org.mlx4j.cuda.CudaException;

/** The CUDA runtime on a real GPU: copies, memory accounting, errors as exceptions, device checks. */
@Tag("gpu")
class GpuRuntimeTest {
    @BeforeEach
    void gpu() { Gpu.assumeAvailable(); }

    @Test
    void copiesRoundTripEveryDtype() {
        for (DType t : DType.values()) {
            Array x = astype(arange(0, 1000, 1, DType.FLOAT64), t);
            Array g = toDevice(x, Device.gpu());
            assertEquals(Device.gpu(), g.device());
            assertArrayEquals(x.toDoubleArray(), g.toDoubleArray(), t.toString());
            assertArrayEquals(x.toDoubleArray(), toDevice(g, Device.cpu()).toDoubleArray(), t + " back to the CPU");
        }
    }

    @Test
    void scalarsAndShortArraysUploadThroughMemsets() {
        for (DType t : DType.values()) {
            for (int n : new int[] {1, 2, 3, 5}) {
                Array x = astype(arange(-2, n - 2, 1, DType.FLOAT64), t);
                assertArrayEquals(x.toDoubleArray(), toDevice(x, Device.gpu()).toDoubleArray(), t + " x " + n);
            }
        }
    }

    @Test
    void stridedHostViewsUploadDense() {
        Array x = transpose(reshape(arange(0, 12, 1, DType.FLOAT32), 3, 4));
        assertArrayEquals(x.toFloatArray(), toDevice(x, Device.gpu()).toFloatArray(), 0f);
    }

    @Test
    void closedArraysReturnTheirMemory() {
        var cuda = Gpu.cuda();
        Array warm = toDevice(ones(new int[] {1 << 20}, DType.FLOAT32), Device.gpu()).eval();
        warm.close();
        long before = cuda.activeMemory();
        Array a = toDevice(ones(new int[] {1 << 22}, DType.FLOAT32), Device.gpu());
        Array b = Gpu.onGpu(() -> exp(a)).eval();
        assertTrue(cuda.activeMemory() >= before + (4L << 22), "active " + cuda.activeMemory());
        a.close();
        b.close();
        assertEquals(before, cuda.activeMemory(), "closing the arrays returns their blocks");
        assertTrue(cuda.cacheMemory() >= 4L << 22, "and the blocks wait in the cache");
    }

    @Test
    void anImpossibleAllocationIsAJavaExceptionNamingTheCudaError() {
        var cuda = Gpu.cuda();
        long old = cuda.setMemoryLimit(Long.MAX_VALUE);
        try {
            CudaException e = assertThrows(CudaException.class, () -> Gpu.onGpu(() -> zeros(new int[] {1 << 30, 1 << 10}, DType.FLOAT32).astype(DType.FLOAT64)).eval());
            assertEquals("CUDA_ERROR_OUT_OF_MEMORY", e.errorName());
        } finally {
            cuda.setMemoryLimit(old);
        }
        // and the device still works
        assertEquals(6.0, Gpu.onGpu(() -> sum(toDevice(array(new float[] {1, 2, 3}), Device.gpu()))).item(), 0);
    }

    @Test
    void mixingDevicesIsAClearError() {
        Array g = toDevice(array(new float[] {1, 2}), Device.gpu());
        Array c = array(new float[] {3, 4});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> add(g, c));
        assertTrue(e.getMessage().contains("add") || e.getMessage().contains("device"), e.getMessage());
    }

    @Test
    void evalIsAsynchronousAndReadsSynchronize() {
        Array x = toDevice(ones(new int[] {4096, 4096}, DType.FLOAT32), Device.gpu());
        Array y = Gpu.onGpu(() -> matmul(x, x));
        y.eval(); // queued; the read below waits for it
        assertEquals(4096.0, y.toFloatArray()[0], 0);
    }
}
