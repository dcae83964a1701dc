package org.mlx4j.tests;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mlx4j.cuda.CudaKernels;
import org.mlx4j.tests.gpu.Gpu;

/**
 * Holds the CUDA backend to its declaration without a GPU: every primitive of mlx-core has a CUDA
 * launcher or is declared unsupported with a reason, never both, and the backend reports exactly the
 * declared set. (On a GPU, GpuOpSpecTest checks that declared primitives throw and others compute.)
 */
class CudaConformanceTest {
    @Test
    void everyPrimitiveHasACudaKernelOrADeclaration() throws Exception {
        CudaKernels table = CudaKernels.standard();
        List<String> missing = new ArrayList<>(), both = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (Class<?> c : ConformanceTest.primitiveClasses()) {
            String name = c.getSimpleName();
            names.add(name);
            boolean registered = table.primitives().contains(c);
            boolean declared = table.unsupported().containsKey(name);
            if (!registered && !declared) missing.add(name);
            if (registered && declared) both.add(name);
        }
        assertTrue(missing.isEmpty(), "primitives with neither a CUDA kernel nor a declaration: " + missing);
        assertTrue(both.isEmpty(), "primitives both registered and declared unsupported: " + both);
        for (var e : table.unsupported().entrySet()) {
            assertTrue(names.contains(e.getKey()), "declared unsupported but not a primitive: " + e.getKey());
            assertFalse(e.getValue().isBlank(), "no reason given for " + e.getKey());
        }
        assertEquals(table.unsupported().keySet(), Gpu.cuda().unsupported());
    }

    @Test
    void withoutAGpuTheBackendSaysWhyAndCostsNothing() {
        var cuda = Gpu.cuda();
        if (cuda.isAvailable()) return; // a GPU machine: the GPU suites take over
        assertFalse(cuda.unavailableReason().isBlank());
        assertTrue(cuda.diagnostics().stream().anyMatch(l -> l.contains("unsupported")), cuda.diagnostics().toString());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> org.mlx4j.core.MX.toDevice(org.mlx4j.core.MX.array(new float[] {1, 2}), org.mlx4j.core.Device.gpu()).eval());
        assertTrue(e.getMessage().contains("cuda") && e.getMessage().contains(cuda.unavailableReason()), e.getMessage());
    }
}
