/*
 * Mesh GEMM, CPE side, SUMMA style: CPE (r, c) gets its blocks A[r][c] (MB x KB), B[r][c]
 * (KB x NB) and C[r][c] (MB x NB) by strided DMA; in step s the CPEs of column s broadcast their A
 * block along their rows and the CPEs of row s broadcast their B block down their columns, and
 * every CPE accumulates A[r][s] * B[s][c] into 4 x 4 doublev4 registers with vmad; C goes back by
 * DMA.
 */
#include "swatop_athread.h"
#include "gemm.h"

#define AV (MB * KB / 4) /* doublev4 words of an A block */
#define BV (KB * NB / 4) /* doublev4 words of a B block */

void summa(void *arg)
{
    const gemm_params_t *p = arg;
    const int row = _ROW, col = _COL;
    volatile int got = 0, put = 0;
    double *a = ldm_malloc(MB * KB * sizeof(double));
    double *b = ldm_malloc(KB * NB * sizeof(double));
    double *c = ldm_malloc(MB * NB * sizeof(double));
    double *a_step = ldm_malloc(MB * KB * sizeof(double));
    double *b_step = ldm_malloc(KB * NB * sizeof(double));

    athread_get(PE_MODE, p->a + col * KB * M + row * MB, a, MB * KB * sizeof(double), &got, 0, (M - MB) * sizeof(double), MB * sizeof(double));
    athread_get(PE_MODE, p->b + col * NB * K + row * KB, b, KB * NB * sizeof(double), &got, 0, (K - KB) * sizeof(double), KB * sizeof(double));
    athread_get(PE_MODE, p->c + col * NB * M + row * MB, c, MB * NB * sizeof(double), &got, 0, (M - MB) * sizeof(double), MB * sizeof(double));
    swatop_dma_wait(&got, 3);

    doublev4 acc[MB / 4][NB];
    for (int j = 0; j < NB; j++) {
        for (int i = 0; i < MB / 4; i++) {
            simd_load(acc[i][j], c + j * MB + i * 4);
        }
    }

    for (int s = 0; s < 8; s++) {
        for (int v = 0; v < AV; v++) {
            doublev4 w;
            if (col == s) {
                simd_load(w, a + v * 4);
                simd_putr(w, 8);
            } else {
                w = simd_getr(w);
            }

            simd_store(w, a_step + v * 4);
        }

        for (int v = 0; v < BV; v++) {
            doublev4 w;
            if (row == s) {
                simd_load(w, b + v * 4);
                simd_putc(w, 8);
            } else {
                w = simd_getc(w);
            }

            simd_store(w, b_step + v * 4);
        }

        for (int kk = 0; kk < KB; kk++) {
            for (int j = 0; j < NB; j++) {
                doublev4 bj;
                simd_loade(bj, b_step + j * KB + kk);
                for (int i = 0; i < MB / 4; i++) {
                    doublev4 ai;
                    simd_load(ai, a_step + kk * MB + i * 4);
                    acc[i][j] = simd_vmad(ai, bj, acc[i][j]);
                }
            }
        }
    }

    SWATOP_COUNT_MESH_GEMM(M, N, K);
    for (int j = 0; j < NB; j++) {
        for (int i = 0; i < MB / 4; i++) {
            simd_store(acc[i][j], c + j * MB + i * 4);
        }
    }

    athread_put(PE_MODE, c, p->c + col * NB * M + row * MB, MB * NB * sizeof(double), &put, (M - MB) * sizeof(double), MB * sizeof(double));
    swatop_dma_wait(&put, 1);
    ldm_free(b_step, KB * NB * sizeof(double));
    ldm_free(a_step, MB * KB * sizeof(double));
    ldm_free(c, MB * NB * sizeof(double));
    ldm_free(b, KB * NB * sizeof(double));
    ldm_free(a, MB * KB * sizeof(double));
}
