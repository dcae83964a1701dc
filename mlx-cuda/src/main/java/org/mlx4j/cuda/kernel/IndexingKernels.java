package org.mlx4j.cuda.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mlx4j.core.DType;
import org.mlx4j.cuda.CudaTypes;

/**
 * Kernel specs of the indexing family (gather, scatter, shuffle, a strided copy: {@code gather.cu}),
 * the random bits ({@code random.cu}) and the convolution's patch gathering ({@code im2col.cu}).
 * Pure functions: building a spec needs no GPU.
 *
 * <p>Kernels that only move elements are specialized by element size alone (an unsigned carrier
 * type of that size), so one variant serves every dtype of that size; scatter-add computes and so
 * is specialized by dtype.
 */
public final class IndexingKernels {
    private IndexingKernels() {}

    /** Entry points of {@link #move}. */
    public static final String GATHER = "mlx_gather", SCATTER_WINNER = "mlx_scatter_winner",
            SCATTER_WRITE = "mlx_scatter_write", STRIDED_COPY = "mlx_strided_copy";
    /** Entry point of {@link #scatterAdd}. */
    public static final String SCATTER_ADD = "mlx_scatter_add";
    /** Entry point of {@link #shuffleTable}; launch it with {@value #RANK_TILE} threads per block. */
    public static final String SHUFFLE_TABLE = "mlx_shuffle_table";
    /** Threads per block of {@link #SHUFFLE_TABLE} (the kernel's shared tile). */
    public static final int RANK_TILE = 256;
    /** Entry point of {@link #randomBits}. */
    public static final String RANDOM_BITS = "mlx_random_bits";
    /** Entry point of {@link #im2col}. */
    public static final String IM2COL = "mlx_im2col";

    private static final List<DType> INDEX_TYPES = List.of(DType.UINT8, DType.UINT32, DType.INT8, DType.INT16, DType.INT32, DType.INT64);

    /** The unsigned C type of {@code bytes} bytes (1, 2, 4 or 8): how moved elements are typed. */
    public static String carrier(int bytes) {
        return switch (bytes) {
            case 1 -> "unsigned char";
            case 2 -> "unsigned short";
            case 4 -> "unsigned int";
            case 8 -> "unsigned long long";
            default -> throw new IllegalArgumentException("[cuda] no element carrier of " + bytes + " bytes");
        };
    }

    /**
     * Gather, scatter (replace) and the strided copy for elements of {@code elemBytes} bytes read
     * through indices of dtype {@code index} (the copy ignores it; pass INT32).
     *
     * @throws IllegalArgumentException when {@code index} is not an integer dtype
     */
    public static KernelSpec move(int elemBytes, DType index) {
        checkIndex(index);
        return KernelSpec.of(List.of("common.cuh", "gather.cu"),
                Map.of("MLX_IDX_MOVE", "1", "ELEM_T", carrier(elemBytes), "IDX_T", CudaTypes.cType(index)));
    }

    /**
     * Scatter-add of dtype {@code t} with indices of dtype {@code index}. Every dtype is supported:
     * hardware atomics for float32/float64/int32/uint32/int64, a compare-and-swap on the containing
     * 32-bit word for the 1- and 2-byte types.
     */
    public static KernelSpec scatterAdd(DType t, DType index) {
        checkIndex(index);
        Map<String, String> d = new java.util.HashMap<>(Map.of("MLX_IDX_ADD", "1", "ELEM_T", CudaTypes.cType(t),
                "COMPUTE_T", CudaTypes.computeType(t), "IDX_T", CudaTypes.cType(index)));
        // bool and uint8 share the C type unsigned char: the kernel needs telling which one adds like bool
        if (t == DType.BOOL) d.put("MLX_IDX_BOOL", "1");
        return KernelSpec.of(List.of("common.cuh", "gather.cu"), d);
    }

    /** The shuffle's permutation table from uint32 sort keys. */
    public static KernelSpec shuffleTable() {
        return KernelSpec.of(List.of("common.cuh", "gather.cu"), Map.of("MLX_IDX_RANK", "1"));
    }

    /** Threefry-2x32 random bits, every width (the width is an argument). */
    public static KernelSpec randomBits() {
        return KernelSpec.of(List.of("common.cuh", "random.cu"), Map.of());
    }

    /** The convolution's patch matrix for elements of {@code elemBytes} bytes. */
    public static KernelSpec im2col(int elemBytes) {
        return KernelSpec.of(List.of("common.cuh", "im2col.cu"), Map.of("ELEM_T", carrier(elemBytes)));
    }

    private static void checkIndex(DType index) {
        if (!index.isInteger()) throw new IllegalArgumentException("[cuda] indices must be integers, got " + index);
    }

    /**
     * Representative variants for the nvcc compile test (25): every element size and every index
     * dtype of the moving kernels, scatter-add for every dtype, the shuffle table, the random bits,
     * im2col for the float sizes.
     */
    public static List<KernelSpec> catalog() {
        List<KernelSpec> all = new ArrayList<>();
        int[] sizes = {1, 2, 4, 8};
        for (int s : sizes) all.add(move(s, DType.INT32));
        for (DType i : INDEX_TYPES) if (i != DType.INT32) all.add(move(4, i));
        for (DType t : DType.values()) all.add(scatterAdd(t, t == DType.INT64 ? DType.INT64 : DType.INT32));
        all.add(shuffleTable());
        all.add(randomBits());
        for (int s : new int[] {2, 4, 8}) all.add(im2col(s));
        return all;
    }
}
