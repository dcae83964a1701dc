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

// As binary_contig (steps 0 or 1), with the dense operands and the output aligned to a vector:
// MLX_BVEC elements per 16-byte load of each dense operand, a broadcast scalar read once.
#define MLX_BVEC ((int) (16 / sizeof(IN_T)))
extern "C" __global__ void binary_vec(const IN_T* __restrict__ a, long long sa, const IN_T* __restrict__ b, long long sb,
                                      OUT_T* __restrict__ out, long long n) {
    typedef mlx_vec<IN_T, MLX_BVEC> vin;
    typedef mlx_vec<OUT_T, MLX_BVEC> vout;
    const long long nv = n / MLX_BVEC;
    MLX_GRID_LOOP(v, nv) {
        vin va, vb;
        if (sa) va = reinterpret_cast<const vin*>(a)[v];
        else
#pragma unroll
            for (int k = 0; k < MLX_BVEC; ++k) va.v[k] = a[0];
        if (sb) vb = reinterpret_cast<const vin*>(b)[v];
        else
#pragma unroll
            for (int k = 0; k < MLX_BVEC; ++k) vb.v[k] = b[0];
        vout o;
#pragma unroll
        for (int k = 0; k < MLX_BVEC; ++k) o.v[k] = binary_elem(va.v[k], vb.v[k]);
        reinterpret_cast<vout*>(out)[v] = o;
    }
    MLX_GRID_LOOP(t, n - nv * MLX_BVEC) {
        const long long i = nv * MLX_BVEC + t;
        out[i] = binary_elem(a[i * sa], b[i * sb]);
    }
}
