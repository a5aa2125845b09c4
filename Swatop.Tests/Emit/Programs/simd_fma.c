/*
 * The fused multiply-adds of the SIMD interface: every CPE computes a * b + c on one doublev4 with
 * simd_vmad and on one floatv4 with simd_vmas, from values the MPE reads from fma.bin, and CPE 0's
 * results are written to fma_out.bin (4 doubles, then 4 floats). With -DUSE_VMAD_ON_FLOAT the float
 * vectors go to simd_vmad instead, which the real simd.h, and so the shim, does not allow.
 */
#include <stdio.h>
#include <stdlib.h>
#include "swatop_athread.h"

typedef struct {
    double *d; /* a, b, c: 12 doubles in, 4 out */
    float *f;  /* a, b, c: 12 floats in, 4 out */
} params_t;

void fused(void *arg)
{
    const params_t *p = arg;
    double *d = ldm_malloc(16 * sizeof(double));
    float *f = ldm_malloc(16 * sizeof(float));
    volatile int reply = 0;
    doublev4 da, db, dc;
    floatv4 fa, fb, fc;
    athread_get(PE_MODE, p->d, d, 12 * sizeof(double), (void *)&reply, 0, 0, 0);
    athread_get(PE_MODE, p->f, f, 12 * sizeof(float), (void *)&reply, 0, 0, 0);
    swatop_dma_wait(&reply, 2);
    simd_load(da, d);
    simd_load(db, d + 4);
    simd_load(dc, d + 8);
    simd_load(fa, f);
    simd_load(fb, f + 4);
    simd_load(fc, f + 8);
    dc = simd_vmad(da, db, dc);
#ifdef USE_VMAD_ON_FLOAT
    fc = simd_vmad(fa, fb, fc);
#else
    fc = simd_vmas(fa, fb, fc);
#endif
    simd_store(dc, d + 12);
    simd_store(fc, f + 12);
    if (_MYID == 0) {
        athread_put(PE_MODE, d + 12, p->d + 12, 4 * sizeof(double), (void *)&reply, 0, 0);
        athread_put(PE_MODE, f + 12, p->f + 12, 4 * sizeof(float), (void *)&reply, 0, 0);
        swatop_dma_wait(&reply, 4);
    }

    ldm_free(f, 16 * sizeof(float));
    ldm_free(d, 16 * sizeof(double));
}

extern void SLAVE_FUN(fused)(void *);

int main(void)
{
    static double d[16] __attribute__((aligned(128)));
    static float f[16] __attribute__((aligned(128)));
    params_t p;
    FILE *in = fopen("fma.bin", "rb"), *out;
    if (in == NULL || fread(d, sizeof(double), 12, in) != 12 || fread(f, sizeof(float), 12, in) != 12) {
        fprintf(stderr, "cannot read fma.bin\n");
        return 1;
    }

    fclose(in);
    p.d = d;
    p.f = f;
    athread_init();
    athread_spawn(fused, &p);
    athread_join();
    athread_halt();
    out = fopen("fma_out.bin", "wb");
    if (out == NULL || fwrite(d + 12, sizeof(double), 4, out) != 4 || fwrite(f + 12, sizeof(float), 4, out) != 4 || fclose(out) != 0) {
        fprintf(stderr, "cannot write fma_out.bin\n");
        return 1;
    }

    return 0;
}
