// The element-wise ops of mlx4j, one device function per UnaryOp / BinaryOp constant:
//   template <typename C> C op_<name>(C x)        (unary)
//   template <typename C> C op_<name>(C a, C b)   (binary)
// C is the compute type: float (float16/bfloat16/float32 data), double (float64) or long long
// (integers and bool). Each op mirrors the CPU backend (ScalarMath, CpuElementwise): NaN rules,
// integer division by zero -> 0, Python-style remainder, Java's pow special cases, round half to even.
// Predicates and comparisons return 1 or 0 in C; mlx_store turns that into the bool output.
// Needs common.cuh pasted before it; includes nothing.

#ifndef OUT_BOOL
#define OUT_BOOL 0
#endif

// ---------------------------------------------------------------- type traits (no <type_traits> here)

template <typename A, typename B> struct mlx_same { static constexpr bool value = false; };
template <typename A> struct mlx_same<A, A> { static constexpr bool value = true; };

template <typename T> struct mlx_is_float { static constexpr bool value = false; };
template <> struct mlx_is_float<float> { static constexpr bool value = true; };
template <> struct mlx_is_float<double> { static constexpr bool value = true; };
template <> struct mlx_is_float<mlx_half> { static constexpr bool value = true; };
template <> struct mlx_is_float<mlx_bfloat> { static constexpr bool value = true; };

#define MLX_F32(C) (mlx_same<C, float>::value)
#define MLX_F64(C) (mlx_same<C, double>::value)

// ---------------------------------------------------------------- conversions

// Java's (long) cast of a double: NaN -> 0, saturating at the long range (the CPU's float -> integer rule).
__device__ __forceinline__ long long mlx_f2ll(double d) {
    if (d != d) return 0;
    if (d >= 9.223372036854775807e18) return 0x7fffffffffffffffLL;
    if (d <= -9.223372036854775808e18) return (long long) 0x8000000000000000ULL;
    return (long long) d;
}

template <typename C> __device__ __forceinline__ C mlx_nan() {
    if constexpr (MLX_F32(C)) return __int_as_float(0x7fc00000);
    else return __longlong_as_double(0x7ff8000000000000LL);
}

// The output element from a compute value, as the CPU's Elem.setDouble/setLong write it:
// bool is "nonzero" (OUT_BOOL, because mlx_bool and unsigned char are one C type), floats truncate
// into integers through Java's long cast, integers wrap, integers reach floating outputs via double.
template <typename O, typename C> __device__ __forceinline__ O mlx_store(C c) {
#if OUT_BOOL
    return (O) (c != (C) 0 ? 1 : 0);
#else
    if constexpr (!mlx_is_float<O>::value && mlx_is_float<C>::value) {
        return (O) mlx_f2ll((double) c);
    } else if constexpr (!mlx_is_float<O>::value) {
        return (O) c;
    } else if constexpr (!mlx_is_float<C>::value) {
        return from_compute<O, double>((double) c);
    } else {
        return from_compute<O, C>(c);
    }
#endif
}

// Wrapping long arithmetic (Java's), without C's signed-overflow undefined behaviour.
__device__ __forceinline__ long long mlx_wadd(long long a, long long b) { return (long long) ((unsigned long long) a + (unsigned long long) b); }
__device__ __forceinline__ long long mlx_wsub(long long a, long long b) { return (long long) ((unsigned long long) a - (unsigned long long) b); }
__device__ __forceinline__ long long mlx_wmul(long long a, long long b) { return (long long) ((unsigned long long) a * (unsigned long long) b); }

// An integer-typed op that the CPU computes through double (its generic path), truncated back.
#define MLX_VIA_DOUBLE1(name, x) mlx_f2ll(name<double>((double) (x)))
#define MLX_VIA_DOUBLE2(name, a, b) mlx_f2ll(name<double>((double) (a), (double) (b)))

// ---------------------------------------------------------------- erf / erfinv

#define MLX_TWO_OVER_SQRT_PI 1.1283791670955126

