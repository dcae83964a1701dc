// Indexing kernels: gather and scatter along an axis, the shuffle permutation table, a strided copy.
// Mirrors CpuIndexing / CpuRandom.shuffle. One of three modes is #defined by the Java side:
//
//   MLX_IDX_MOVE  elements move as raw bits: ELEM_T is an unsigned type of the element's size,
//                 IDX_T the index C type. Entries: mlx_gather, mlx_scatter_winner,
//                 mlx_scatter_write, mlx_strided_copy.
//   MLX_IDX_ADD   scatter-add: ELEM_T is the element C type, COMPUTE_T its compute type, IDX_T the
//                 index C type, MLX_IDX_BOOL set for bool. Entry: mlx_scatter_add.
//   MLX_IDX_RANK  the shuffle's permutation table from uint32 sort keys. Entry: mlx_shuffle_table.
//
// Gather and scatter walk the index array's shape (which is the output's for gather and the
// updates' for scatter). The Java side passes, for that shape, the layout of the indexed array with
// its axis stride set to 0 plus that axis stride separately, so element i's address is
// layout_offset(il, i) + index * axisStride; layouts of one walk are simplified together.

// Negative indices count from the end; anything still outside [0, d) is clamped (CpuIndexing.clamp).
__device__ __forceinline__ long long idx_clamp(long long v, long long d) {
    if (v < 0) v += d;
    return v < 0 ? 0 : (v >= d ? d - 1 : v);
}

#if defined(MLX_IDX_MOVE)

// out[i] = x[..., clamp(idx[..., i_axis, ...]), ...] over the output's n elements (dense).
extern "C" __global__ void mlx_gather(ELEM_T* out, const ELEM_T* x, const IDX_T* idx, long long n,
                                      Layout xl, Layout il, long long xAxisStride, long long axisSize) {
    MLX_GRID_LOOP(i, n) {
        long long v = idx_clamp((long long) idx[layout_offset(il, i)], axisSize);
        out[i] = x[layout_offset(xl, i) + v * xAxisStride];
    }
}

// Scatter (replace), pass 1: per target element, the largest j + 1 of the updates that hit it, so
// that pass 2 lets exactly the update with the largest j win (the CPU walks j in order). `win` is
// dense over the output and zeroed before. j is update element i's position along the axis:
// (i / post) % m.
extern "C" __global__ void mlx_scatter_winner(unsigned int* win, const IDX_T* idx, long long n,
                                              Layout ol, Layout il, long long oAxisStride, long long axisSize,
                                              long long m, long long post) {
    MLX_GRID_LOOP(i, n) {
        long long v = idx_clamp((long long) idx[layout_offset(il, i)], axisSize);
        long long t = layout_offset(ol, i) + v * oAxisStride;
        atomicMax(win + t, (unsigned int) ((i / post) % m + 1));
    }
}

// Scatter (replace), pass 2: the winning update of each target writes it. `out` is dense (a copy
// of x), so a target's offset is also its index into `win`.
extern "C" __global__ void mlx_scatter_write(ELEM_T* out, const ELEM_T* upd, const IDX_T* idx, const unsigned int* win,
                                             long long n, Layout ol, Layout il, Layout ul, long long oAxisStride,
                                             long long axisSize, long long m, long long post) {
    MLX_GRID_LOOP(i, n) {
        long long v = idx_clamp((long long) idx[layout_offset(il, i)], axisSize);
        long long t = layout_offset(ol, i) + v * oAxisStride;
        if (win[t] == (unsigned int) ((i / post) % m + 1)) out[t] = upd[layout_offset(ul, i)];
    }
}

// Dense copy of a strided view: out[i] = x[layout_offset(xl, i)].
extern "C" __global__ void mlx_strided_copy(ELEM_T* out, const ELEM_T* x, long long n, Layout xl) {
    MLX_GRID_LOOP(i, n) {
        out[i] = x[layout_offset(xl, i)];
    }
}

#elif defined(MLX_IDX_ADD)

// Atomic out += u. float, double and the 32/64-bit integers have hardware atomics (integer adds
// wrap, like the CPU's C-style casts); the 1- and 2-byte types update their containing aligned
// 32-bit word with compare-and-swap, computing like the CPU: in COMPUTE_T, then converted back
// (bool: nonzero is true; float16/bfloat16: the float sum, rounded once, as the CPU's exact double
// sum rounded to float is the same number).
__device__ __forceinline__ void idx_atomic_add(float* p, float u) { atomicAdd(p, u); }
__device__ __forceinline__ void idx_atomic_add(double* p, double u) { atomicAdd(p, u); }
__device__ __forceinline__ void idx_atomic_add(int* p, int u) { atomicAdd(p, u); }
__device__ __forceinline__ void idx_atomic_add(unsigned int* p, unsigned int u) { atomicAdd(p, u); }
__device__ __forceinline__ void idx_atomic_add(long long* p, long long u) {
    atomicAdd((unsigned long long*) p, (unsigned long long) u);
}

