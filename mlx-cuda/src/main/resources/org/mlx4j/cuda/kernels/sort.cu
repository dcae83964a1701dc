// Sort, ArgSort and ArgPartition along one axis. A line of up to 2048 elements: one block per line, a
// bitonic sort in shared memory of (key, index) pairs, padded to a power of two `padded` (sort_rows).
// A longer line: sort_tiles sorts each tile of `tile` (2048) elements the same way into global (key, index)
// scratch, merge_pass merges neighbouring sorted runs of `width` into the other scratch pair (one pass per
// doubling of the run, each element placed by a binary search in its partner run), and sort_gather writes
// the output from the final pairs.
// Keys are unsigned integers whose order is the values' ascending order with NaN last (every NaN equal);
// ties break by index, so the sort is stable (the CPU's argsort, and a valid argpartition).
// ArgSort keys treat -0 as +0 (the CPU adds 0.0 before comparing); Sort keys order -0 before +0, as
// Java's Arrays.sort does, and Sort writes the input values themselves in the sorted order.
// Line `row` (row-major over every axis but the sorted one) reads in[layout_offset(lines, row) + i * stride];
// the dense output is written at (row / inner) * len * inner + row % inner + i * inner.
//
// Defines (from ReductionKernels.sort/argSort): IN_T (element type), KEY_T (unsigned int, or unsigned long
// long for 64-bit types), OUT_T (IN_T for Sort, unsigned int for indices), ARGSORT (1: write indices).
// Entries: sort_rows, sort_tiles (dynamic shared memory padded (or tile) * (sizeof(KEY_T) + 4) bytes),
// merge_pass, sort_gather.

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

// Sorts padded (a power of two) (key, index) pairs in shared memory by key, then index, with the whole block.
__device__ __forceinline__ void mlxso_bitonic(KEY_T* keys, int* idx, int padded) {
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
}

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
        mlxso_bitonic(keys, idx, padded);
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

extern "C" __global__ void sort_tiles(const IN_T* in, Layout lines, long long len, long long stride, KEY_T* keys_out, int* idx_out,
                                      long long rows, int tile) {
    extern __shared__ unsigned long long mlxso_smem[];
    KEY_T* keys = (KEY_T*) mlxso_smem;
    int* idx = (int*) (keys + tile);
    const long long tiles = (len + tile - 1) / tile;
    for (long long b = blockIdx.x; b < rows * tiles; b += gridDim.x) {
        const long long row = b / tiles, t0 = (b % tiles) * tile;
        const long long ib = layout_offset(lines, row);
        const long long n = len - t0 < tile ? len - t0 : tile;
        for (int i = threadIdx.x; i < tile; i += blockDim.x) {
            // padding: the largest key with an index past the tile's elements, so it sorts after them
            keys[i] = i < n ? (KEY_T) mlxso_key(in[ib + (t0 + i) * stride]) : (KEY_T) ~(KEY_T) 0;
            idx[i] = (int) (t0 + i);
        }
        __syncthreads();
        mlxso_bitonic(keys, idx, tile);
        for (int i = threadIdx.x; i < n; i += blockDim.x) {
            keys_out[row * len + t0 + i] = keys[i];
            idx_out[row * len + t0 + i] = idx[i];
        }
        __syncthreads(); // keys/idx are reused by the next tile
    }
}

// One merge pass over every line: runs [r*width, (r+1)*width) are sorted; run 2m and run 2m+1 merge into
// [2m*width, (2m+2)*width). An element's place is its rank in its own run plus the number of partner
// elements before it; (key, index) pairs are all distinct, so the two counts never collide and ties keep
// index order (stable).
extern "C" __global__ void merge_pass(const KEY_T* keys_in, const int* idx_in, KEY_T* keys_out, int* idx_out, long long len,
                                      long long rows, long long width) {
    const long long total = rows * len;
    for (long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x; e < total; e += (long long) gridDim.x * blockDim.x) {
        const long long row = e / len, pos = e % len, base = row * len;
        const long long run = pos / width, start = run * width, partner = (run ^ 1) * width;
        const KEY_T k = keys_in[e];
        const int ix = idx_in[e];
        if (partner >= len) { // the last run has no partner in this pass
            keys_out[e] = k;
            idx_out[e] = ix;
            continue;
        }
        long long lo = partner, hi = partner + width < len ? partner + width : len;
        while (lo < hi) {
            const long long mid = (lo + hi) >> 1;
            const KEY_T km = keys_in[base + mid];
            if (km < k || (km == k && idx_in[base + mid] < ix)) lo = mid + 1;
            else hi = mid;
        }
        const long long dst = (start < partner ? start : partner) + (pos - start) + (lo - partner);
        keys_out[base + dst] = k;
        idx_out[base + dst] = ix;
    }
}

extern "C" __global__ void sort_gather(const IN_T* in, Layout lines, long long len, long long stride, const int* idx, OUT_T* out,
                                       long long inner, long long rows) {
    const long long total = rows * len;
    for (long long e = (long long) blockIdx.x * blockDim.x + threadIdx.x; e < total; e += (long long) gridDim.x * blockDim.x) {
        const long long row = e / len, i = e % len;
        const long long ob = (row / inner) * len * inner + row % inner;
#if ARGSORT
        out[ob + i * inner] = (OUT_T) idx[e];
#else
        out[ob + i * inner] = in[layout_offset(lines, row) + (long long) idx[e] * stride];
#endif
    }
}
