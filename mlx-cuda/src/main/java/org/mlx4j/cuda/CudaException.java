package org.mlx4j.cuda;

/**
 * A CUDA call failed: carries the driver's error name (e.g. {@code CUDA_ERROR_OUT_OF_MEMORY}), its
 * code, the call and the primitive being computed, so a GPU fault surfaces as a Java exception.
 */
public final class CudaException extends RuntimeException {
    private final int code;
    private final String errorName;

    /**
     * @param code      the CUresult (or library status) code
     * @param errorName its symbolic name
     * @param message   what was being done, and for which primitive
     */
    public CudaException(int code, String errorName, String message) {
        super("[cuda] " + message + ": " + errorName + " (" + code + ")");
        this.code = code;
        this.errorName = errorName;
    }

    /** The numeric code. */
    public int code() { return code; }

    /** The symbolic name, e.g. {@code CUDA_ERROR_ILLEGAL_ADDRESS}. */
    public String errorName() { return errorName; }
}
