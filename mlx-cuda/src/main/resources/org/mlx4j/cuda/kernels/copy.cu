// Copies with an optional dtype conversion (AsType, Copy, layout changes).
// Defines: IN_T, OUT_T, COMPUTE_T (the input's compute type), OUT_BOOL, SAME_TYPE (1 when IN_T is
// OUT_T: the bits are copied unchanged, NaN payloads included).
// Conversion rules are the CPU's: to bool is "nonzero", floats truncate into integers through Java's
// long cast (NaN -> 0, saturating, then wrapping), integers wrap, integers reach floats via double.

__device__ __forceinline__ OUT_T copy_elem(IN_T x) {
#if SAME_TYPE
    return x;
#else
    return mlx_store<OUT_T>(to_compute<COMPUTE_T>(x));
#endif
}

// Dense input, dense output.
extern "C" __global__ void copy_contig(const IN_T* __restrict__ in, OUT_T* __restrict__ out, long long n) {
    MLX_GRID_LOOP(i, n) { out[i] = copy_elem(in[i]); }
}

// Strided input, dense output.
extern "C" __global__ void copy_strided(const IN_T* __restrict__ in, Layout lin, OUT_T* __restrict__ out, long long n) {
    MLX_GRID_LOOP(i, n) { out[i] = copy_elem(in[layout_offset(lin, i)]); }
}

// Strided input into a strided view of an existing buffer (Concatenate, SliceUpdate): element i of
// the row-major walk goes from in[lin(i)] to out[lout(i)]; the two layouts cover the same elements.
extern "C" __global__ void copy_to_strided(const IN_T* __restrict__ in, Layout lin, OUT_T* __restrict__ out, Layout lout, long long n) {
    MLX_GRID_LOOP(i, n) { out[layout_offset(lout, i)] = copy_elem(in[layout_offset(lin, i)]); }
}
