package org.mlx4j.cuda;

import org.mlx4j.core.DType;

/** How mlx4j dtypes appear in CUDA C kernels: the element type, and the type kernels compute in. */
public final class CudaTypes {
    private CudaTypes() {}

    /** The C type of an element (common.cuh defines mlx_bool, mlx_half, mlx_bfloat). */
    public static String cType(DType t) {
        return switch (t) {
            case BOOL -> "mlx_bool";
            case UINT8 -> "unsigned char";
            case UINT32 -> "unsigned int";
            case INT8 -> "signed char";
            case INT16 -> "short";
            case INT32 -> "int";
            case INT64 -> "long long";
            case FLOAT16 -> "mlx_half";
            case BFLOAT16 -> "mlx_bfloat";
            case FLOAT32 -> "float";
            case FLOAT64 -> "double";
        };
    }

    /** The type kernels compute in: float for 16- and 32-bit floats, double for float64, long long otherwise. */
    public static String computeType(DType t) {
        return switch (t) {
            case FLOAT64 -> "double";
            case FLOAT16, BFLOAT16, FLOAT32 -> "float";
            default -> "long long";
        };
    }
}
