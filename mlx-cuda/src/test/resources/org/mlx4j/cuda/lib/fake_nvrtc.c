/* A stand-in for libnvrtc built by the tests: the nvrtc.h signatures, no compiler behind them.
 * Compiling a source that contains "#error" fails with a log; otherwise the "PTX" is a text naming the
 * program and its options, and the "CUBIN" is "CUBIN:" followed by the --gpu-architecture value. */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>

typedef struct { char *src; char *name; char *log; char *image; size_t image_size; int compiled; } prog_t;
typedef prog_t *nvrtcProgram;
int fake_live_programs = 0;

int nvrtcVersion(int *major, int *minor) { *major = 13; *minor = 0; return 0; }
const char *nvrtcGetErrorString(int r) {
    switch (r) {
        case 0: return "NVRTC_SUCCESS";
        case 3: return "NVRTC_ERROR_INVALID_INPUT";
        case 4: return "NVRTC_ERROR_INVALID_PROGRAM";
        case 6: return "NVRTC_ERROR_COMPILATION";
        default: return "NVRTC_ERROR_UNKNOWN";
    }
}
static const int archs[] = {75, 80, 86, 89, 90, 100, 120};
int nvrtcGetNumSupportedArchs(int *n) { *n = 7; return 0; }
int nvrtcGetSupportedArchs(int *a) { memcpy(a, archs, sizeof archs); return 0; }

int nvrtcCreateProgram(nvrtcProgram *prog, const char *src, const char *name, int numHeaders,
                       const char *const *headers, const char *const *includeNames) {
    if (!prog || !src || numHeaders != 0 || headers || includeNames) return 3;
    prog_t *p = calloc(1, sizeof *p);
    p->src = strdup(src);
    p->name = strdup(name ? name : "(null)");
    *prog = p;
    fake_live_programs++;
    return 0;
}

int nvrtcCompileProgram(nvrtcProgram p, int numOptions, const char *const *options) {
    if (!p) return 4;
    if (strstr(p->src, "#error")) {
        p->log = strdup("fake.cu(1): error: boom\n1 error detected");
        return 6;
    }
    char buf[4096];
    const char *arch = "";
    int at = snprintf(buf, sizeof buf, "// PTX of %s:", p->name);
    for (int i = 0; i < numOptions; i++) {
        at += snprintf(buf + at, sizeof buf - at, " %s", options[i]);
        if (strncmp(options[i], "--gpu-architecture=", 19) == 0) arch = options[i] + 19;
    }
    p->log = strdup("");
    p->image = strdup(buf);
    p->image_size = strlen(buf) + 1; /* like NVRTC: the size counts the NUL */
    p->compiled = 1;
    /* remember the arch for the cubin */
    char *cub = malloc(64);
    snprintf(cub, 64, "CUBIN:%s", arch);
    free(p->name);
    p->name = cub;
    return 0;
}

int nvrtcGetProgramLogSize(nvrtcProgram p, size_t *n) { *n = p->log ? strlen(p->log) + 1 : 1; return 0; }
int nvrtcGetProgramLog(nvrtcProgram p, char *out) { strcpy(out, p->log ? p->log : ""); return 0; }
int nvrtcGetPTXSize(nvrtcProgram p, size_t *n) { if (!p->compiled) return 4; *n = p->image_size; return 0; }
int nvrtcGetPTX(nvrtcProgram p, char *out) { memcpy(out, p->image, p->image_size); return 0; }
int nvrtcGetCUBINSize(nvrtcProgram p, size_t *n) { if (!p->compiled) return 4; *n = strlen(p->name); return 0; }
int nvrtcGetCUBIN(nvrtcProgram p, char *out) { memcpy(out, p->name, strlen(p->name)); return 0; }

int nvrtcDestroyProgram(nvrtcProgram *prog) {
    if (!prog || !*prog) return 4;
    prog_t *p = *prog;
    free(p->src); free(p->name); free(p->log); free(p->image); free(p);
    *prog = NULL;
    fake_live_programs--;
    return 0;
}
int fake_live(void) { return fake_live_programs; }
