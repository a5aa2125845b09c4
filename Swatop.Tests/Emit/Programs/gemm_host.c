/*
 * Mesh GEMM, MPE side: reads A, B and C (column-major doubles) from a.bin, b.bin and c.bin, runs
 * C += A * B on the 64 CPEs and writes C to c_out.bin.
 */
#include <stdio.h>
#include <stdlib.h>
#include "swatop_athread.h"
#include "gemm.h"

extern void SLAVE_FUN(summa)(void *);

static double *load(const char *path, size_t count)
{
    double *data = aligned_alloc(128, (count * sizeof(double) + 127) / 128 * 128);
    FILE *in = fopen(path, "rb");
    if (data == NULL || in == NULL || fread(data, sizeof(double), count, in) != count) {
        fprintf(stderr, "cannot read %zu doubles from %s\n", count, path);
        exit(1);
    }

    fclose(in);
    return data;
}

int main(void)
{
    gemm_params_t p = { load("a.bin", M * K), load("b.bin", K * N), load("c.bin", M * N) };
    athread_init();
    athread_spawn(summa, &p);
    athread_join();
    athread_halt();
    FILE *out = fopen("c_out.bin", "wb");
    if (out == NULL || fwrite(p.c, sizeof(double), M * N, out) != M * N || fclose(out) != 0) {
        fprintf(stderr, "cannot write c_out.bin\n");
        return 1;
    }

    free(p.a);
    free(p.b);
    free(p.c);
    return 0;
}
