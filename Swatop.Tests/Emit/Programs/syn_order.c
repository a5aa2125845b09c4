/*
 * athread_syn orders memory. In each of three phases (ARRAY_SCOPE, ROW_SCOPE, COL_SCOPE) every CPE
 * puts a phase-stamped value into its slot of a board in main memory, one CPE of each barrier
 * group late, then passes the barrier and gets its group's slots back (the column's with a strided
 * DMA). A value missing after the barrier is a violation; the program prints their count and
 * fails if there is one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "swatop_athread.h"

typedef struct {
    double *board;    /* [3][64] */
    int *violations;  /* [64] */
} params_t;

static int check(const double *seen, int count, int phase, const int *ids)
{
    int bad = 0;
    for (int i = 0; i < count; i++) {
        bad += seen[i] != phase * 1000 + ids[i];
    }

    return bad;
}

void ordered(void *arg)
{
    const params_t *p = arg;
    const int id = _MYID, row = _ROW, col = _COL;
    double *mine = ldm_malloc(sizeof(double));
    double *seen = ldm_malloc(64 * sizeof(double));
    int *bad = ldm_malloc(sizeof(int));
    int ids[64];
    volatile int reply = 0;
    int issued = 0;
    *bad = 0;

    for (int phase = 0; phase < 3; phase++) {
        int late = phase == 0 ? id == 63 : phase == 1 ? col == 7 : row == 7;
        if (late) {
            usleep(20000);
        }

        *mine = phase * 1000 + id;
        athread_put(PE_MODE, mine, p->board + phase * 64 + id, sizeof(double), &reply, 0, 0);
        swatop_dma_wait(&reply, ++issued);
        if (phase == 0) {
            athread_syn(ARRAY_SCOPE, 0xffff);
            athread_get(PE_MODE, p->board, seen, 64 * sizeof(double), &reply, 0, 0, 0);
            for (int i = 0; i < 64; i++) ids[i] = i;
            swatop_dma_wait(&reply, ++issued);
            *bad += check(seen, 64, phase, ids);
        } else if (phase == 1) {
            athread_syn(ROW_SCOPE, 0xff);
            athread_get(PE_MODE, p->board + 64 + row * 8, seen, 8 * sizeof(double), &reply, 0, 0, 0);
            for (int i = 0; i < 8; i++) ids[i] = row * 8 + i;
            swatop_dma_wait(&reply, ++issued);
            *bad += check(seen, 8, phase, ids);
        } else {
            athread_syn(COL_SCOPE, 0xff);
            athread_get(PE_MODE, p->board + 128 + col, seen, 8 * sizeof(double), &reply, 0, 7 * sizeof(double), sizeof(double));
            for (int i = 0; i < 8; i++) ids[i] = i * 8 + col;
            swatop_dma_wait(&reply, ++issued);
            *bad += check(seen, 8, phase, ids);
        }
    }

    athread_put(PE_MODE, bad, p->violations + id, sizeof(int), &reply, 0, 0);
    swatop_dma_wait(&reply, ++issued);
    ldm_free(bad, sizeof(int));
    ldm_free(seen, 64 * sizeof(double));
    ldm_free(mine, sizeof(double));
}

int main(void)
{
    params_t p = { calloc(3 * 64, sizeof(double)), calloc(64, sizeof(int)) };
    athread_init();
    athread_spawn(ordered, &p);
    athread_join();
    athread_halt();
    int total = 0;
    for (int i = 0; i < 64; i++) total += p.violations[i];
    printf("violations %d\n", total);
    free(p.board);
    free(p.violations);
    return total != 0;
}