// ScalarMath.erfF32: Maclaurin series below 0.5, the Chebyshev fit of erfc above (float32 accuracy).
__device__ __forceinline__ float mlx_erf_f32(float x) {
    if (x != x) return x;
    float ax = fabsf(x);
    if (ax < 0.5f) {
        float x2 = x * x;
        return (float) MLX_TWO_OVER_SQRT_PI * x
                * (1.0f + x2 * (-1.0f / 3 + x2 * (1.0f / 10 + x2 * (-1.0f / 42 + x2 * (1.0f / 216 - x2 / 1320)))));
    }
    if (ax > 6.0f) return copysignf(1.0f, x);
    float t = 1.0f / (1.0f + 0.5f * ax);
    float erfc = t * expf(-ax * ax - 1.26551223f + t * (1.00002368f + t * (0.37409196f + t * (0.09678418f + t * (-0.18628806f
            + t * (0.27886807f + t * (-1.13520398f + t * (1.48851587f + t * (-0.82215223f + t * 0.17087277f)))))))));
    return copysignf(1.0f - erfc, x);
}

// ScalarMath.erfinvF32 (Giles' single-precision polynomials).
__device__ __forceinline__ float mlx_erfinv_f32(float x) {
    if (x != x || x < -1.0f || x > 1.0f) return __int_as_float(0x7fc00000);
    if (x == 1.0f || x == -1.0f) return copysignf(__int_as_float(0x7f800000), x);
    float w = -logf((1.0f - x) * (1.0f + x));
    float p;
    if (w < 5.0f) {
        w -= 2.5f;
        p = 2.81022636e-08f;
        p = 3.43273939e-07f + p * w;
        p = -3.5233877e-06f + p * w;
        p = -4.39150654e-06f + p * w;
        p = 0.00021858087f + p * w;
        p = -0.00125372503f + p * w;
        p = -0.00417768164f + p * w;
        p = 0.246640727f + p * w;
        p = 1.50140941f + p * w;
    } else {
        w = sqrtf(w) - 3.0f;
        p = -0.000200214257f;
        p = 0.000100950558f + p * w;
        p = 0.00134934322f + p * w;
        p = -0.00367342844f + p * w;
        p = 0.00573950773f + p * w;
        p = -0.0076224613f + p * w;
        p = 0.00943887047f + p * w;
        p = 1.00167406f + p * w;
        p = 2.83297682f + p * w;
    }
    return p * x;
}

// ScalarMath.erf: positive-term series below 2.5, continued fraction (modified Lentz) for erfc above.
__device__ __forceinline__ double mlx_erf_f64(double x) {
    if (x != x) return x;
    double ax = fabs(x);
    if (ax > 6) return copysign(1.0, x);
    if (ax < 2.5) {
        double term = ax, sum = ax, x2 = ax * ax;
        for (int n = 1; n < 200; n++) {
            term *= 2 * x2 / (2 * n + 1);
            sum += term;
            if (term < sum * 1e-17) break;
        }
        return copysign(MLX_TWO_OVER_SQRT_PI * exp(-x2) * sum, x);
    }
    double tiny = 1e-300;
    double f = ax, c = ax, d = 0;
    for (int n = 1; n < 300; n++) {
        double an = n / 2.0;
        d = ax + an * d;
        d = fabs(d) < tiny ? tiny : d;
        c = ax + an / c;
        c = fabs(c) < tiny ? tiny : c;
        d = 1 / d;
        double delta = c * d;
        f *= delta;
        if (fabs(delta - 1) < 1e-16) break;
    }
    double erfc = exp(-ax * ax) / 1.7724538509055159 / f; // sqrt(pi)
    return copysign(1 - erfc, x);
}

// ScalarMath.erfinv: Winitzki's start, four Halley steps on mlx_erf_f64.
__device__ __forceinline__ double mlx_erfinv_f64(double y) {
    if (y != y || y < -1 || y > 1) return __longlong_as_double(0x7ff8000000000000LL);
    if (y == 1) return __longlong_as_double(0x7ff0000000000000LL);
    if (y == -1) return -__longlong_as_double(0x7ff0000000000000LL);
    if (y == 0) return y;
    double a = 0.147;
    double ln = log((1 - y) * (1 + y));
    double t = 2 / (3.141592653589793 * a) + ln / 2;
    double x = copysign(sqrt(sqrt(t * t - ln / a) - t), y);
    for (int i = 0; i < 4; i++) {
        double err = mlx_erf_f64(x) - y;
        double d = MLX_TWO_OVER_SQRT_PI * exp(-x * x);
        if (d == 0) break;
        double step = err / d;
        x -= step / (1 + x * step);
    }
    return x;
}

// ---------------------------------------------------------------- unary ops

