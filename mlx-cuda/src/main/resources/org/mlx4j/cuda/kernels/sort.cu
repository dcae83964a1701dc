// Sort, ArgSort and ArgPartition along one axis: one block per line, a bitonic sort in shared memory of
// (key, index) pairs, padded to a power of two `padded` <= 2048 (the launcher refuses longer lines).
// Keys are unsigned integers whose order is the values' ascending order with NaN last (every NaN equal);
// ties break by index, so the sort is stable (the CPU's argsort, and a valid argpartition).
// ArgSort keys treat -0 as +0 (the CPU adds 0.0 before comparing); Sort keys order -0 before +0, as
// Java's Arrays.sort does, and Sort writes the input values themselves in the sorted order.
// Line `row` (row-major over every axis but the sorted one) reads in[layout_offset(lines, row) + i * stride];
// the dense output is written at (row / inner) * len * inner + row % inner + i * inner.
//
// Defines (from ReductionKernels.sort/argSort): IN_T (element type), KEY_T (unsigned int, or unsigned long
// long for 64-bit types), OUT_T (IN_T for Sort, unsigned int for indices), ARGSORT (1: write indices).
// Entry: sort_rows; dynamic shared memory padded * (sizeof(KEY_T) + 4) bytes.

__device__ __forceinline__ unsigned int mlxso_key(float v) {
    if (v != v) return 0xffffffffu;
#if ARGSORT
    if (v == 0.0f) v = 0.0f;
#endif
    const unsigned int b = __float_as_uint(v);
    return (b & 0x80000000u) ? ~b : (b | 0x80000000u);
}
__device__ __forceinline__ unsigned long long mlxso_key(double v) {
    if (v != v) return 0xffffffffffffffffULL;
#if ARGSORT
    if (v == 0.0) v = 0.0;
#endif
    const unsigned long long b = (unsigned long long) __double_as_longlong(v);
    return (b & 0x8000000000000000ULL) ? ~b : (b | 0x8000000000000000ULL);
}
__device__ __forceinline__ unsigned int mlxso_key(mlx_half v) { return mlxso_key(mlx_half_to_float(v)); }
__device__ __forceinline__ unsigned int mlxso_key(mlx_bfloat v) { return mlxso_key(mlx_bfloat_to_float(v)); }
__device__ __forceinline__ unsigned int mlxso_key(signed char v) { return ((unsigned int) (int) v) ^ 0x80000000u; }
__device__ __forceinline__ unsigned int mlxso_key(short v) { return ((unsigned int) (int) v) ^ 0x80000000u; }
__device__ __forceinline__ unsigned int mlxso_key(int v) { return ((unsigned int) v) ^ 0x80000000u; }
__device__ __forceinline__ unsigned long long mlxso_key(long long v) { return ((unsigned long long) v) ^ 0x8000000000000000ULL; }
__device__ __forceinline__ unsigned int mlxso_key(unsigned char v) { return v; } // uint8 and bool
__device__ __forceinline__ unsigned int mlxso_key(unsigned int v) { return v; }

extern "C" __global__ void sort_rows(const IN_T* in, Layout lines, long long len, long long stride, OUT_T* out, long long inner,
                                     long long rows, int padded) {
    extern __shared__ unsigned long long mlxso_smem[];
    KEY_T* keys = (KEY_T*) mlxso_smem;
    int* idx = (int*) (keys + padded);
    for (long long row = blockIdx.x; row < rows; row += gridDim.x) {
        const long long ib = layout_offset(lines, row);
        const long long ob = (row / inner) * len * inner + row % inner;
        for (int i = threadIdx.x; i < padded; i += blockDim.x) {
            // padding: the largest key with an index past the line, so it sorts after every element (NaN too)
            keys[i] = i < len ? (KEY_T) mlxso_key(in[ib + i * stride]) : (KEY_T) ~(KEY_T) 0;
            idx[i] = i;
        }
        __syncthreads();
        for (int k = 2; k <= padded; k <<= 1) {
            for (int j = k >> 1; j > 0; j >>= 1) {
                for (int t = threadIdx.x; t < (padded >> 1); t += blockDim.x) {
                    const int a = 2 * j * (t / j) + (t % j); // bit j of a is clear; its partner is a + j
                    const int b = a + j;
                    const KEY_T ka = keys[a], kb = keys[b];
                    const int ia = idx[a], ib2 = idx[b];
                    const bool greater = ka > kb || (ka == kb && ia > ib2);
                    if (greater == ((a & k) == 0)) {
                        keys[a] = kb; keys[b] = ka;
                        idx[a] = ib2; idx[b] = ia;
                    }
                }
                __syncthreads();
            }
        }
        for (int i = threadIdx.x; i < len; i += blockDim.x) {
#if ARGSORT
            out[ob + i * inner] = (OUT_T) idx[i];
#else
            out[ob + i * inner] = in[ib + (long long) idx[i] * stride];
#endif
        }
        __syncthreads(); // keys/idx are reused by the next line
    }
}
