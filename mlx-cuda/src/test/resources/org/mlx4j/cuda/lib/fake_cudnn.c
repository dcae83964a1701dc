/* A stand-in for libcudnn.so.9 with the cudnn_graph.h signatures. */
#include <stddef.h>
#include <stdint.h>
size_t cudnnGetVersion(void) { return 90102; }
int cudnnCreate(void **h) { *h = (void *) (uintptr_t) 0x1234; return 0; }
int cudnnDestroy(void *h) { return h == (void *) (uintptr_t) 0x1234 ? 0 : 3; }
void *fake_last_stream = 0;
int cudnnSetStream(void *h, void *stream) {
    if (stream == (void *) (uintptr_t) 0xdead) return 3; /* CUDNN_STATUS_BAD_PARAM */
    fake_last_stream = stream;
    return 0;
}
const char *cudnnGetErrorString(int s) { return s == 3 ? "CUDNN_STATUS_BAD_PARAM" : "CUDNN_STATUS_OTHER"; }
void *fake_stream(void) { return fake_last_stream; }