// abs, negative, square wrap on integers like Java (abs(MIN) == MIN).
template <typename C> __device__ __forceinline__ C op_abs(C x) {
    if constexpr (MLX_F32(C)) return fabsf(x);
    else if constexpr (MLX_F64(C)) return fabs(x);
    else return x < 0 ? mlx_wsub(0, x) : x;
}

template <typename C> __device__ __forceinline__ C op_negative(C x) {
    if constexpr (mlx_is_float<C>::value) return -x;
    else return mlx_wsub(0, x);
}

// Math.signum: NaN and signed zeros come back as they are.
template <typename C> __device__ __forceinline__ C op_sign(C x) {
    if constexpr (mlx_is_float<C>::value) return x > 0 ? (C) 1 : x < 0 ? (C) -1 : x;
    else return (C) ((x > 0) - (x < 0));
}

template <typename C> __device__ __forceinline__ C op_exp(C x) {
    if constexpr (MLX_F32(C)) return expf(x);
    else if constexpr (MLX_F64(C)) return exp(x);
    else return MLX_VIA_DOUBLE1(op_exp, x);
}

template <typename C> __device__ __forceinline__ C op_expm1(C x) {
    if constexpr (MLX_F32(C)) return expm1f(x);
    else if constexpr (MLX_F64(C)) return expm1(x);
    else return MLX_VIA_DOUBLE1(op_expm1, x);
}

template <typename C> __device__ __forceinline__ C op_log(C x) {
    if constexpr (MLX_F32(C)) return logf(x);
    else if constexpr (MLX_F64(C)) return log(x);
    else return MLX_VIA_DOUBLE1(op_log, x);
}

template <typename C> __device__ __forceinline__ C op_log1p(C x) {
    if constexpr (MLX_F32(C)) return log1pf(x);
    else if constexpr (MLX_F64(C)) return log1p(x);
    else return MLX_VIA_DOUBLE1(op_log1p, x);
}

// float64: the CPU's log(x) / log(2) exactly
template <typename C> __device__ __forceinline__ C op_log2(C x) {
    if constexpr (MLX_F32(C)) return log2f(x);
    else if constexpr (MLX_F64(C)) return log(x) / 0.6931471805599453;
    else return MLX_VIA_DOUBLE1(op_log2, x);
}

template <typename C> __device__ __forceinline__ C op_log10(C x) {
    if constexpr (MLX_F32(C)) return log10f(x);
    else if constexpr (MLX_F64(C)) return log10(x);
    else return MLX_VIA_DOUBLE1(op_log10, x);
}

template <typename C> __device__ __forceinline__ C op_sqrt(C x) {
    if constexpr (MLX_F32(C)) return sqrtf(x);
    else if constexpr (MLX_F64(C)) return sqrt(x);
    else return MLX_VIA_DOUBLE1(op_sqrt, x);
}

// 1 / sqrt(x) as the CPU has it (rsqrtf's approximation would differ by ulps)
template <typename C> __device__ __forceinline__ C op_rsqrt(C x) {
    if constexpr (MLX_F32(C)) return 1.0f / sqrtf(x);
    else if constexpr (MLX_F64(C)) return 1.0 / sqrt(x);
    else return MLX_VIA_DOUBLE1(op_rsqrt, x);
}

template <typename C> __device__ __forceinline__ C op_square(C x) {
    if constexpr (mlx_is_float<C>::value) return x * x;
    else return mlx_wmul(x, x);
}

template <typename C> __device__ __forceinline__ C op_reciprocal(C x) {
    if constexpr (mlx_is_float<C>::value) return (C) 1 / x;
    else return MLX_VIA_DOUBLE1(op_reciprocal, x);
}

template <typename C> __device__ __forceinline__ C op_sin(C x) {
    if constexpr (MLX_F32(C)) return sinf(x);
    else if constexpr (MLX_F64(C)) return sin(x);
    else return MLX_VIA_DOUBLE1(op_sin, x);
}

template <typename C> __device__ __forceinline__ C op_cos(C x) {
    if constexpr (MLX_F32(C)) return cosf(x);
    else if constexpr (MLX_F64(C)) return cos(x);
    else return MLX_VIA_DOUBLE1(op_cos, x);
}

template <typename C> __device__ __forceinline__ C op_tan(C x) {
    if constexpr (MLX_F32(C)) return tanf(x);
    else if constexpr (MLX_F64(C)) return tan(x);
    else return MLX_VIA_DOUBLE1(op_tan, x);
}

