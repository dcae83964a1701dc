package org.mlx4j.cuda.lib;

import java.util.List;

/**
 * The native libraries the CUDA backend loads, each with the major versions it accepts, newest first.
 * A library's file is {@code lib<name>.so.<major>}: the versioned name the runtime packages (toolkit,
 * distribution packages, pip wheels) all install, where the unversioned {@code .so} link often exists
 * only with the development headers.
 */
public enum CudaLibrary {
    /** The driver API ({@code libcuda.so.1}); installed with the driver, usually only in the loader's cache. */
    DRIVER("cuda", List.of(1)),
    /** The run-time compiler of CUDA C. */
    NVRTC("nvrtc", List.of(13, 12)),
    /** cuBLAS (loaded for completeness and reporting; products go through cuBLASLt). */
    CUBLAS("cublas", List.of(13, 12)),
    /** cuBLASLt, the matrix product library. */
    CUBLASLT("cublasLt", List.of(13, 12)),
    /** cuDNN 9 (the front library that dispatches to its sub-libraries). */
    CUDNN("cudnn", List.of(9));

    private final String baseName;
    private final List<Integer> majors;

    CudaLibrary(String baseName, List<Integer> majors) {
        this.baseName = baseName;
        this.majors = majors;
    }

    /** The name without prefix and suffix, e.g. {@code cublasLt}. */
    public String baseName() { return baseName; }

    /** The accepted major versions, newest first. */
    public List<Integer> majors() { return majors; }

    /** The file name of one major version, e.g. {@code libnvrtc.so.13}. */
    public String fileName(int major) { return "lib" + baseName + ".so." + major; }

    /** Every file name tried, newest major first. */
    public List<String> fileNames() { return majors.stream().map(this::fileName).toList(); }
}
