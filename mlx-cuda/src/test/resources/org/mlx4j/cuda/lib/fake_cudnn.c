/* A stand-in for libcudnn.so.9 with the cudnn_graph.h and cudnn_cnn.h signatures. Its "device" is host
 * memory: cudnnConvolutionForward, cudnnConvolutionBackwardData and cudnnConvolutionBackwardFilter compute on the CPU
 * from what the descriptors say (dims, strides, filter format, padding, stride, dilation, groups, mode,
 * alpha and beta), so a descriptor the Java side sets wrongly gives a wrong result in the tests. The
 * heuristics validate the shapes and refuse as cuDNN 9 does (BAD_PARAM 2000, NOT_SUPPORTED 3000). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum {
    OK = 0, NOT_INITIALIZED = 1001, BAD_PARAM = 2000, NOT_SUPPORTED = 3000, INTERNAL_ERROR = 4000,
    EXECUTION_FAILED = 5000,
    LEGACY_BAD_PARAM = 3 /* cuDNN 8's number: the handle tests' setStream refusal uses it */
};
enum { FLOAT = 0, DOUBLE = 1, HALF = 2 };
enum { NCHW = 0, NHWC = 1 };
#define HANDLE ((void *) (uintptr_t) 0x1234)
#define MAXD 8
/* the ranked algorithms the heuristics return: one failing, one wanting a big workspace, one free */
#define ALGO_FAILING 6
#define ALGO_BIG 1
#define ALGO_FREE 0
#define BIG_WORKSPACE ((size_t) 1 << 20)

typedef struct { int kind; int type, nd, dims[MAXD], strides[MAXD]; } tensor_t;
typedef struct { int kind; int type, format, nd, dims[MAXD]; } filter_t;
typedef struct { int kind; int n, pad[MAXD], stride[MAXD], dil[MAXD], mode, compute, groups, math; } conv_t;
typedef struct { int algo, status; float time; size_t memory; int determinism, mathType, reserved[3]; } perf_t;
enum { KIND_TENSOR = 0x7e45, KIND_FILTER = 0xf117, KIND_CONV = 0xc04f };

int live = 0;               /* descriptors alive */
int runs = 0;               /* convolutions computed */
int last_math_set = -1;     /* the last cudnnSetConvolutionMathType value */
int run_math = -1;          /* the math type of the descriptor at the last run */
int run_algo = -1;
void *run_ws = 0;
size_t run_ws_bytes = 0;
size_t free_workspace = 0;  /* what ALGO_FREE asks for (the test raises it to leave no algorithm in the cap) */
int fail_groups = 0;        /* a status cudnnSetConvolutionGroupCount returns instead of success */
int fail_run = 0;           /* a status the convolutions return instead of computing */
void *fake_last_stream = 0;

size_t cudnnGetVersion(void) { return 90102; }
int cudnnCreate(void **h) { *h = HANDLE; return OK; }
int cudnnDestroy(void *h) { return h == HANDLE ? OK : LEGACY_BAD_PARAM; }
int cudnnSetStream(void *h, void *stream) {
    if (stream == (void *) (uintptr_t) 0xdead) return LEGACY_BAD_PARAM;
    fake_last_stream = stream;
    return OK;
}
const char *cudnnGetErrorString(int s) {
    switch (s) {
        case OK: return "CUDNN_STATUS_SUCCESS";
        case LEGACY_BAD_PARAM: case BAD_PARAM: return "CUDNN_STATUS_BAD_PARAM";
        case NOT_INITIALIZED: return "CUDNN_STATUS_NOT_INITIALIZED";
        case NOT_SUPPORTED: return "CUDNN_STATUS_NOT_SUPPORTED";
        case INTERNAL_ERROR: return "CUDNN_STATUS_INTERNAL_ERROR";
        case EXECUTION_FAILED: return "CUDNN_STATUS_EXECUTION_FAILED";
        default: return "CUDNN_STATUS_OTHER";
    }
}

/* ------------------------------------------------------------------ descriptors */

int cudnnCreateTensorDescriptor(tensor_t **d) { *d = calloc(1, sizeof **d); (*d)->kind = KIND_TENSOR; live++; return OK; }
int cudnnDestroyTensorDescriptor(tensor_t *d) {
    if (!d || d->kind != KIND_TENSOR) return BAD_PARAM;
    d->kind = 0; free(d); live--; return OK;
}
int cudnnSetTensorNdDescriptor(tensor_t *d, int type, int nd, const int *dims, const int *strides) {
    if (!d || d->kind != KIND_TENSOR || nd < 3 || nd > MAXD) return BAD_PARAM;
    for (int i = 0; i < nd; i++) if (dims[i] <= 0 || strides[i] <= 0) return BAD_PARAM;
    d->type = type; d->nd = nd;
    memcpy(d->dims, dims, nd * sizeof *dims); memcpy(d->strides, strides, nd * sizeof *strides);
    return OK;
}

