package org.mlx4j.cuda.kernel;

import org.mlx4j.cuda.lib.CudaLibraries;

/** Makes the kernel compiler for a device (NVRTC, with the disk cache). */
public final class Compilers {
    private Compilers() {}

    /**
     * The compiler for a device of compute capability {@code major.minor}.
     *
     * @throws IllegalStateException when NVRTC cannot be loaded, naming what was searched, or when it
     *                               supports no architecture the device can run
     */
    public static KernelCompiler forDevice(int major, int minor) {
        return NvrtcCompiler.of(CudaLibraries.nvrtc(), major, minor, KernelCache.standard());
    }
}
