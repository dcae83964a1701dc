// Element-wise binary ops: out = OP(a, b), both inputs of one dtype (the op promoted them).
// Defines: IN_T, OUT_T, COMPUTE_T, OP (e.g. op_add), OUT_BOOL (1 for comparisons). Outputs are dense.

__device__ __forceinline__ OUT_T binary_elem(IN_T a, IN_T b) {
    return mlx_store<OUT_T>(OP(to_compute<COMPUTE_T>(a), to_compute<COMPUTE_T>(b)));
}

// Each input dense (step 1) or a broadcast scalar (step 0): element i is a[i * sa].
extern "C" __global__ void binary_contig(const IN_T* __restrict__ a, long long sa, const IN_T* __restrict__ b, long long sb,
                                         OUT_T* __restrict__ out, long long n) {
    MLX_GRID_LOOP(i, n) { out[i] = binary_elem(a[i * sa], b[i * sb]); }
}

// Strided inputs; la and lb share the output's (simplified) shape.
extern "C" __global__ void binary_strided(const IN_T* __restrict__ a, Layout la, const IN_T* __restrict__ b, Layout lb,
                                          OUT_T* __restrict__ out, long long n) {
    MLX_GRID_LOOP(i, n) { out[i] = binary_elem(a[layout_offset(la, i)], b[layout_offset(lb, i)]); }
}
