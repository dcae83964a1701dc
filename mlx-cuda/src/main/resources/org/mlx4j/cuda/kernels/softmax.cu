// Softmax and logsumexp over the last axis of dense rows (rows x cols), one block per row, plus the
// strided gather the launcher uses to make a non-contiguous input dense first.
// As on the CPU: m = max of the row (NaN propagates); softmax = exp(x - m) / sum(exp(x - m));
// logsumexp = m when m is +-inf or NaN (a row of -inf, or one holding +inf), else m + log(sum(exp(x - m))).
//
// Defines (from ReductionKernels.softmax): IN_T (element type), ACC_T (float, or double for float64).
// Layer and RMS norm over dense rows (norm_rows): mean (layer norm only), then the mean square of
// x - mean, both in ACC_T; y = (x - mean) / sqrt(ms + eps), rounded once to IN_T.
// Entries: softmax_rows, logsumexp_rows, norm_rows, softmax_gather.

#ifndef SM_BLOCK
#define SM_BLOCK 256
#endif

__device__ __forceinline__ float mlxsm_exp(float x) { return expf(x); }
__device__ __forceinline__ double mlxsm_exp(double x) { return exp(x); }
__device__ __forceinline__ float mlxsm_log(float x) { return logf(x); }
__device__ __forceinline__ double mlxsm_log(double x) { return log(x); }
__device__ __forceinline__ float mlxsm_ninf(float) { return -__int_as_float(0x7f800000); }
__device__ __forceinline__ double mlxsm_ninf(double) { return -__longlong_as_double(0x7ff0000000000000LL); }
__device__ __forceinline__ bool mlxsm_finite(ACC_T x) { return x == x && x != mlxsm_ninf(x) && x != -mlxsm_ninf(x); }

// NaN-propagating max (the CPU's Math.max)
__device__ __forceinline__ ACC_T mlxsm_max(ACC_T a, ACC_T b) {
    if (a != a || b != b) return a + b;
    return a > b ? a : b;
}

// Block-wide max (or sum) that every thread receives; scratch holds 32 partials.
__device__ ACC_T mlxsm_allreduce(ACC_T v, bool is_max, ACC_T* scratch) {
    const int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, nwarps = (blockDim.x + 31) >> 5;
    for (int off = 16; off > 0; off >>= 1) {
        ACC_T o = __shfl_xor_sync(0xffffffffu, v, off);
        v = is_max ? mlxsm_max(v, o) : v + o;
    }
    if (lane == 0) scratch[warp] = v;
    __syncthreads();
    v = scratch[0];
    for (int w = 1; w < nwarps; ++w) v = is_max ? mlxsm_max(v, scratch[w]) : v + scratch[w];
    __syncthreads(); // scratch is reused by the next call
    return v;
}

extern "C" __global__ void softmax_rows(const IN_T* in, IN_T* out, long long rows, long long cols) {
    __shared__ ACC_T scratch[32];
    for (long long row = blockIdx.x; row < rows; row += gridDim.x) {
        const IN_T* x = in + row * cols;
        IN_T* y = out + row * cols;
        ACC_T m = mlxsm_ninf((ACC_T) 0);
        for (long long c = threadIdx.x; c < cols; c += blockDim.x) m = mlxsm_max(m, to_compute<ACC_T>(x[c]));
        m = mlxsm_allreduce(m, true, scratch);
        ACC_T s = (ACC_T) 0;
        for (long long c = threadIdx.x; c < cols; c += blockDim.x) s += mlxsm_exp(to_compute<ACC_T>(x[c]) - m);
        s = mlxsm_allreduce(s, false, scratch);
        for (long long c = threadIdx.x; c < cols; c += blockDim.x) y[c] = from_compute<IN_T>(mlxsm_exp(to_compute<ACC_T>(x[c]) - m) / s);
    }
}

// out has one element per row; cols == 0 gives -inf (the empty sum's log).
extern "C" __global__ void logsumexp_rows(const IN_T* in, IN_T* out, long long rows, long long cols) {
    __shared__ ACC_T scratch[32];
    for (long long row = blockIdx.x; row < rows; row += gridDim.x) {
        const IN_T* x = in + row * cols;
        ACC_T m = mlxsm_ninf((ACC_T) 0);
        for (long long c = threadIdx.x; c < cols; c += blockDim.x) m = mlxsm_max(m, to_compute<ACC_T>(x[c]));
        m = mlxsm_allreduce(m, true, scratch);
        if (!mlxsm_finite(m)) { // uniform across the block, so the early continue keeps barriers matched
            if (threadIdx.x == 0) out[row] = from_compute<IN_T>(m);
            continue;
        }
        ACC_T s = (ACC_T) 0;
        for (long long c = threadIdx.x; c < cols; c += blockDim.x) s += mlxsm_exp(to_compute<ACC_T>(x[c]) - m);
        s = mlxsm_allreduce(s, false, scratch);
        if (threadIdx.x == 0) out[row] = from_compute<IN_T>(m + mlxsm_log(s));
    }
}

// centre: 1 for the layer norm (subtract the mean), 0 for the RMS norm; uniform across the grid.
extern "C" __global__ void norm_rows(const IN_T* in, IN_T* out, long long rows, long long cols, int centre, double eps) {
    __shared__ ACC_T scratch[32];
    for (long long row = blockIdx.x; row < rows; row += gridDim.x) {
        const IN_T* x = in + row * cols;
        IN_T* y = out + row * cols;
        ACC_T mean = (ACC_T) 0;
        if (centre) {
            ACC_T s = (ACC_T) 0;
            for (long long c = threadIdx.x; c < cols; c += blockDim.x) s += to_compute<ACC_T>(x[c]);
            mean = mlxsm_allreduce(s, false, scratch) / (ACC_T) cols;
        }
        ACC_T ss = (ACC_T) 0;
        for (long long c = threadIdx.x; c < cols; c += blockDim.x) {
            const ACC_T d = to_compute<ACC_T>(x[c]) - mean;
            ss += d * d;
        }
        ss = mlxsm_allreduce(ss, false, scratch);
        const ACC_T scale = (ACC_T) 1 / sqrt(ss / (ACC_T) cols + (ACC_T) eps);
        for (long long c = threadIdx.x; c < cols; c += blockDim.x) y[c] = from_compute<IN_T>((to_compute<ACC_T>(x[c]) - mean) * scale);
    }
}

// out[i] = in[layout_offset(l, i)] for i < n: a strided view made dense (row-major).
extern "C" __global__ void softmax_gather(const IN_T* in, Layout l, IN_T* out, long long n) {
    MLX_GRID_LOOP(i, n) out[i] = in[layout_offset(l, i)];
}
