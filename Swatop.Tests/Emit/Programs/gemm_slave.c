/*
 * Mesh GEMM, CPE side, SUMMA style: CPE (r, c) gets its blocks A[r][c] (MB x KB), B[r][c]
 * (KB x NB) and C[r][c] (MB x NB) by strided DMA; in step s, for each 4 x 4 register block of C
 * (16 rows, 4 columns) and reduction index, the CPE of column s broadcasts the block's 4 vectors of
 * its A block along its row and the CPE of row s the block's 4 elements of its B block, each splat,
 * down its column, and every CPE accumulates them into 16 doublev4 registers with vmad; C goes back
 * by DMA. Written independently of the emitted primitive, as the emulator's tallies describe it.
 */
#include "swatop_athread.h"
#include "gemm.h"

void summa(void *arg)
{
    const gemm_params_t *p = arg;
    const int row = _ROW, col = _COL;
    volatile int got = 0, put = 0;
    double *a = ldm_malloc(MB * KB * sizeof(double));
    double *b = ldm_malloc(KB * NB * sizeof(double));
    double *c = ldm_malloc(MB * NB * sizeof(double));

    athread_get(PE_MODE, p->a + col * KB * M + row * MB, a, MB * KB * sizeof(double), &got, 0, (M - MB) * sizeof(double), MB * sizeof(double));
    athread_get(PE_MODE, p->b + col * NB * K + row * KB, b, KB * NB * sizeof(double), &got, 0, (K - KB) * sizeof(double), KB * sizeof(double));
    athread_get(PE_MODE, p->c + col * NB * M + row * MB, c, MB * NB * sizeof(double), &got, 0, (M - MB) * sizeof(double), MB * sizeof(double));
    swatop_dma_wait(&got, 3);

    for (int s = 0; s < 8; s++) {
        for (int j0 = 0; j0 < NB; j0 += 4) {
            for (int i0 = 0; i0 < MB; i0 += 16) {
                doublev4 acc[4][4];
                for (int j = 0; j < 4; j++) {
                    for (int i = 0; i < 4; i++) {
                        simd_load(acc[i][j], c + (j0 + j) * MB + i0 + i * 4);
                    }
                }

                for (int kk = 0; kk < KB; kk++) {
                    doublev4 ai[4], bj[4];
                    for (int i = 0; i < 4; i++) {
                        if (col == s) {
                            simd_load(ai[i], a + kk * MB + i0 + i * 4);
                            simd_putr(ai[i], 8);
                        } else {
                            ai[i] = simd_getr(ai[i]);
                        }
                    }

                    for (int j = 0; j < 4; j++) {
                        if (row == s) {
                            simd_loade(bj[j], b + (j0 + j) * KB + kk);
                            simd_putc(bj[j], 8);
                        } else {
                            bj[j] = simd_getc(bj[j]);
                        }
                    }

                    for (int j = 0; j < 4; j++) {
                        for (int i = 0; i < 4; i++) {
                            acc[i][j] = simd_vmad(ai[i], bj[j], acc[i][j]);
                        }
                    }
                }

                for (int j = 0; j < 4; j++) {
                    for (int i = 0; i < 4; i++) {
                        simd_store(acc[i][j], c + (j0 + j) * MB + i0 + i * 4);
                    }
                }
            }
        }
    }

    SWATOP_COUNT_MESH_GEMM(M, N, K);
    athread_put(PE_MODE, c, p->c + col * NB * M + row * MB, MB * NB * sizeof(double), &put, (M - MB) * sizeof(double), MB * sizeof(double));
    swatop_dma_wait(&put, 1);
    ldm_free(c, MB * NB * sizeof(double));
    ldm_free(b, KB * NB * sizeof(double));
    ldm_free(a, MB * KB * sizeof(double));
}
