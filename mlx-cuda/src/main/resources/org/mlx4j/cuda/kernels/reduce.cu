// Reductions (Reduce: sum, prod, max, min, all, any) of rows of a strided input (after arith.cuh).
// Row `row` of the output reduces the input elements at layout_offset(kept, row) + layout_offset(red, r)
// for r < len: the Java launcher splits the input's axes into kept axes (in order, so the output is
// row-major over them) and reduced axes (any order), so no transposing copy is needed.
//
// Defines (from ReductionKernels.reduce):
//   IN_T, OUT_T  element types;  ACC_T  the accumulator (float for 16/32-bit floats, double for float64,
//   long long for integers and bool);  WIDE_T  what per-thread partials of 1024 elements are combined in
//   (double over a float ACC_T, as the CPU combines float32 partials in double);
//   REDUCE  one of the mlxr_op_* structs below;  IDENT  the op's identity as an ACC_T expression
//   (what an empty reduction gives);  OUT_BOOL  1 when OUT_T is bool (mlx_bool and unsigned char are one C
//   type, so the store is told: bool outputs are "nonzero", NaN included, as on the CPU).
// Entries (same arguments):
//   reduce_rows         one block per row (tree over the row: long rows, strided or not);
//   reduce_rows_thread  one thread per row (short rows, or rows whose kept axis is the dense one, so
//                       neighbouring threads read neighbouring elements).

#ifndef RED_BLOCK
#define RED_BLOCK 256
#endif

// The output conversion: nonzero for bool, else common.cuh's from_compute.
template <typename A> __device__ __forceinline__ OUT_T mlxr_out(A v) {
#if OUT_BOOL
    return (OUT_T) (v != (A) 0 ? 1 : 0);
#else
    return from_compute<OUT_T>(v);
#endif
}

struct mlxr_op_sum { template <typename A> __device__ static __forceinline__ A apply(A a, A b) { return mlxr_add(a, b); } };
struct mlxr_op_prod { template <typename A> __device__ static __forceinline__ A apply(A a, A b) { return mlxr_mul(a, b); } };
struct mlxr_op_max { template <typename A> __device__ static __forceinline__ A apply(A a, A b) { return mlxr_max(a, b); } };
struct mlxr_op_min { template <typename A> __device__ static __forceinline__ A apply(A a, A b) { return mlxr_min(a, b); } };
// all/any: nonzero is true (NaN too, as on the CPU)
struct mlxr_op_all { template <typename A> __device__ static __forceinline__ A apply(A a, A b) { return (a != (A) 0 && b != (A) 0) ? (A) 1 : (A) 0; } };
struct mlxr_op_any { template <typename A> __device__ static __forceinline__ A apply(A a, A b) { return (a != (A) 0 || b != (A) 0) ? (A) 1 : (A) 0; } };

__device__ __forceinline__ ACC_T mlxr_warp(ACC_T v) {
    for (int off = 16; off > 0; off >>= 1) v = REDUCE::apply(v, (ACC_T) __shfl_down_sync(0xffffffffu, v, off));
    return v;
}

extern "C" __global__ void reduce_rows(const IN_T* in, Layout kept, Layout red, OUT_T* out, long long rows, long long len) {
    __shared__ ACC_T part[32];
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nwarps = (blockDim.x + 31) >> 5;
    for (long long row = blockIdx.x; row < rows; row += gridDim.x) {
        const long long base = layout_offset(kept, row);
        ACC_T acc = IDENT;
        for (long long r = threadIdx.x; r < len; r += blockDim.x) {
            acc = REDUCE::apply(acc, to_compute<ACC_T>(in[base + layout_offset(red, r)]));
        }
        acc = mlxr_warp(acc);
        if (lane == 0) part[warp] = acc;
        __syncthreads();
        if (warp == 0) {
            acc = lane < nwarps ? part[lane] : (ACC_T) IDENT;
            acc = mlxr_warp(acc);
            if (lane == 0) out[row] = mlxr_out(acc);
        }
        __syncthreads(); // part[] is reused by the next row
    }
}

extern "C" __global__ void reduce_rows_thread(const IN_T* in, Layout kept, Layout red, OUT_T* out, long long rows, long long len) {
    MLX_GRID_LOOP(row, rows) {
        const long long base = layout_offset(kept, row);
        WIDE_T acc = (WIDE_T) IDENT;
        for (long long r0 = 0; r0 < len; r0 += 1024) {
            const long long r1 = r0 + 1024 < len ? r0 + 1024 : len;
            ACC_T chunk = IDENT;
            for (long long r = r0; r < r1; ++r) chunk = REDUCE::apply(chunk, to_compute<ACC_T>(in[base + layout_offset(red, r)]));
            acc = REDUCE::apply(acc, (WIDE_T) chunk);
        }
        out[row] = mlxr_out(acc);
    }
}

// Few long rows (a full reduction of a large array): one block per row would leave most of the GPU
// idle, so the row is split into `chunks` pieces reduced by separate blocks into ACC_T partials
// (block b: row b / chunks, piece b % chunks, elements [piece * piece_len, ...)), and
// reduce_partials combines each row's partials in WIDE_T.
extern "C" __global__ void reduce_rows_split(const IN_T* in, Layout kept, Layout red, ACC_T* partial, long long rows, long long len,
                                             long long chunks, long long piece_len) {
    __shared__ ACC_T part[32];
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nwarps = (blockDim.x + 31) >> 5;
    for (long long b = blockIdx.x; b < rows * chunks; b += gridDim.x) {
        const long long row = b / chunks, piece = b % chunks;
        const long long base = layout_offset(kept, row);
        const long long r0 = piece * piece_len;
        const long long r1 = r0 + piece_len < len ? r0 + piece_len : len;
        ACC_T acc = IDENT;
        for (long long r = r0 + threadIdx.x; r < r1; r += blockDim.x) {
            acc = REDUCE::apply(acc, to_compute<ACC_T>(in[base + layout_offset(red, r)]));
        }
        acc = mlxr_warp(acc);
        if (lane == 0) part[warp] = acc;
        __syncthreads();
        if (warp == 0) {
            acc = lane < nwarps ? part[lane] : (ACC_T) IDENT;
            acc = mlxr_warp(acc);
            if (lane == 0) partial[b] = acc;
        }
        __syncthreads();
    }
}

extern "C" __global__ void reduce_partials(const ACC_T* partial, OUT_T* out, long long rows, long long chunks) {
    MLX_GRID_LOOP(row, rows) {
        WIDE_T acc = (WIDE_T) IDENT;
        for (long long c = 0; c < chunks; ++c) acc = REDUCE::apply(acc, (WIDE_T) partial[row * chunks + c]);
        out[row] = mlxr_out(acc);
    }
}