template <typename C> __device__ __forceinline__ C op_arcsin(C x) {
    if constexpr (MLX_F32(C)) return asinf(x);
    else if constexpr (MLX_F64(C)) return asin(x);
    else return MLX_VIA_DOUBLE1(op_arcsin, x);
}

template <typename C> __device__ __forceinline__ C op_arccos(C x) {
    if constexpr (MLX_F32(C)) return acosf(x);
    else if constexpr (MLX_F64(C)) return acos(x);
    else return MLX_VIA_DOUBLE1(op_arccos, x);
}

template <typename C> __device__ __forceinline__ C op_arctan(C x) {
    if constexpr (MLX_F32(C)) return atanf(x);
    else if constexpr (MLX_F64(C)) return atan(x);
    else return MLX_VIA_DOUBLE1(op_arctan, x);
}

template <typename C> __device__ __forceinline__ C op_sinh(C x) {
    if constexpr (MLX_F32(C)) return sinhf(x);
    else if constexpr (MLX_F64(C)) return sinh(x);
    else return MLX_VIA_DOUBLE1(op_sinh, x);
}

template <typename C> __device__ __forceinline__ C op_cosh(C x) {
    if constexpr (MLX_F32(C)) return coshf(x);
    else if constexpr (MLX_F64(C)) return cosh(x);
    else return MLX_VIA_DOUBLE1(op_cosh, x);
}

template <typename C> __device__ __forceinline__ C op_tanh(C x) {
    if constexpr (MLX_F32(C)) return tanhf(x);
    else if constexpr (MLX_F64(C)) return tanh(x);
    else return MLX_VIA_DOUBLE1(op_tanh, x);
}

// float64: the CPU's formula. float32: asinhf, because the CPU evaluates the formula in double, where
// x*x does not overflow and small x keeps its digits; asinhf is the closer match in float.
template <typename C> __device__ __forceinline__ C op_arcsinh(C x) {
    if constexpr (MLX_F32(C)) return asinhf(x);
    else if constexpr (MLX_F64(C)) return isinf(x) ? x : copysign(log(fabs(x) + sqrt(x * x + 1)), x);
    else return MLX_VIA_DOUBLE1(op_arcsinh, x);
}

// float32 too through the CPU's formula in double: for x <= about -1e8 it cancels to log(0) = -inf
// where acosh would say NaN, and the CPU's answer is the reference
template <typename C> __device__ __forceinline__ C op_arccosh(C x) {
    if constexpr (MLX_F32(C)) return (float) op_arccosh<double>((double) x);
    else if constexpr (MLX_F64(C)) return log(x + sqrt(x * x - 1));
    else return MLX_VIA_DOUBLE1(op_arccosh, x);
}

template <typename C> __device__ __forceinline__ C op_arctanh(C x) {
    if constexpr (MLX_F32(C)) return atanhf(x);
    else if constexpr (MLX_F64(C)) return 0.5 * log1p(2 * x / (1 - x));
    else return MLX_VIA_DOUBLE1(op_arctanh, x);
}

template <typename C> __device__ __forceinline__ C op_erf(C x) {
    if constexpr (MLX_F32(C)) return mlx_erf_f32(x);
    else if constexpr (MLX_F64(C)) return mlx_erf_f64(x);
    else return MLX_VIA_DOUBLE1(op_erf, x);
}

template <typename C> __device__ __forceinline__ C op_erfinv(C x) {
    if constexpr (MLX_F32(C)) return mlx_erfinv_f32(x);
    else if constexpr (MLX_F64(C)) return mlx_erfinv_f64(x);
    else return MLX_VIA_DOUBLE1(op_erfinv, x);
}

// the stable form: exp of a non-positive argument only
template <typename C> __device__ __forceinline__ C op_sigmoid(C x) {
    if constexpr (MLX_F32(C)) {
        if (x >= 0.0f) return 1.0f / (1.0f + expf(-x));
        float e = expf(x);
        return e / (1.0f + e);
    } else if constexpr (MLX_F64(C)) {
        if (x >= 0.0) return 1.0 / (1.0 + exp(-x));
        double e = exp(x);
        return e / (1.0 + e);
    } else {
        return MLX_VIA_DOUBLE1(op_sigmoid, x);
    }
}

