// Shared by every mlx4j kernel: element types, conversions, the strided-layout walk.
// Pasted (not #included) before each family, so it must not include anything: NVRTC has no
// system headers. Every kernel computes in COMPUTE_T (float for float16/bfloat16/float32, double for
// float64, long long for integers and bool) and converts on load and store.

#define MLX_MAX_DIMS 8

typedef unsigned char mlx_bool;

// float16 and bfloat16 as bit patterns in structs, so overloads can tell them apart without cuda_fp16.h.
struct mlx_half { unsigned short bits; };
struct mlx_bfloat { unsigned short bits; };

__device__ __forceinline__ float mlx_half_to_float(mlx_half h) {
    float f;
    asm("{ cvt.f32.f16 %0, %1; }" : "=f"(f) : "h"(h.bits));
    return f;
}

__device__ __forceinline__ mlx_half mlx_float_to_half(float f) {
    mlx_half h;
    asm("{ cvt.rn.f16.f32 %0, %1; }" : "=h"(h.bits) : "f"(f));
    return h;
}

__device__ __forceinline__ float mlx_bfloat_to_float(mlx_bfloat b) {
    return __int_as_float(((unsigned int) b.bits) << 16);
}

// round to nearest even, NaN stays NaN (the CPU backend's rule)
__device__ __forceinline__ mlx_bfloat mlx_float_to_bfloat(float f) {
    unsigned int u = __float_as_uint(f);
    mlx_bfloat b;
    if ((u & 0x7fffffffu) > 0x7f800000u) {
        b.bits = (unsigned short) ((u >> 16) | 0x40u);
    } else {
        b.bits = (unsigned short) ((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);
    }
    return b;
}

// Compile-time type tests (no <type_traits> under NVRTC).
template <typename X> struct mlx_fp_type { static const bool value = false; };
template <> struct mlx_fp_type<float> { static const bool value = true; };
template <> struct mlx_fp_type<double> { static const bool value = true; };

// Java's (long) cast of a double, the CPU's float -> integer rule: NaN -> 0, saturating at the long
// range (a C cast of NaN or of an out-of-range value is undefined).
__device__ __forceinline__ long long mlx_java_long(double d) {
    if (d != d) return 0;
    if (d >= 9.223372036854775807e18) return 0x7fffffffffffffffLL;
    if (d <= -9.223372036854775808e18) return (long long) 0x8000000000000000ULL;
    return (long long) d;
}

// to_compute<C>(x): an element as the compute type; from_compute<T>(c): back to the element type.
// Integer outputs from a float compute type go through Java's rule, then wrap to the width.
// Bool outputs are written by families as 0/1 values: mlx_bool and unsigned char are one C type,
// so no conversion here may treat unsigned char as bool (uint8 must wrap).
template <typename C, typename T> __device__ __forceinline__ C to_compute(T x) {
    if constexpr (mlx_fp_type<T>::value && !mlx_fp_type<C>::value) return (C) mlx_java_long((double) x);
    else return (C) x;
}
template <> __device__ __forceinline__ float to_compute<float, mlx_half>(mlx_half x) { return mlx_half_to_float(x); }
template <> __device__ __forceinline__ float to_compute<float, mlx_bfloat>(mlx_bfloat x) { return mlx_bfloat_to_float(x); }
template <> __device__ __forceinline__ double to_compute<double, mlx_half>(mlx_half x) { return mlx_half_to_float(x); }
template <> __device__ __forceinline__ double to_compute<double, mlx_bfloat>(mlx_bfloat x) { return mlx_bfloat_to_float(x); }
template <> __device__ __forceinline__ long long to_compute<long long, mlx_half>(mlx_half x) { return mlx_java_long(mlx_half_to_float(x)); }
template <> __device__ __forceinline__ long long to_compute<long long, mlx_bfloat>(mlx_bfloat x) { return mlx_java_long(mlx_bfloat_to_float(x)); }

template <typename T, typename C> __device__ __forceinline__ T from_compute(C c) {
    if constexpr (mlx_fp_type<C>::value && !mlx_fp_type<T>::value) return (T) mlx_java_long((double) c);
    else return (T) c;
}
template <> __device__ __forceinline__ mlx_half from_compute<mlx_half, float>(float c) { return mlx_float_to_half(c); }
template <> __device__ __forceinline__ mlx_half from_compute<mlx_half, double>(double c) { return mlx_float_to_half((float) c); }
template <> __device__ __forceinline__ mlx_half from_compute<mlx_half, long long>(long long c) { return mlx_float_to_half((float) c); }
template <> __device__ __forceinline__ mlx_bfloat from_compute<mlx_bfloat, float>(float c) { return mlx_float_to_bfloat(c); }
template <> __device__ __forceinline__ mlx_bfloat from_compute<mlx_bfloat, double>(double c) { return mlx_float_to_bfloat((float) c); }
template <> __device__ __forceinline__ mlx_bfloat from_compute<mlx_bfloat, long long>(long long c) { return mlx_float_to_bfloat((float) c); }

// A strided view: shape and element strides, passed by value (17 x 8 bytes; the Java side packs it
// as long[17] in this order). Only the first ndim entries are read.
struct Layout {
    long long ndim;
    long long shape[MLX_MAX_DIMS];
    long long strides[MLX_MAX_DIMS];
};

// Element offset of the i-th element (row-major order over layout.shape).
__device__ __forceinline__ long long layout_offset(const Layout& l, long long i) {
    long long off = 0;
    for (int d = (int) l.ndim - 1; d >= 0; --d) {
        long long n = l.shape[d];
        off += (i % n) * l.strides[d];
        i /= n;
    }
    return off;
}

// Grid-stride loop over n elements with 64-bit indices.
// N consecutive elements moved as one aligned access (16 bytes of the input type: one 128-bit load).
template <typename T, int N> struct alignas(sizeof(T) * N) mlx_vec { T v[N]; };

#define MLX_GRID_LOOP(i, n) \
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (long long) blockDim.x * gridDim.x)
