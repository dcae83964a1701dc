package org.mlx4j.tests.gpu;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.function.Supplier;
import org.mlx4j.core.Device;
import org.mlx4j.core.backend.spi.Backend;
import org.mlx4j.core.backend.spi.Backends;
import org.mlx4j.cuda.CudaBackend;

/** What the GPU suites share: the CUDA backend, the assumption that skips them, and running on the GPU. */
public final class Gpu {
    private Gpu() {}

    /** The CUDA backend found through ServiceLoader (available or not). */
    public static CudaBackend cuda() {
        for (Backend b : Backends.all()) if (b instanceof CudaBackend c) return c;
        throw new IllegalStateException("mlx-cuda is not on the test class path");
    }

    /** Skips the calling test, saying why, unless the CUDA backend found a GPU. */
    public static void assumeAvailable() {
        CudaBackend c = cuda();
        assumeTrue(c.isAvailable(), () -> "no CUDA GPU here (" + c.unavailableReason() + "); GPU suites run on a GPU machine: .gpu/run.sh test --include-tag gpu");
    }

    /** Runs {@code f} with the GPU as the default device, so arrays it makes live there. */
    public static <T> T onGpu(Supplier<T> f) {
        Device before = Device.defaultDevice();
        Device.setDefaultDevice(Device.gpu());
        try {
            return f.get();
        } finally {
            Device.setDefaultDevice(before);
        }
    }

    /** True when {@code e} is the CUDA backend refusing a primitive it declares unsupported. */
    public static boolean declaredUnsupported(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnsupportedOperationException && t.getMessage() != null && t.getMessage().startsWith("[cuda] no kernel for primitive ")) {
                String rest = t.getMessage().substring("[cuda] no kernel for primitive ".length());
                for (String name : cuda().unsupported()) if (rest.startsWith(name + ":") || rest.startsWith(name + ".")) return true;
            }
        }
        return false;
    }
}