int cudnnCreateFilterDescriptor(filter_t **d) { *d = calloc(1, sizeof **d); (*d)->kind = KIND_FILTER; live++; return OK; }
int cudnnDestroyFilterDescriptor(filter_t *d) {
    if (!d || d->kind != KIND_FILTER) return BAD_PARAM;
    d->kind = 0; free(d); live--; return OK;
}
int cudnnSetFilterNdDescriptor(filter_t *d, int type, int format, int nd, const int *dims) {
    if (!d || d->kind != KIND_FILTER || nd < 3 || nd > MAXD || (format != NCHW && format != NHWC)) return BAD_PARAM;
    for (int i = 0; i < nd; i++) if (dims[i] <= 0) return BAD_PARAM;
    d->type = type; d->format = format; d->nd = nd;
    memcpy(d->dims, dims, nd * sizeof *dims);
    return OK;
}

int cudnnCreateConvolutionDescriptor(conv_t **d) {
    *d = calloc(1, sizeof **d); (*d)->kind = KIND_CONV; (*d)->groups = 1; live++; return OK;
}
int cudnnDestroyConvolutionDescriptor(conv_t *d) {
    if (!d || d->kind != KIND_CONV) return BAD_PARAM;
    d->kind = 0; free(d); live--; return OK;
}
int cudnnSetConvolutionNdDescriptor(conv_t *d, int n, const int *pad, const int *stride, const int *dil, int mode, int compute) {
    if (!d || d->kind != KIND_CONV || n < 1 || n > MAXD - 2 || (mode != 0 && mode != 1)) return BAD_PARAM;
    for (int i = 0; i < n; i++) if (pad[i] < 0 || stride[i] < 1 || dil[i] < 1) return BAD_PARAM;
    d->n = n; d->mode = mode; d->compute = compute;
    memcpy(d->pad, pad, n * sizeof *pad); memcpy(d->stride, stride, n * sizeof *stride); memcpy(d->dil, dil, n * sizeof *dil);
    return OK;
}
int cudnnSetConvolutionGroupCount(conv_t *d, int groups) {
    if (fail_groups) return fail_groups;
    if (!d || d->kind != KIND_CONV || groups < 1) return BAD_PARAM;
    d->groups = groups;
    return OK;
}
int cudnnSetConvolutionMathType(conv_t *d, int math) {
    if (!d || d->kind != KIND_CONV || math < 0 || math > 3) return BAD_PARAM;
    d->math = math; last_math_set = math;
    return OK;
}

/* ------------------------------------------------------------------ shapes */

/* Checks x, w, conv, y describe one forward convolution, as cuDNN would. */
static int validate(void *h, const tensor_t *x, const filter_t *w, const conv_t *c, const tensor_t *y) {
    if (h != HANDLE) return NOT_INITIALIZED;
    if (!x || !y || !w || !c || x->kind != KIND_TENSOR || y->kind != KIND_TENSOR || w->kind != KIND_FILTER || c->kind != KIND_CONV)
        return BAD_PARAM;
    if (x->type != w->type || y->type != w->type) return BAD_PARAM;
    if (x->type != FLOAT && x->type != DOUBLE) return NOT_SUPPORTED; /* this fake computes float and double only */
    if (c->compute != (x->type == DOUBLE ? DOUBLE : FLOAT)) return BAD_PARAM;
    int nd = x->nd;
    if (y->nd != nd || w->nd != nd || c->n != nd - 2) return BAD_PARAM;
    int C = x->dims[1], K = w->dims[0], G = c->groups;
    if (C % G || K % G || w->dims[1] != C / G || y->dims[1] != K || y->dims[0] != x->dims[0]) return BAD_PARAM;
    for (int j = 0; j < nd - 2; j++) {
        int span = (w->dims[2 + j] - 1) * c->dil[j] + 1;
        int in = x->dims[2 + j] + 2 * c->pad[j];
        if (in < span || y->dims[2 + j] != (in - span) / c->stride[j] + 1) return BAD_PARAM;
    }
    return OK;
}

