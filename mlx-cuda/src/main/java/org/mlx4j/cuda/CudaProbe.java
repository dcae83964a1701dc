package org.mlx4j.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.util.List;

/** The availability checks, in the order that keeps a GPU-less machine from loading anything heavy. */
final class CudaProbe {
    private CudaProbe() {}

    /** Null when libcuda.so.1 can be opened; else why not. Checked before JCuda loads its JNI library, which needs it. */
    static String driverMissing() {
        try {
            SymbolLookup.libraryLookup("libcuda.so.1", Arena.global());
            return null;
        } catch (IllegalArgumentException e) {
            return "no NVIDIA driver: libcuda.so.1 is not on the loader's path (LD_LIBRARY_PATH, ld.so.cache)";
        }
    }

    /** Initializes the driver through JCuda and counts devices. */
    static int deviceCount() {
        jcuda.driver.JCudaDriver.setExceptionsEnabled(false);
        CudaRuntime.check(jcuda.driver.JCudaDriver.cuInit(0), "cuInit");
        int[] n = new int[1];
        CudaRuntime.check(jcuda.driver.JCudaDriver.cuDeviceGetCount(n), "cuDeviceGetCount");
        return n[0];
    }

    /** Null when NVRTC and cuBLASLt load; else the search report of what is missing. */
    static String librariesMissing() {
        try {
            org.mlx4j.cuda.lib.CudaLibraries.nvrtc();
            org.mlx4j.cuda.lib.CudaLibraries.cublasLt();
            return null;
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
    }

    /** Lines for diagnostics: what each library search found. */
    static List<String> libraryReport() {
        return org.mlx4j.cuda.lib.CudaLibraries.report();
    }
}
