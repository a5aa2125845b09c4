/*
 * DMA round trip. Every CPE gets SIZE bytes from its own region of `src` (at OFFSET, in blocks of
 * BSIZE bytes STRIDE bytes apart; BSIZE 0: one block) into an ldm_malloc buffer, inverts every byte
 * into a __thread_local buffer and puts that back to the same places of `dst`, which starts as
 * 0xEE. Writes `dst` to dst.bin for the test to check.
 *
 * usage: dma_round_trip SIZE BSIZE STRIDE OFFSET
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "swatop_athread.h"

#define MAX_SIZE 4096

typedef struct {
    unsigned char *src, *dst;
    int size, bsize, stride, offset;
    long region;
} params_t;

__thread_local unsigned char inverted[MAX_SIZE] __attribute__((aligned(32)));

void round_trip(void *arg)
{
    const params_t *p = arg;
    long at = athread_get_id(-1) * p->region + p->offset;
    volatile int reply = 0;
    unsigned char *local = ldm_malloc((size_t)p->size);
    athread_get(PE_MODE, p->src + at, local, p->size, &reply, 0, p->stride, p->bsize);
    swatop_dma_wait(&reply, 1);
    for (int i = 0; i < p->size; i++) {
        inverted[i] = (unsigned char)~local[i];
    }

    athread_put(PE_MODE, inverted, p->dst + at, p->size, &reply, p->stride, p->bsize);
    swatop_dma_wait(&reply, 2);
    ldm_free(local, (size_t)p->size);
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: %s SIZE BSIZE STRIDE OFFSET\n", argv[0]);
        return 2;
    }

    params_t p = { NULL, NULL, atoi(argv[1]), atoi(argv[2]), atoi(argv[3]), atoi(argv[4]), 0 };
    if (p.size <= 0 || p.size > MAX_SIZE) {
        fprintf(stderr, "SIZE must be 1..%d\n", MAX_SIZE);
        return 2;
    }

    int block = p.bsize > 0 ? p.bsize : p.size;
    long extent = (long)(p.size / block - 1) * (block + p.stride) + block;
    p.region = (p.offset + extent + 127) / 128 * 128;
    size_t total = (size_t)(64 * p.region);
    p.src = aligned_alloc(128, total);
    p.dst = aligned_alloc(128, total);
    for (size_t i = 0; i < total; i++) {
        p.src[i] = (unsigned char)(i * 131 + 17);
    }

    memset(p.dst, 0xEE, total);
    athread_init();
    athread_spawn(round_trip, &p);
    athread_join();
    athread_halt();

    FILE *out = fopen("dst.bin", "wb");
    if (out == NULL || fwrite(p.dst, 1, total, out) != total || fclose(out) != 0) {
        fprintf(stderr, "cannot write dst.bin\n");
        return 1;
    }

    printf("region %ld\n", p.region);
    free(p.src);
    free(p.dst);
    return 0;
}
