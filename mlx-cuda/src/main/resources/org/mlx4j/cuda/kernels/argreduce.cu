// ArgMax / ArgMin along one axis: for each row (every position but the axis, row-major over the other
// axes), the index of the largest (smallest) of in[layout_offset(kept, row) + i * stride], i < len.
// The CPU's rule: the first NaN wins outright; otherwise the first of equal extremes (lowest index).
//
// Defines (from ReductionKernels.argReduce): IN_T, ACC_T (compare type), OUT_T (unsigned int),
// ARG_MAX (1 for argmax, 0 for argmin).
// Entries (same arguments): argreduce_rows (one block per row), argreduce_rows_thread (one thread per row).

#ifndef RED_BLOCK
#define RED_BLOCK 256
#endif

__device__ __forceinline__ bool mlxa_isnan(ACC_T v) { return v != v; }

// True when candidate (v, i) should replace (bv, bi); bi < 0 means no candidate yet.
__device__ __forceinline__ bool mlxa_take(ACC_T bv, long long bi, ACC_T v, long long i) {
    if (i < 0) return false;
    if (bi < 0) return true;
    const bool bn = mlxa_isnan(bv), vn = mlxa_isnan(v);
    if (bn || vn) return bn && vn ? i < bi : vn;
#if ARG_MAX
    if (v > bv) return true;
#else
    if (v < bv) return true;
#endif
    return v == bv && i < bi;
}

__device__ __forceinline__ void mlxa_warp(ACC_T& bv, long long& bi) {
    for (int off = 16; off > 0; off >>= 1) {
        ACC_T v = __shfl_down_sync(0xffffffffu, bv, off);
        long long i = __shfl_down_sync(0xffffffffu, bi, off);
        if (mlxa_take(bv, bi, v, i)) { bv = v; bi = i; }
    }
}

extern "C" __global__ void argreduce_rows(const IN_T* in, Layout kept, long long len, long long stride, OUT_T* out, long long rows) {
    __shared__ ACC_T pv[32];
    __shared__ long long pi[32];
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nwarps = (blockDim.x + 31) >> 5;
    for (long long row = blockIdx.x; row < rows; row += gridDim.x) {
        const long long base = layout_offset(kept, row);
        ACC_T bv = (ACC_T) 0;
        long long bi = -1;
        // indices rise within a thread, so a strict comparison keeps the first extreme
        for (long long i = threadIdx.x; i < len; i += blockDim.x) {
            ACC_T v = to_compute<ACC_T>(in[base + i * stride]);
            if (mlxa_take(bv, bi, v, i)) { bv = v; bi = i; }
        }
        mlxa_warp(bv, bi);
        if (lane == 0) { pv[warp] = bv; pi[warp] = bi; }
        __syncthreads();
        if (warp == 0) {
            bv = lane < nwarps ? pv[lane] : (ACC_T) 0;
            bi = lane < nwarps ? pi[lane] : -1;
            mlxa_warp(bv, bi);
            if (lane == 0) out[row] = (OUT_T) (bi < 0 ? 0 : bi);
        }
        __syncthreads();
    }
}

extern "C" __global__ void argreduce_rows_thread(const IN_T* in, Layout kept, long long len, long long stride, OUT_T* out, long long rows) {
    MLX_GRID_LOOP(row, rows) {
        const long long base = layout_offset(kept, row);
        ACC_T bv = (ACC_T) 0;
        long long bi = -1;
        for (long long i = 0; i < len; ++i) {
            ACC_T v = to_compute<ACC_T>(in[base + i * stride]);
            if (mlxa_take(bv, bi, v, i)) { bv = v; bi = i; }
            if (mlxa_isnan(bv)) break;
        }
        out[row] = (OUT_T) (bi < 0 ? 0 : bi);
    }
}