// Back from COMPUTE_T: common.cuh's from_compute, except that unsigned char is both mlx_bool and
// uint8 there (and converts as bool), so MLX_IDX_BOOL marks bool and uint8 wraps like a C cast.
template <typename T> __device__ __forceinline__ T idx_narrow(COMPUTE_T c) { return from_compute<T>(c); }
#if defined(MLX_IDX_BOOL)
template <> __device__ __forceinline__ unsigned char idx_narrow<unsigned char>(COMPUTE_T c) { return c != 0 ? 1 : 0; }
#else
template <> __device__ __forceinline__ unsigned char idx_narrow<unsigned char>(COMPUTE_T c) { return (unsigned char) c; }
#endif

template <int N> struct idx_bits;
template <> struct idx_bits<1> { typedef unsigned char type; };
template <> struct idx_bits<2> { typedef unsigned short type; };

template <typename T> __device__ __forceinline__ void idx_atomic_add(T* p, T u) {
    typedef typename idx_bits<sizeof(T)>::type B;
    unsigned long long addr = (unsigned long long) p;
    unsigned int* word = (unsigned int*) (addr & ~3ull);
    unsigned int shift = (unsigned int) (addr & 3ull) * 8u;
    unsigned int mask = (unsigned int) (B) ~(B) 0 << shift;
    COMPUTE_T cu = to_compute<COMPUTE_T>(u);
    unsigned int old = *word, assumed;
    do {
        assumed = old;
        B cb = (B) ((assumed & mask) >> shift);
        T cur = *reinterpret_cast<T*>(&cb);
        T nv = idx_narrow<T>(to_compute<COMPUTE_T>(cur) + cu);
        B nb = *reinterpret_cast<B*>(&nv);
        old = atomicCAS(word, assumed, (assumed & ~mask) | ((unsigned int) nb << shift));
    } while (old != assumed);
}

// Scatter-add over the updates' n elements into the dense output (a copy of x).
extern "C" __global__ void mlx_scatter_add(ELEM_T* out, const ELEM_T* upd, const IDX_T* idx, long long n,
                                           Layout ol, Layout il, Layout ul, long long oAxisStride, long long axisSize) {
    MLX_GRID_LOOP(i, n) {
        long long v = idx_clamp((long long) idx[layout_offset(il, i)], axisSize);
        idx_atomic_add(out + layout_offset(ol, i) + v * oAxisStride, upd[layout_offset(ul, i)]);
    }
}

#elif defined(MLX_IDX_RANK)

#define IDX_RANK_TILE 256

// The permutation of a shuffle as a source-row table. rank[i] = #{j : key[j] < key[i] or
// (key[j] == key[i] and j < i)} is i's position in the stable argsort (CpuRandom.argsortUint32), so
// perm[rank[i]] = i. Forward (out[r] = x[perm[r]]) stores table[rank[i]] = i; inverse
// (out[perm[i]] = x[i], i.e. out[r] = x[rank[r]]) stores table[i] = rank[i]. O(n^2) compares,
// tiled through shared memory; launch with blockDim.x == IDX_RANK_TILE.
extern "C" __global__ void mlx_shuffle_table(int* table, const unsigned int* keys, long long keyStride, long long n,
                                             int inverse) {
    __shared__ unsigned int tile[IDX_RANK_TILE];
    // every thread of a block runs the same number of iterations, so the barriers are uniform
    for (long long base = (long long) blockIdx.x * blockDim.x; base < n; base += (long long) blockDim.x * gridDim.x) {
        long long i = base + threadIdx.x;
        unsigned int ki = i < n ? keys[i * keyStride] : 0u;
        long long rank = 0;
        for (long long t0 = 0; t0 < n; t0 += blockDim.x) {
            __syncthreads();
            long long jj = t0 + threadIdx.x;
            if (jj < n) tile[threadIdx.x] = keys[jj * keyStride];
            __syncthreads();
            long long lim = n - t0 < (long long) blockDim.x ? n - t0 : (long long) blockDim.x;
            if (i < n) {
                for (long long q = 0; q < lim; q++) {
                    unsigned int kj = tile[q];
                    rank += (kj < ki || (kj == ki && t0 + q < i)) ? 1 : 0;
                }
            }
        }
        if (i < n) {
            if (inverse) table[i] = (int) rank;
            else table[rank] = (int) i;
        }
    }
}

#else
#error "gather.cu: define MLX_IDX_MOVE, MLX_IDX_ADD or MLX_IDX_RANK"
#endif