template <typename C> __device__ __forceinline__ C op_floor(C x) {
    if constexpr (MLX_F32(C)) return floorf(x);
    else if constexpr (MLX_F64(C)) return floor(x);
    else return x;
}

template <typename C> __device__ __forceinline__ C op_ceil(C x) {
    if constexpr (MLX_F32(C)) return ceilf(x);
    else if constexpr (MLX_F64(C)) return ceil(x);
    else return x;
}

// Math.rint: halves to even
template <typename C> __device__ __forceinline__ C op_round(C x) {
    if constexpr (MLX_F32(C)) return rintf(x);
    else if constexpr (MLX_F64(C)) return rint(x);
    else return x;
}

template <typename C> __device__ __forceinline__ C op_isnan(C x) {
    if constexpr (mlx_is_float<C>::value) return x != x ? (C) 1 : (C) 0;
    else return 0;
}

template <typename C> __device__ __forceinline__ C op_isinf(C x) {
    if constexpr (MLX_F32(C)) return isinf(x) ? 1.0f : 0.0f;
    else if constexpr (MLX_F64(C)) return isinf(x) ? 1.0 : 0.0;
    else return 0;
}

template <typename C> __device__ __forceinline__ C op_isfinite(C x) {
    if constexpr (MLX_F32(C)) return isfinite(x) ? 1.0f : 0.0f;
    else if constexpr (MLX_F64(C)) return isfinite(x) ? 1.0 : 0.0;
    else return 1;
}

template <typename C> __device__ __forceinline__ C op_logical_not(C x) {
    return x == (C) 0 ? (C) 1 : (C) 0;
}

// floats: ~(long) x as the CPU's generic path (the ops layer rejects floats before this)
template <typename C> __device__ __forceinline__ C op_bitwise_invert(C x) {
    if constexpr (mlx_is_float<C>::value) return (C) (double) ~mlx_f2ll((double) x);
    else return ~x;
}

// ---------------------------------------------------------------- binary ops

template <typename C> __device__ __forceinline__ C op_add(C a, C b) {
    if constexpr (mlx_is_float<C>::value) return a + b;
    else return mlx_wadd(a, b);
}

template <typename C> __device__ __forceinline__ C op_subtract(C a, C b) {
    if constexpr (mlx_is_float<C>::value) return a - b;
    else return mlx_wsub(a, b);
}

template <typename C> __device__ __forceinline__ C op_multiply(C a, C b) {
    if constexpr (mlx_is_float<C>::value) return a * b;
    else return mlx_wmul(a, b);
}

// integers: truncating, x / 0 == 0, MIN / -1 == MIN (Java's wrap, not a trap)
template <typename C> __device__ __forceinline__ C op_divide(C a, C b) {
    if constexpr (mlx_is_float<C>::value) return a / b;
    else return b == 0 ? 0 : b == -1 ? mlx_wsub(0, a) : a / b;
}

// floats: floor(a / b) with the quotient in double, as the CPU computes it (a float quotient can
// round up onto an integer and move the floor). Integers: Math.floorDiv, x // 0 == 0.
template <typename C> __device__ __forceinline__ C op_floor_divide(C a, C b) {
    if constexpr (mlx_is_float<C>::value) {
        return (C) floor((double) a / (double) b);
    } else {
        if (b == 0) return 0;
        if (b == -1) return mlx_wsub(0, a);
        C q = a / b;
        if ((a % b != 0) && ((a < 0) != (b < 0))) q -= 1;
        return q;
    }
}

// Python-style: the result takes the divisor's sign; integers x % 0 == 0.
template <typename C> __device__ __forceinline__ C op_remainder(C a, C b) {
    if constexpr (mlx_is_float<C>::value) {
        C r;
        if constexpr (MLX_F32(C)) r = fmodf(a, b);
        else r = fmod(a, b);
        return r != 0 && ((r < 0) != (b < 0)) ? r + b : r;
    } else {
        if (b == 0 || b == -1) return 0;
        C r = a % b;
        return r != 0 && ((r < 0) != (b < 0)) ? r + b : r;
    }
}

