// Scans (cumsum, cumprod, cummax, cummin, logcumsumexp) along one axis. scan_rows: one thread per line,
// sequential along the axis (the CPU's order, so float sums round the same way step by step);
// scan_rows_block (below): one block per line, for few long lines.
// Line `row` (row-major over every axis but the scanned one) reads in[layout_offset(lines, row) + i * stride]
// for i < len and writes the dense output (the input's shape) at
// (row / inner) * len * inner + row % inner + i * inner, inner = product of the axes after the scanned one.
//
// Defines (from ReductionKernels.scan): IN_T, OUT_T, ACC_T (float for 16/32-bit floats, double for
// float64, long long for integers and bool), SCAN_OP (mlxc_sum, mlxc_prod, mlxc_max, mlxc_min,
// mlxc_logaddexp), INIT (the op's identity as an ACC_T expression: the first output of an exclusive scan),
// REVERSE (1: from the last element), INCLUSIVE (1: out[i] includes x[i]), OUT_BOOL (1 when OUT_T is bool:
// stored as nonzero, since mlx_bool and unsigned char are one C type).
// Entries: scan_rows, scan_rows_block.

// the ops of arith.cuh under the names SCAN_OP selects
template <typename A> __device__ __forceinline__ A mlxc_sum(A a, A b) { return mlxr_add(a, b); }
template <typename A> __device__ __forceinline__ A mlxc_prod(A a, A b) { return mlxr_mul(a, b); }
template <typename A> __device__ __forceinline__ A mlxc_max(A a, A b) { return mlxr_max(a, b); }
template <typename A> __device__ __forceinline__ A mlxc_min(A a, A b) { return mlxr_min(a, b); }

// log(e^a + e^b) in double, as the CPU computes it for every floating dtype: -inf is the identity,
// equal arguments (also +inf and +inf) give a + log 2, NaN propagates.
__device__ __forceinline__ double mlxc_lae(double a, double b) {
    const double ninf = -__longlong_as_double(0x7ff0000000000000LL);
    if (a == ninf) return b;
    if (b == ninf) return a;
    if (a == b) return a + 0.69314718055994530942;
    const double m = mlxc_max(a, b);
    return m + log1p(exp(-fabs(a - b)));
}
__device__ __forceinline__ float mlxc_logaddexp(float a, float b) { return (float) mlxc_lae((double) a, (double) b); }
__device__ __forceinline__ double mlxc_logaddexp(double a, double b) { return mlxc_lae(a, b); }

__device__ __forceinline__ OUT_T mlxc_out(ACC_T v) {
#if OUT_BOOL
    return (OUT_T) (v != (ACC_T) 0 ? 1 : 0);
#else
    return from_compute<OUT_T>(v);
#endif
}

// The element index of scan step s.
__device__ __forceinline__ long long mlxc_at(long long s, long long len) {
#if REVERSE
    return len - 1 - s;
#else
    return s;
#endif
}

// Scans steps [s0, s1) of line (ib, ob) in scan order from `acc`, writing each step's output.
__device__ __forceinline__ void mlxc_scan_steps(const IN_T* in, long long ib, long long len, long long stride, OUT_T* out,
                                                long long ob, long long inner, long long s0, long long s1, ACC_T acc) {
    for (long long s = s0; s < s1; ++s) {
        const long long i = mlxc_at(s, len);
        const ACC_T v = to_compute<ACC_T>(in[ib + i * stride]);
#if INCLUSIVE
        acc = SCAN_OP(acc, v);
        out[ob + i * inner] = mlxc_out(acc);
#else
        out[ob + i * inner] = mlxc_out(acc);
        acc = SCAN_OP(acc, v);
#endif
    }
}

extern "C" __global__ void scan_rows(const IN_T* in, Layout lines, long long len, long long stride, OUT_T* out, long long inner, long long rows) {
    MLX_GRID_LOOP(row, rows) {
        mlxc_scan_steps(in, layout_offset(lines, row), len, stride, out, (row / inner) * len * inner + row % inner, inner, 0, len, INIT);
    }
}

// Few long lines: one block per line, thread t owning the consecutive steps [t*chunk, (t+1)*chunk) of
// the scan order. Each thread folds its chunk, the block scans the chunk totals in shared memory
// (Hillis-Steele, exclusive), and each thread scans its chunk again from its prefix, writing the outputs.
// Float sums and products round in this grouping, not the CPU's strict left-to-right order.
// Launch with blockDim.x <= MLXC_BLOCK_MAX threads.
#define MLXC_BLOCK_MAX 1024
extern "C" __global__ void scan_rows_block(const IN_T* in, Layout lines, long long len, long long stride, OUT_T* out, long long inner,
                                           long long rows) {
    __shared__ ACC_T part[MLXC_BLOCK_MAX];
    const long long chunk = (len + blockDim.x - 1) / blockDim.x;
    const long long s0 = threadIdx.x * chunk, s1 = s0 + chunk < len ? s0 + chunk : len;
    for (long long row = blockIdx.x; row < rows; row += gridDim.x) {
        const long long ib = layout_offset(lines, row);
        const long long ob = (row / inner) * len * inner + row % inner;
        ACC_T total = INIT;
        for (long long s = s0; s < s1; ++s) {
            const long long i = mlxc_at(s, len);
            total = SCAN_OP(total, to_compute<ACC_T>(in[ib + i * stride]));
        }
        part[threadIdx.x] = total;
        __syncthreads();
        for (unsigned int off = 1; off < blockDim.x; off <<= 1) {
            const ACC_T before = threadIdx.x >= off ? part[threadIdx.x - off] : (ACC_T) INIT;
            __syncthreads();
            if (threadIdx.x >= off) part[threadIdx.x] = SCAN_OP(before, part[threadIdx.x]);
            __syncthreads();
        }
        mlxc_scan_steps(in, ib, len, stride, out, ob, inner, s0, s1, threadIdx.x == 0 ? (ACC_T) INIT : part[threadIdx.x - 1]);
        __syncthreads(); // part is reused by the next line
    }
}
