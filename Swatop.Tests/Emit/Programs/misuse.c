/*
 * Breaks one rule of the machine, chosen by the first argument, so the shim must stop it with a
 * message naming the CPE; "none" breaks nothing. The 16 KB of __thread_local data count against
 * every CPE's LDM.
 *
 * usage: misuse VARIANT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "swatop_athread.h"

typedef struct {
    const char *variant;
    double *memory;           /* 1024 doubles of main memory */
    double *volatile shared;  /* an LDM address published by one CPE */
} params_t;

__thread_local double scratch[2048] __attribute__((aligned(32)));

static int is(const params_t *p, const char *variant)
{
    return strcmp(p->variant, variant) == 0;
}

void misuse(void *arg)
{
    params_t *p = arg;
    const int row = _ROW, col = _COL;
    volatile int reply = 0;
    scratch[0] = row;

    if (is(p, "ldm-overflow") && row == 2 && col == 5) {
        void *first = ldm_malloc(40000);
        void *second = ldm_malloc(10000);
        ldm_free(second, 10000);
        ldm_free(first, 40000);
    } else if (is(p, "dma-outside-ldm") && row == 3 && col == 1) {
        athread_get(PE_MODE, p->memory, p->memory + 512, 256, &reply, 0, 0, 0);
    } else if (is(p, "dma-past-buffer") && row == 0 && col == 7) {
        double *local = ldm_malloc(64);
        athread_get(PE_MODE, p->memory, local, 128, &reply, 0, 0, 0);
    } else if (is(p, "dma-other-ldm") && row == 1 && (col == 1 || col == 2)) {
        if (col == 2) {
            p->shared = ldm_malloc(64);
        }

        athread_syn(ROW_SCOPE, 0xff);
        if (col == 1) {
            athread_get(PE_MODE, p->memory, p->shared, 64, &reply, 0, 0, 0);
        }
    } else if (is(p, "dma-other-ldm") && row == 1) {
        athread_syn(ROW_SCOPE, 0xff);
    } else if (is(p, "dma-descriptor") && row == 6 && col == 6) {
        double *local = ldm_malloc(100);
        athread_get(PE_MODE, p->memory, local, 100, &reply, 0, 8, 24);
    } else if (is(p, "wait-never") && row == 7 && col == 0) {
        swatop_dma_wait(&reply, 1);
    } else if (is(p, "bad-free") && row == 5 && col == 5) {
        void *block = ldm_malloc(64);
        ldm_free(block, 32);
    } else if (is(p, "misaligned-simd") && row == 4 && col == 4) {
        double *local = ldm_malloc(8 * sizeof(double));
        doublev4 v;
        simd_load(v, local + 1);
        simd_store(v, local + 4);
    } else if (is(p, "rlc-to-self") && row == 6 && col == 2) {
        simd_putr(simd_set_doublev4(1, 2, 3, 4), 2);
    } else if (is(p, "rlc-unreceived") && row == 5 && col == 0) {
        simd_putr(simd_set_doublev4(1, 2, 3, 4), 1);
    } else if (is(p, "fifo-full") && row == 0 && col == 0) {
        for (int i = 0; i < 5; i++) {
            simd_putr(simd_set_doublev4(i, i, i, i), 1);
        }
    } else if (is(p, "deadlock-get") && row == 2) {
        doublev4 v;
        v = simd_getr(v);
        simd_store(v, scratch);
    } else if (is(p, "deadlock-syn") && row != 0) {
        athread_syn(ARRAY_SCOPE, 0xffff);
    } else if (is(p, "partial-mask") && row == 3 && col == 3) {
        athread_syn(ROW_SCOPE, 0x0f);
    }
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s VARIANT\n", argv[0]);
        return 2;
    }

    params_t p = { argv[1], aligned_alloc(128, 1024 * sizeof(double)), NULL };
    memset(p.memory, 0, 1024 * sizeof(double));
    athread_init();
    if (strcmp(argv[1], "ldm-on-mpe") == 0) {
        ldm_malloc(64);
    }

    athread_spawn(misuse, &p);
    athread_join();
    athread_halt();
    free(p.memory);
    puts("finished");
    return 0;
}
