/* A stand-in for libcuda.so.1's cuLaunchKernel (cuda.h signature): it records the function, the
 * launch shape, the stream and the bytes behind each kernel parameter pointer, as the driver copies
 * them during the call. The test says how many parameters of which sizes to copy (fake_expect). */
#include <stdint.h>
#include <string.h>

#define MAXP 64
#define MAXB 160
static void *last_f, *last_stream;
static unsigned last_dims[7];
static unsigned char last_params[MAXP][MAXB];
static int expect_n, expect_sizes[MAXP], launches;

int cuLaunchKernel(void *f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz, unsigned shared,
                   void *stream, void **params, void **extra) {
    if (extra != 0 || params == 0) return 1; /* CUDA_ERROR_INVALID_VALUE */
    last_f = f;
    last_stream = stream;
    unsigned d[7] = {gx, gy, gz, bx, by, bz, shared};
    memcpy(last_dims, d, sizeof d);
    for (int i = 0; i < expect_n && i < MAXP; i++) memcpy(last_params[i], params[i], expect_sizes[i] < MAXB ? expect_sizes[i] : MAXB);
    launches++;
    return 0;
}

void fake_expect(int n, const int *sizes) {
    expect_n = n;
    for (int i = 0; i < n && i < MAXP; i++) expect_sizes[i] = sizes[i];
}
void *fake_function(void) { return last_f; }
void *fake_stream(void) { return last_stream; }
unsigned fake_dim(int i) { return last_dims[i]; }
const unsigned char *fake_param(int i) { return last_params[i]; }
int fake_launches(void) { return launches; }