// floats: Java's Math.pow special cases (pow(x, NaN) and pow(+-1, +-inf) are NaN, unlike C's 1).
// integers: repeated squaring with wrap; negative exponents give 0 except for bases 1 and -1.
template <typename C> __device__ __forceinline__ C op_power(C a, C b) {
    if constexpr (mlx_is_float<C>::value) {
        if (b != b) return mlx_nan<C>();
        if constexpr (MLX_F32(C)) {
            if (fabsf(a) == 1.0f && isinf(b)) return mlx_nan<C>();
            return powf(a, b);
        } else {
            if (fabs(a) == 1.0 && isinf(b)) return mlx_nan<C>();
            return pow(a, b);
        }
    } else {
        if (b < 0) return a == 1 ? 1 : a == -1 ? ((b & 1) == 0 ? 1 : -1) : 0;
        C r = 1, base = a, e = b;
        while (e > 0) {
            if (e & 1) r = mlx_wmul(r, base);
            base = mlx_wmul(base, base);
            e >>= 1;
        }
        return r;
    }
}

// NaN if either is NaN; +0 beats -0 (Math.max)
template <typename C> __device__ __forceinline__ C op_maximum(C a, C b) {
    if constexpr (mlx_is_float<C>::value) {
        if (a != a || b != b) return mlx_nan<C>();
        if (a == b) return signbit(a) ? b : a;
        return a > b ? a : b;
    } else {
        return a > b ? a : b;
    }
}

// NaN if either is NaN; -0 beats +0 (Math.min)
template <typename C> __device__ __forceinline__ C op_minimum(C a, C b) {
    if constexpr (mlx_is_float<C>::value) {
        if (a != a || b != b) return mlx_nan<C>();
        if (a == b) return signbit(a) ? a : b;
        return a < b ? a : b;
    } else {
        return a < b ? a : b;
    }
}

template <typename C> __device__ __forceinline__ C op_logaddexp(C a, C b) {
    if constexpr (mlx_is_float<C>::value) {
        if (isinf(a) && a < 0) return b;
        if (isinf(b) && b < 0) return a;
        C m = op_maximum(a, b);
        if constexpr (MLX_F32(C)) return m + log1pf(expf(-fabsf(a - b)));
        else return m + log1p(exp(-fabs(a - b)));
    } else {
        return MLX_VIA_DOUBLE2(op_logaddexp, a, b);
    }
}

template <typename C> __device__ __forceinline__ C op_arctan2(C a, C b) {
    if constexpr (MLX_F32(C)) return atan2f(a, b);
    else if constexpr (MLX_F64(C)) return atan2(a, b);
    else return MLX_VIA_DOUBLE2(op_arctan2, a, b);
}

template <typename C> __device__ __forceinline__ C op_equal(C a, C b) { return a == b ? (C) 1 : (C) 0; }
template <typename C> __device__ __forceinline__ C op_not_equal(C a, C b) { return a != b ? (C) 1 : (C) 0; }
template <typename C> __device__ __forceinline__ C op_less(C a, C b) { return a < b ? (C) 1 : (C) 0; }
template <typename C> __device__ __forceinline__ C op_less_equal(C a, C b) { return a <= b ? (C) 1 : (C) 0; }
template <typename C> __device__ __forceinline__ C op_greater(C a, C b) { return a > b ? (C) 1 : (C) 0; }
template <typename C> __device__ __forceinline__ C op_greater_equal(C a, C b) { return a >= b ? (C) 1 : (C) 0; }
template <typename C> __device__ __forceinline__ C op_logical_and(C a, C b) { return a != (C) 0 && b != (C) 0 ? (C) 1 : (C) 0; }
template <typename C> __device__ __forceinline__ C op_logical_or(C a, C b) { return a != (C) 0 || b != (C) 0 ? (C) 1 : (C) 0; }

// Bitwise ops and shifts on 64-bit values (inputs are sign- or zero-extended, outputs wrap back).
// Floats go through Java's long cast as the CPU's generic path does (the ops layer rejects them).
template <typename C> __device__ __forceinline__ C op_bitwise_and(C a, C b) {
    if constexpr (mlx_is_float<C>::value) return (C) (double) (mlx_f2ll((double) a) & mlx_f2ll((double) b));
    else return a & b;
}

template <typename C> __device__ __forceinline__ C op_bitwise_or(C a, C b) {
    if constexpr (mlx_is_float<C>::value) return (C) (double) (mlx_f2ll((double) a) | mlx_f2ll((double) b));
    else return a | b;
}

template <typename C> __device__ __forceinline__ C op_bitwise_xor(C a, C b) {
    if constexpr (mlx_is_float<C>::value) return (C) (double) (mlx_f2ll((double) a) ^ mlx_f2ll((double) b));
    else return a ^ b;
}

