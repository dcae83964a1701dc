/* A stand-in for libcublasLt built by the tests, with the cublasLt.h signatures. Its "device" is host
 * memory: cublasLtMatmul computes D = alpha op(A) op(B) + beta C column-major on the CPU from what
 * the descriptors say, so the test checks that the Java side sets every attribute it must. Attribute
 * setters check the value sizes the header documents and refuse unknown attributes, as cuBLASLt does. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum { OK = 0, NOT_INITIALIZED = 1, INVALID_VALUE = 7, NOT_SUPPORTED = 15 };
typedef struct { int compute, scale, transa, transb; } desc_t;
typedef struct { int type; uint64_t rows, cols; int64_t ld; int32_t batch; int64_t stride; } layout_t;
typedef struct { uint64_t ws; uint32_t align[4]; } pref_t;
typedef struct { uint64_t data[8]; } algo_t;
typedef struct { algo_t algo; size_t workspaceSize; int state; float wavesCount; int reserved[4]; } heur_t;

int live = 0;            /* descriptors alive */
int matmuls = 0;
int fail_heuristic = 0;  /* set by the test to make the heuristic find nothing */
uint32_t last_align[4];
uint64_t last_ws;

int cublasLtCreate(void **h) { *h = malloc(8); return OK; }
int cublasLtDestroy(void *h) { free(h); return OK; }
size_t cublasLtGetVersion(void) { return 130100; }
const char *cublasLtGetStatusName(int s) {
    switch (s) {
        case 0: return "CUBLAS_STATUS_SUCCESS";
        case 7: return "CUBLAS_STATUS_INVALID_VALUE";
        case 15: return "CUBLAS_STATUS_NOT_SUPPORTED";
        default: return "CUBLAS_STATUS_UNKNOWN";
    }
}

int cublasLtMatmulDescCreate(desc_t **d, int computeType, int scaleType) {
    *d = calloc(1, sizeof **d);
    (*d)->compute = computeType; (*d)->scale = scaleType;
    live++;
    return OK;
}
int cublasLtMatmulDescDestroy(desc_t *d) { free(d); live--; return OK; }
int cublasLtMatmulDescSetAttribute(desc_t *d, int attr, const void *buf, size_t size) {
    if (attr == 3 && size == 4) { d->transa = *(const int32_t *) buf; return OK; }
    if (attr == 4 && size == 4) { d->transb = *(const int32_t *) buf; return OK; }
    return INVALID_VALUE;
}

int cublasLtMatrixLayoutCreate(layout_t **l, int type, uint64_t rows, uint64_t cols, int64_t ld) {
    if (ld < (int64_t) rows) return INVALID_VALUE;
    *l = calloc(1, sizeof **l);
    (*l)->type = type; (*l)->rows = rows; (*l)->cols = cols; (*l)->ld = ld; (*l)->batch = 1;
    live++;
    return OK;
}
int cublasLtMatrixLayoutDestroy(layout_t *l) { free(l); live--; return OK; }
int cublasLtMatrixLayoutSetAttribute(layout_t *l, int attr, const void *buf, size_t size) {
    if (attr == 5 && size == 4) { l->batch = *(const int32_t *) buf; return OK; }
    if (attr == 6 && size == 8) { l->stride = *(const int64_t *) buf; return OK; }
    return INVALID_VALUE;
}

int cublasLtMatmulPreferenceCreate(pref_t **p) { *p = calloc(1, sizeof **p); live++; return OK; }
int cublasLtMatmulPreferenceDestroy(pref_t *p) { free(p); live--; return OK; }
int cublasLtMatmulPreferenceSetAttribute(pref_t *p, int attr, const void *buf, size_t size) {
    if (attr == 1 && size == 8) { p->ws = *(const uint64_t *) buf; return OK; }
    if (attr >= 5 && attr <= 8 && size == 4) { p->align[attr - 5] = *(const uint32_t *) buf; return OK; }
    return INVALID_VALUE;
}

int cublasLtMatmulAlgoGetHeuristic(void *h, desc_t *d, layout_t *a, layout_t *b, layout_t *c, layout_t *dd,
                                   pref_t *pref, int requested, heur_t *results, int *returned) {
    if (!h) return NOT_INITIALIZED;
    if (requested <= 0) return INVALID_VALUE;
    memcpy(last_align, pref->align, sizeof last_align);
    last_ws = pref->ws;
    if (fail_heuristic) { *returned = 0; return OK; }
    /* two results: the first unusable, so the caller must look at state */
    memset(results, 0, sizeof(heur_t) * (requested < 2 ? requested : 2));
    results[0].state = NOT_SUPPORTED;
    if (requested >= 2) {
        for (int i = 0; i < 8; i++) results[1].algo.data[i] = 0xA160000 + i;
        results[1].workspaceSize = 0;
        results[1].state = OK;
        *returned = 2;
    } else {
        *returned = 1;
    }
    return OK;
}

static double get(int type, const void *p, int64_t i) {
    switch (type) {
        case 0: return ((const float *) p)[i];
        case 1: return ((const double *) p)[i];
        default: return 0;
    }
}
static void put(int type, void *p, int64_t i, double v) {
    if (type == 0) ((float *) p)[i] = (float) v; else ((double *) p)[i] = v;
}

int cublasLtMatmul(void *h, desc_t *d, const void *alpha, const void *A, layout_t *la, const void *B, layout_t *lb,
                   const void *beta, const void *C, layout_t *lc, void *D, layout_t *ld, const algo_t *algo,
                   void *ws, size_t wsBytes, void *stream) {
    if (!h || !algo || algo->data[0] != 0xA160000 || algo->data[7] != 0xA160007) return INVALID_VALUE;
    if (la->type != lb->type || la->type != lc->type || ld != lc || D != C) return NOT_SUPPORTED;
    if (la->type != 0 && la->type != 1) return NOT_SUPPORTED;
    /* the scale type decides how alpha and beta are read */
    double al = d->scale == 1 ? *(const double *) alpha : *(const float *) alpha;
    double be = d->scale == 1 ? *(const double *) beta : *(const float *) beta;
    uint64_t m = lc->rows, n = lc->cols;
    uint64_t k = d->transa ? la->rows : la->cols;
    if ((d->transa ? la->cols : la->rows) != m || (d->transb ? lb->rows : lb->cols) != n
        || (d->transb ? lb->cols : lb->rows) != k) return INVALID_VALUE;
    if (la->batch != lc->batch || lb->batch != lc->batch) return INVALID_VALUE;
    for (int32_t q = 0; q < lc->batch; q++) {
        for (uint64_t i = 0; i < m; i++) {
            for (uint64_t j = 0; j < n; j++) {
                double s = 0;
                for (uint64_t p = 0; p < k; p++) {
                    double x = d->transa ? get(la->type, A, q * la->stride + i * la->ld + p) : get(la->type, A, q * la->stride + p * la->ld + i);
                    double y = d->transb ? get(lb->type, B, q * lb->stride + p * lb->ld + j) : get(lb->type, B, q * lb->stride + j * lb->ld + p);
                    s += x * y;
                }
                int64_t at = q * lc->stride + j * lc->ld + i;
                double c = be == 0 ? 0 : get(lc->type, C, at);
                put(lc->type, D, at, al * s + be * c);
            }
        }
    }
    matmuls++;
    return OK;
}

int fake_live(void) { return live; }
int fake_matmuls(void) { return matmuls; }
void fake_fail_heuristic(int on) { fail_heuristic = on; }
uint32_t fake_align(int i) { return last_align[i]; }
uint64_t fake_ws(void) { return last_ws; }