static int heuristic(void *h, const tensor_t *x, const filter_t *w, const conv_t *c, const tensor_t *y,
                     int requested, int *returned, perf_t *perf) {
    if (w && w->kind == KIND_FILTER && w->type == HALF) return NOT_SUPPORTED;
    int s = validate(h, x, w, c, y);
    if (s) return s;
    if (requested < 1 || !returned || !perf) return BAD_PARAM;
    memset(perf, 0xff, requested * sizeof *perf); /* only what *returned says is valid */
    perf_t ranked[3] = {
        {ALGO_FAILING, NOT_SUPPORTED, 0.5f, 0, 0, 0, {0}},
        {ALGO_BIG, OK, 1.0f, BIG_WORKSPACE, 1, 2, {0}},
        {ALGO_FREE, OK, 2.0f, 0, 1, 2, {0}},
    };
    ranked[2].memory = free_workspace;
    /* the math type the heuristic pairs with the algorithm: TENSOR_OP_ALLOW_CONVERSION (2), even where
     * FMA was set, so a caller that applies it blindly loses FMA */
    int n = requested < 3 ? requested : 3;
    memcpy(perf, ranked, n * sizeof *perf);
    *returned = n;
    return OK;
}

int cudnnGetConvolutionForwardAlgorithm_v7(void *h, tensor_t *x, filter_t *w, conv_t *c, tensor_t *y,
                                           int requested, int *returned, perf_t *perf) {
    return heuristic(h, x, w, c, y, requested, returned, perf);
}
int cudnnGetConvolutionBackwardDataAlgorithm_v7(void *h, filter_t *w, tensor_t *dy, conv_t *c, tensor_t *dx,
                                                int requested, int *returned, perf_t *perf) {
    return heuristic(h, dx, w, c, dy, requested, returned, perf);
}

/* ------------------------------------------------------------------ the arithmetic */

static double get(int type, const void *p, int64_t i) { return type == DOUBLE ? ((const double *) p)[i] : ((const float *) p)[i]; }
static void put(int type, void *p, int64_t i, double v) {
    if (type == DOUBLE) ((double *) p)[i] = v; else ((float *) p)[i] = (float) v;
}

/* Element offset of filter element (k, c, r...) for its format. */
static int64_t filter_at(const filter_t *w, int k, int c, const int *r) {
    int m = w->nd - 2, cg = w->dims[1];
    int64_t at = k;
    if (w->format == NCHW) {
        at = at * cg + c;
        for (int j = 0; j < m; j++) at = at * w->dims[2 + j] + r[j];
    } else {
        for (int j = 0; j < m; j++) at = at * w->dims[2 + j] + r[j];
        at = at * cg + c;
    }
    return at;
}

/* Steps a multi-index over dims; 0 when it wrapped around. */
static int next(int *idx, const int *dims, int m) {
    for (int j = m - 1; j >= 0; j--) {
        if (++idx[j] < dims[j]) return 1;
        idx[j] = 0;
    }
    return 0;
}

/* Visits every (x element, y element, w element) product of the forward convolution; mode 0
 * (forward) accumulates into y, 1 (backward data) into x, 2 (backward filter) into w. */
static void convolve(int backward, const tensor_t *x, const filter_t *w, const conv_t *c, const tensor_t *y,
                     void *xp, void *wp, void *yp, double alpha) {
    int m = x->nd - 2, G = c->groups, cg = w->dims[1], kg = w->dims[0] / G, type = x->type;
    int o[MAXD], r[MAXD];
    for (int n = 0; n < y->dims[0]; n++) {
        for (int k = 0; k < y->dims[1]; k++) {
            int g = k / kg;
            memset(o, 0, sizeof o);
            do {
                int64_t yat = (int64_t) n * y->strides[0] + (int64_t) k * y->strides[1];
                for (int j = 0; j < m; j++) yat += (int64_t) o[j] * y->strides[2 + j];
                double sum = 0, dy = backward ? get(type, yp, yat) : 0;
                for (int ci = 0; ci < cg; ci++) {
                    memset(r, 0, sizeof r);
                    do {
                        int64_t xat = (int64_t) n * x->strides[0] + (int64_t) (g * cg + ci) * x->strides[1];
                        int inside = 1;
                        for (int j = 0; j < m && inside; j++) {
                            int tap = c->mode == 0 ? w->dims[2 + j] - 1 - r[j] : r[j]; /* CONVOLUTION flips the kernel */
                            int i = o[j] * c->stride[j] - c->pad[j] + tap * c->dil[j];
                            if (i < 0 || i >= x->dims[2 + j]) inside = 0;
                            else xat += (int64_t) i * x->strides[2 + j];
                        }
                        if (!inside) continue;
                        int64_t wat = filter_at(w, k, ci, r);
                        if (backward == 2) put(type, wp, wat, get(type, wp, wat) + alpha * dy * get(type, xp, xat));
                        else if (backward) put(type, xp, xat, get(type, xp, xat) + alpha * dy * get(type, wp, wat));
                        else sum += get(type, xp, xat) * get(type, wp, wat);
                    } while (next(r, w->dims + 2, m));
                }
                if (!backward) put(type, yp, yat, get(type, yp, yat) + alpha * sum);
            } while (next(o, y->dims + 2, m));
        }
    }
}