// shifts of 64 or more, or negative, give 0 (left) or the sign fill (right), not C's undefined result
template <typename C> __device__ __forceinline__ C op_left_shift(C a, C b) {
    if constexpr (mlx_is_float<C>::value) {
        return (C) (double) op_left_shift<long long>(mlx_f2ll((double) a), mlx_f2ll((double) b));
    } else {
        return b >= 64 || b < 0 ? 0 : (C) ((unsigned long long) a << b);
    }
}

template <typename C> __device__ __forceinline__ C op_right_shift(C a, C b) {
    if constexpr (mlx_is_float<C>::value) {
        return (C) (double) op_right_shift<long long>(mlx_f2ll((double) a), mlx_f2ll((double) b));
    } else {
        return b >= 64 || b < 0 ? (a < 0 ? -1 : 0) : a >> b;
    }
}

// ---------------------------------------------------------------- compile check

#ifdef MLX_OPS_CHECK
// Instantiates every op for every compute type, so the build-time nvcc test compiles all of them in
// one translation unit (the catalog's kernels instantiate one op each). Never launched.
template <typename C> __device__ void mlx_ops_check_all(const C* in, C* out) {
    C x = in[0], y = in[1];
    int k = 0;
#define MLX_CHECK1(name) out[k++] = name<C>(x);
#define MLX_CHECK2(name) out[k++] = name<C>(x, y);
    MLX_CHECK1(op_abs) MLX_CHECK1(op_negative) MLX_CHECK1(op_sign) MLX_CHECK1(op_exp) MLX_CHECK1(op_expm1)
    MLX_CHECK1(op_log) MLX_CHECK1(op_log1p) MLX_CHECK1(op_log2) MLX_CHECK1(op_log10) MLX_CHECK1(op_sqrt)
    MLX_CHECK1(op_rsqrt) MLX_CHECK1(op_square) MLX_CHECK1(op_reciprocal) MLX_CHECK1(op_sin) MLX_CHECK1(op_cos)
    MLX_CHECK1(op_tan) MLX_CHECK1(op_arcsin) MLX_CHECK1(op_arccos) MLX_CHECK1(op_arctan) MLX_CHECK1(op_sinh)
    MLX_CHECK1(op_cosh) MLX_CHECK1(op_tanh) MLX_CHECK1(op_arcsinh) MLX_CHECK1(op_arccosh) MLX_CHECK1(op_arctanh)
    MLX_CHECK1(op_erf) MLX_CHECK1(op_erfinv) MLX_CHECK1(op_sigmoid) MLX_CHECK1(op_floor) MLX_CHECK1(op_ceil)
    MLX_CHECK1(op_round) MLX_CHECK1(op_isnan) MLX_CHECK1(op_isinf) MLX_CHECK1(op_isfinite) MLX_CHECK1(op_logical_not)
    MLX_CHECK1(op_bitwise_invert)
    MLX_CHECK2(op_add) MLX_CHECK2(op_subtract) MLX_CHECK2(op_multiply) MLX_CHECK2(op_divide) MLX_CHECK2(op_floor_divide)
    MLX_CHECK2(op_remainder) MLX_CHECK2(op_power) MLX_CHECK2(op_maximum) MLX_CHECK2(op_minimum) MLX_CHECK2(op_logaddexp)
    MLX_CHECK2(op_arctan2) MLX_CHECK2(op_equal) MLX_CHECK2(op_not_equal) MLX_CHECK2(op_less) MLX_CHECK2(op_less_equal)
    MLX_CHECK2(op_greater) MLX_CHECK2(op_greater_equal) MLX_CHECK2(op_logical_and) MLX_CHECK2(op_logical_or)
    MLX_CHECK2(op_bitwise_and) MLX_CHECK2(op_bitwise_or) MLX_CHECK2(op_bitwise_xor) MLX_CHECK2(op_left_shift)
    MLX_CHECK2(op_right_shift)
#undef MLX_CHECK1
#undef MLX_CHECK2
}

extern "C" __global__ void mlx_ops_check(const float* f, float* fo, const double* d, double* dout, const long long* l, long long* lo) {
    mlx_ops_check_all<float>(f, fo);
    mlx_ops_check_all<double>(d, dout);
    mlx_ops_check_all<long long>(l, lo);
}
#endif
