package org.mlx4j.cuda.kernel;

/** Makes the kernel compiler for a device (NVRTC, with the disk cache). */
public final class Compilers {
    private Compilers() {}

    /**
     * The compiler for a device of compute capability {@code major.minor}.
     *
     * @throws IllegalStateException when NVRTC cannot be loaded, naming what was searched
     */
    public static KernelCompiler forDevice(int major, int minor) {
        throw new IllegalStateException("[cuda] NVRTC facade not built yet");
    }
}