/* t = beta * t over every element of t (beta 0: overwritten, never read, as cuDNN does). */
static void scale(const tensor_t *t, void *p, double beta) {
    int idx[MAXD] = {0};
    do {
        int64_t at = 0;
        for (int j = 0; j < t->nd; j++) at += (int64_t) idx[j] * t->strides[j];
        put(t->type, p, at, beta == 0 ? 0 : beta * get(t->type, p, at));
    } while (next(idx, t->dims, t->nd));
}

/* The checks both calls share: shapes, the algorithm, its workspace (written to, so it must be memory). */
static int prepare(void *h, const tensor_t *x, const filter_t *w, const conv_t *c, const tensor_t *y, int algo,
                   void *ws, size_t wsBytes, const void *alpha, const void *beta) {
    int s = validate(h, x, w, c, y);
    if (s) return s;
    if (fail_run) return fail_run;
    if (!alpha || !beta) return BAD_PARAM;
    if (algo != ALGO_BIG && algo != ALGO_FREE) return BAD_PARAM;
    size_t need = algo == ALGO_BIG ? BIG_WORKSPACE : free_workspace;
    if (need > 0 && (!ws || wsBytes < need)) return BAD_PARAM;
    if (need > 0) memset(ws, 0x5a, need);
    run_math = c->math; run_algo = algo; run_ws = ws; run_ws_bytes = wsBytes;
    runs++;
    return OK;
}

static double scalar(int type, const void *p) { return type == DOUBLE ? *(const double *) p : *(const float *) p; }

int cudnnConvolutionForward(void *h, const void *alpha, tensor_t *xd, const void *x, filter_t *wd, const void *w,
                            conv_t *cd, int algo, void *ws, size_t wsBytes, const void *beta, tensor_t *yd, void *y) {
    int s = prepare(h, xd, wd, cd, yd, algo, ws, wsBytes, alpha, beta);
    if (s) return s;
    scale(yd, y, scalar(yd->type, beta));
    convolve(0, xd, wd, cd, yd, (void *) x, (void *) w, y, scalar(yd->type, alpha));
    return OK;
}

int cudnnConvolutionBackwardData(void *h, const void *alpha, filter_t *wd, const void *w, tensor_t *dyd, const void *dy,
                                 conv_t *cd, int algo, void *ws, size_t wsBytes, const void *beta, tensor_t *dxd, void *dx) {
    int s = prepare(h, dxd, wd, cd, dyd, algo, ws, wsBytes, alpha, beta);
    if (s) return s;
    scale(dxd, dx, scalar(dxd->type, beta));
    convolve(1, dxd, wd, cd, dyd, dx, (void *) w, (void *) dy, scalar(dxd->type, alpha));
    return OK;
}

int cudnnGetConvolutionBackwardFilterAlgorithm_v7(void *h, tensor_t *x, tensor_t *dy, conv_t *c, filter_t *dw,
                                                  int requested, int *returned, perf_t *perf) {
    return heuristic(h, x, dw, c, dy, requested, returned, perf);
}

int cudnnConvolutionBackwardFilter(void *h, const void *alpha, tensor_t *xd, const void *x, tensor_t *dyd, const void *dy,
                                   conv_t *cd, int algo, void *ws, size_t wsBytes, const void *beta, filter_t *dwd, void *dw) {
    int s = prepare(h, xd, dwd, cd, dyd, algo, ws, wsBytes, alpha, beta);
    if (s) return s;
    int64_t n = 1; /* the filter is packed: beta scales its elements in any order */
    for (int j = 0; j < dwd->nd; j++) n *= dwd->dims[j];
    double b = scalar(dwd->type, beta);
    for (int64_t i = 0; i < n; i++) put(dwd->type, dw, i, b == 0 ? 0 : b * get(dwd->type, dw, i));
    convolve(2, xd, dwd, cd, dyd, (void *) x, dw, (void *) dy, scalar(dwd->type, alpha));
    return OK;
}

/* ------------------------------------------------------------------ probes for the tests */

void *fake_stream(void) { return fake_last_stream; }
int fake_live(void) { return live; }
int fake_runs(void) { return runs; }
int fake_last_math_set(void) { return last_math_set; }
int fake_run_math(void) { return run_math; }
int fake_run_algo(void) { return run_algo; }
void *fake_run_ws(void) { return run_ws; }
size_t fake_run_ws_bytes(void) { return run_ws_bytes; }
void fake_set_free_workspace(size_t bytes) { free_workspace = bytes; }
void fake_fail_groups(int status) { fail_groups = status; }
void fake_fail_run(int status) { fail_run = status; }
void fake_reset(void) {
    runs = 0; last_math_set = run_math = run_algo = -1; run_ws = 0; run_ws_bytes = 0;
    free_workspace = 0; fail_groups = fail_run = 0;
}
