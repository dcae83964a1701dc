// im2col for the Convolution primitive (CudaConv): the patch matrix of a chunk of output rows,
// which a GEMM per channel group then multiplies by the weight. ELEM_T is an unsigned type of the
// element's size (patches only move elements; padding and the holes of input dilation are zero
// bits, which is 0.0 in every float format).
//
// Geometry, d = 1..3 spatial axes, passed in Layout structs used as pairs of vectors:
//   xl  the input (N, S_1..S_d, C_in): shape and element strides, NOT simplified (ndim = d + 2)
//   ok  shape = output spatial sizes O_i, strides = kernel sizes K_i            (ndim = d)
//   sp  shape = stride_i,                strides = paddingLo_i (may be negative) (ndim = d)
//   dl  shape = kernelDilation_i,        strides = inputDilation_i              (ndim = d)
//
// patches[g][r][k], r < rows (output rows rowStart + r, row-major over (N, O_1..O_d)),
// k < kvol * cig in the weight's own order (taps row-major over K_1..K_d, then the channel c):
//   padded position p_i = o_i * stride_i + j_i * kernelDilation_i - paddingLo_i, where j is the
//   input tap (K_i - 1 - the weight tap when flipped); it is a real input element when
//   0 <= p_i < (S_i - 1) * inputDilation_i + 1 and p_i % inputDilation_i == 0, then at
//   x[n, p_i / inputDilation_i, g * cig + c].

extern "C" __global__ void mlx_im2col(ELEM_T* patches, const ELEM_T* x, Layout xl, Layout ok, Layout sp, Layout dl,
                                      long long rowStart, long long rows, long long groups, long long cig,
                                      long long kvol, int flip) {
    const long long kdim = kvol * cig;
    const int d = (int) ok.ndim;
    MLX_GRID_LOOP(e, groups * rows * kdim) {
        long long k = e % kdim;
        long long rg = e / kdim;
        long long r = rg % rows;
        long long g = rg / rows;
        long long c = k % cig;
        long long tap = k / cig;
        long long rr = rowStart + r;
        long long off = 0;
        bool inside = true;
        for (int i = d - 1; i >= 0; --i) {
            long long outSize = ok.shape[i], kSize = ok.strides[i];
            long long o = rr % outSize;
            rr /= outSize;
            long long j = tap % kSize;
            tap /= kSize;
            if (flip) j = kSize - 1 - j;
            long long idil = dl.strides[i];
            long long inSize = xl.shape[i + 1];
            long long span = inSize == 0 ? 0 : (inSize - 1) * idil + 1;
            long long p = o * sp.shape[i] + j * dl.shape[i] - sp.strides[i];
            if (p < 0 || p >= span || p % idil != 0) inside = false;
            else off += (p / idil) * xl.strides[i + 1];
        }
        ELEM_T v = (ELEM_T) 0;
        if (inside) v = x[rr * xl.strides[0] + off + (g * cig + c) * xl.strides[d + 1]];
        patches[e] = v;
    }
}
