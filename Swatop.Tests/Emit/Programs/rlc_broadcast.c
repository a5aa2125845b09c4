/*
 * Register communication. Row phase: in row r the CPE of column r broadcasts WORDS words along its
 * row (more than a receive FIFO holds, so it blocks and resumes) and the 7 others receive them.
 * Column phase: in column c the CPE of row 7 - c broadcasts down its column. Ring phase: every CPE
 * sends one word to its right neighbour on the row and one to the CPE below on the column (point to
 * point, wrapping around). Every CPE puts what it received into result.bin: per CPE, WORDS row
 * words, WORDS column words, then the ring's row word and column word, 4 doubles each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "swatop_athread.h"

#define WORDS 6
#define SLOTS (2 * WORDS + 2)

static doublev4 word(double x)
{
    return simd_set_doublev4(x, x + 0.25, -x, x * 3);
}

void broadcast(void *arg)
{
    double *result = arg;
    const int id = _MYID, row = _ROW, col = _COL;
    double *got = ldm_malloc(SLOTS * 4 * sizeof(double));
    memset(got, 0, SLOTS * 4 * sizeof(double));

    for (int i = 0; i < WORDS; i++) {
        doublev4 v = word(row * 100 + i);
        if (col == row) {
            simd_putr(v, 8);
        } else {
            v = simd_getr(v);
            simd_store(v, got + 4 * i);
        }
    }

    for (int i = 0; i < WORDS; i++) {
        doublev4 v = word(1000 + col * 100 + i);
        if (row == 7 - col) {
            simd_putc(v, 8);
        } else {
            v = simd_getc(v);
            simd_store(v, got + 4 * (WORDS + i));
        }
    }

    doublev4 mine = word(5000 + id), received;
    simd_putr(mine, (col + 1) % 8);
    received = simd_getr(received);
    simd_store(received, got + 4 * (2 * WORDS));
    simd_putc(mine, (row + 1) % 8);
    received = simd_getc(received);
    simd_store(received, got + 4 * (2 * WORDS + 1));

    volatile int reply = 0;
    athread_put(PE_MODE, got, result + (size_t)id * SLOTS * 4, SLOTS * 4 * sizeof(double), &reply, 0, 0);
    swatop_dma_wait(&reply, 1);
    ldm_free(got, SLOTS * 4 * sizeof(double));
}

int main(void)
{
    size_t count = 64 * SLOTS * 4;
    double *result = aligned_alloc(128, count * sizeof(double));
    athread_init();
    athread_spawn(broadcast, result);
    athread_join();
    athread_halt();
    FILE *out = fopen("result.bin", "wb");
    if (out == NULL || fwrite(result, sizeof(double), count, out) != count || fclose(out) != 0) {
        fprintf(stderr, "cannot write result.bin\n");
        return 1;
    }

    free(result);
    return 0;
}
