// Arithmetic shared by the reduction and scan families, with the CPU's rules: integer sums and
// products wrap like Java's long (no signed-overflow UB), max and min are Java's Math.max/min.
// Pasted after common.cuh.

// Integer sums and products wrap (as the CPU's long arithmetic does) without signed-overflow UB.
__device__ __forceinline__ long long mlxr_add(long long a, long long b) { return (long long) ((unsigned long long) a + (unsigned long long) b); }
__device__ __forceinline__ float mlxr_add(float a, float b) { return a + b; }
__device__ __forceinline__ double mlxr_add(double a, double b) { return a + b; }
__device__ __forceinline__ long long mlxr_mul(long long a, long long b) { return (long long) ((unsigned long long) a * (unsigned long long) b); }
__device__ __forceinline__ float mlxr_mul(float a, float b) { return a * b; }
__device__ __forceinline__ double mlxr_mul(double a, double b) { return a * b; }

// Max and min as Java's Math.max/min (the CPU's rule): NaN wins, and +0 > -0.
__device__ __forceinline__ long long mlxr_max(long long a, long long b) { return a > b ? a : b; }
__device__ __forceinline__ long long mlxr_min(long long a, long long b) { return a < b ? a : b; }
__device__ __forceinline__ float mlxr_max(float a, float b) {
    if (a != a || b != b) return a + b;
    if (a == 0.0f && b == 0.0f) return __int_as_float(__float_as_int(a) & __float_as_int(b));
    return a > b ? a : b;
}
__device__ __forceinline__ float mlxr_min(float a, float b) {
    if (a != a || b != b) return a + b;
    if (a == 0.0f && b == 0.0f) return __int_as_float(__float_as_int(a) | __float_as_int(b));
    return a < b ? a : b;
}
__device__ __forceinline__ double mlxr_max(double a, double b) {
    if (a != a || b != b) return a + b;
    if (a == 0.0 && b == 0.0) return __longlong_as_double(__double_as_longlong(a) & __double_as_longlong(b));
    return a > b ? a : b;
}
__device__ __forceinline__ double mlxr_min(double a, double b) {
    if (a != a || b != b) return a + b;
    if (a == 0.0 && b == 0.0) return __longlong_as_double(__double_as_longlong(a) | __double_as_longlong(b));
    return a < b ? a : b;
}
