// where(c, x, y): x's element where c is nonzero, else y's; elements are copied, never converted.
// Defines: ELEM_T (the element type of x, y and out; not "T", which would rename common.cuh's template parameters). Outputs are dense.

// Each input dense (step 1) or a broadcast scalar (step 0).
extern "C" __global__ void where_contig(const mlx_bool* __restrict__ c, long long sc, const ELEM_T* __restrict__ x, long long sx,
                                        const ELEM_T* __restrict__ y, long long sy, ELEM_T* __restrict__ out, long long n) {
    MLX_GRID_LOOP(i, n) { out[i] = c[i * sc] != 0 ? x[i * sx] : y[i * sy]; }
}

// Strided inputs; the three layouts share the output's (simplified) shape.
extern "C" __global__ void where_strided(const mlx_bool* __restrict__ c, Layout lc, const ELEM_T* __restrict__ x, Layout lx,
                                         const ELEM_T* __restrict__ y, Layout ly, ELEM_T* __restrict__ out, long long n) {
    MLX_GRID_LOOP(i, n) { out[i] = c[layout_offset(lc, i)] != 0 ? x[layout_offset(lx, i)] : y[layout_offset(ly, i)]; }
}
