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

// Dense input whose address, like the output's, is aligned to a vector: MLX_UVEC elements per
// 16-byte load, then the tail of fewer than MLX_UVEC elements one by one.
#define MLX_UVEC ((int) (16 / sizeof(IN_T)))
extern "C" __global__ void unary_vec(const IN_T* __restrict__ in, OUT_T* __restrict__ out, long long n) {
    typedef mlx_vec<IN_T, MLX_UVEC> vin;
    typedef mlx_vec<OUT_T, MLX_UVEC> vout;
    const long long nv = n / MLX_UVEC;
    MLX_GRID_LOOP(v, nv) {
        const vin a = reinterpret_cast<const vin*>(in)[v];
        vout o;
#pragma unroll
        for (int k = 0; k < MLX_UVEC; ++k) o.v[k] = unary_elem(a.v[k]);
        reinterpret_cast<vout*>(out)[v] = o;
    }
    MLX_GRID_LOOP(t, n - nv * MLX_UVEC) {
        const long long i = nv * MLX_UVEC + t;
        out[i] = unary_elem(in[i]);
    }
}
