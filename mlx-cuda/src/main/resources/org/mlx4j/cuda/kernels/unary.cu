// Element-wise unary ops: out = OP(in), converted through COMPUTE_T.
// Defines: IN_T, OUT_T (element types), COMPUTE_T (float, double or long long), OP (e.g. op_exp),
// OUT_BOOL (1 when OUT_T is the bool type). Outputs are dense.

__device__ __forceinline__ OUT_T unary_elem(IN_T x) {
    return mlx_store<OUT_T>(OP(to_compute<COMPUTE_T>(x)));
}

// Dense input.
extern "C" __global__ void unary_contig(const IN_T* __restrict__ in, OUT_T* __restrict__ out, long long n) {
    MLX_GRID_LOOP(i, n) { out[i] = unary_elem(in[i]); }
}

// Strided input (a view); lin walks it in row-major order of the output.
extern "C" __global__ void unary_strided(const IN_T* __restrict__ in, Layout lin, OUT_T* __restrict__ out, long long n) {
    MLX_GRID_LOOP(i, n) { out[i] = unary_elem(in[layout_offset(lin, i)]); }
}
