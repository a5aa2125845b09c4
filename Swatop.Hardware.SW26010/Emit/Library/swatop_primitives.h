/*
 * swatop_primitives.h: the primitive library of Swatop's emitted CPE files.
 *
 *   swatop_div, swatop_mod, swatop_min, swatop_max   the loop IR's integer operators (floor division)
 *   swatop_get_T, swatop_put_T                       PE-mode DMA in elements: count, block, gap
 *   swatop_fill_T                                    the fill primitive
 *   swatop_mesh_gemm_T                               C += A * B over the 8 x 8 mesh, SUMMA with register
 *                                                    broadcasts and a 4 x 4 block of doublev4 accumulators
 *
 * T is d (double) or f (float). Float tiles are computed in double, as swGEMM and swDNN do on the
 * CPE: A and B are widened as they are broadcast, C is widened into an LDM scratch block once per
 * call and rounded back once at its end. The same file builds with sw5cc -slave -msimd and, against
 * the host verification shim, with gcc.
 */
#ifndef SWATOP_PRIMITIVES_H
#define SWATOP_PRIMITIVES_H

#include "swatop_athread.h"

#define SWATOP_MESH 8  /* CPEs per row and per column of a core group */
#define SWATOP_LANES 4 /* doubles in a doublev4 */

/* ---- integer operators of the loop IR --------------------------------------------------------- */

/* Floor division and remainder by a positive divisor (C's / and % truncate). */
static inline long swatop_div(long a, long b) { long q = a / b; return (a % b != 0 && a < 0) ? q - 1 : q; }
static inline long swatop_mod(long a, long b) { long r = a % b; return r < 0 ? r + b : r; }
static inline long swatop_min(long a, long b) { return a < b ? a : b; }
static inline long swatop_max(long a, long b) { return a > b ? a : b; }

/* ---- DMA in elements -------------------------------------------------------------------------- */

/* count elements from mem into ldm (contiguous), in blocks of `block` elements (0: one run) that
   lie `gap` elements apart in main memory; the reply word counts the completion. */
#define SWATOP_DMA_HELPERS(T, S)                                                                      \
    static inline void swatop_get_##S(T *mem, T *ldm, long count, long block, long gap,               \
                                      volatile int *reply)                                            \
    {                                                                                                 \
        athread_get(PE_MODE, mem, ldm, (int)(count * (long)sizeof(T)), (void *)reply, 0,                      \
                    (int)(gap * (long)sizeof(T)), (int)(block * (long)sizeof(T)));                    \
    }                                                                                                 \
    static inline void swatop_put_##S(T *ldm, T *mem, long count, long block, long gap,               \
                                      volatile int *reply)                                            \
    {                                                                                                 \
        athread_put(PE_MODE, ldm, mem, (int)(count * (long)sizeof(T)), (void *)reply,                         \
                    (int)(gap * (long)sizeof(T)), (int)(block * (long)sizeof(T)));                    \
    }                                                                                                 \
    static inline void swatop_fill_##S(T *ldm, long count, double value)                              \
    {                                                                                                 \
        for (long i = 0; i < count; i++) ldm[i] = (T)value;                                           \
        SWATOP_COUNT_FILL(count);                                                                     \
    }

SWATOP_DMA_HELPERS(double, d)
SWATOP_DMA_HELPERS(float, f)

/* ---- the mesh GEMM ---------------------------------------------------------------------------- */

/* LDM scratch of the mesh GEMM, allocated once by the CPE function for its largest call: the A and B
   blocks of the current SUMMA step in double, and for float kernels the C block widened to double. */
typedef struct {
    double *a_step; /* mb x kb */
    double *b_step; /* kb x nb */
    double *c_wide; /* mb x nb, float kernels only */
} swatop_mesh_scratch;

/* The 4 x 4 register block: 16 rows (4 doublev4) by 4 columns of C, updated over the kb columns of
   one step's A block and rows of its B block, one fused multiply-add per lane, k in order. */
static inline void swatop_mesh_block(long mb, long kb, const double *a, const double *b, double *c, long i0, long j0)
{
    doublev4 c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33;
    double *c0 = c + j0 * mb + i0, *c1 = c0 + mb, *c2 = c1 + mb, *c3 = c2 + mb;
    simd_load(c00, c0); simd_load(c10, c0 + 4); simd_load(c20, c0 + 8); simd_load(c30, c0 + 12);
    simd_load(c01, c1); simd_load(c11, c1 + 4); simd_load(c21, c1 + 8); simd_load(c31, c1 + 12);
    simd_load(c02, c2); simd_load(c12, c2 + 4); simd_load(c22, c2 + 8); simd_load(c32, c2 + 12);
    simd_load(c03, c3); simd_load(c13, c3 + 4); simd_load(c23, c3 + 8); simd_load(c33, c3 + 12);
    const double *b0 = b + j0 * kb, *b1 = b0 + kb, *b2 = b1 + kb, *b3 = b2 + kb;
    for (long kk = 0; kk < kb; kk++) {
        doublev4 a0, a1, a2, a3, w0, w1, w2, w3;
        const double *ak = a + kk * mb + i0;
        simd_load(a0, ak); simd_load(a1, ak + 4); simd_load(a2, ak + 8); simd_load(a3, ak + 12);
        simd_loade(w0, b0 + kk); simd_loade(w1, b1 + kk); simd_loade(w2, b2 + kk); simd_loade(w3, b3 + kk);
        c00 = simd_vmad(a0, w0, c00); c10 = simd_vmad(a1, w0, c10); c20 = simd_vmad(a2, w0, c20); c30 = simd_vmad(a3, w0, c30);
        c01 = simd_vmad(a0, w1, c01); c11 = simd_vmad(a1, w1, c11); c21 = simd_vmad(a2, w1, c21); c31 = simd_vmad(a3, w1, c31);
        c02 = simd_vmad(a0, w2, c02); c12 = simd_vmad(a1, w2, c12); c22 = simd_vmad(a2, w2, c22); c32 = simd_vmad(a3, w2, c32);
        c03 = simd_vmad(a0, w3, c03); c13 = simd_vmad(a1, w3, c13); c23 = simd_vmad(a2, w3, c23); c33 = simd_vmad(a3, w3, c33);
    }

    simd_store(c00, c0); simd_store(c10, c0 + 4); simd_store(c20, c0 + 8); simd_store(c30, c0 + 12);
    simd_store(c01, c1); simd_store(c11, c1 + 4); simd_store(c21, c1 + 8); simd_store(c31, c1 + 12);
    simd_store(c02, c2); simd_store(c12, c2 + 4); simd_store(c22, c2 + 8); simd_store(c32, c2 + 12);
    simd_store(c03, c3); simd_store(c13, c3 + 4); simd_store(c23, c3 + 8); simd_store(c33, c3 + 12);
}

/* One SUMMA step's update of this CPE's C block (double, mb x nb) by the staged blocks. */
static inline void swatop_mesh_step(long mb, long nb, long kb, const swatop_mesh_scratch *s, double *c)
{
    for (long j0 = 0; j0 < nb; j0 += 4) {
        for (long i0 = 0; i0 < mb; i0 += 16) {
            swatop_mesh_block(mb, kb, s->a_step, s->b_step, c, i0, j0);
        }
    }
}

/* Step `step` of the broadcasts: the CPEs of column `step` send their A block along their rows, the
   CPEs of row `step` their B block down their columns; everyone stages the step's blocks in double.
   WIDEN(p) reads 4 elements at p as a doublev4. */
#define SWATOP_MESH_EXCHANGE(WIDEN)                                                                \
    do {                                                                                              \
        const long row = _ROW, col = _COL;                                                            \
        for (long v = 0; v < mb * kb / SWATOP_LANES; v++) {                                           \
            doublev4 w;                                                                               \
            if (col == step) {                                                                        \
                w = WIDEN(a + v * SWATOP_LANES);                                                      \
                simd_putr(w, SWATOP_MESH);                                                            \
            } else {                                                                                  \
                w = simd_getr(w);                                                                     \
            }                                                                                         \
            simd_store(w, s->a_step + v * SWATOP_LANES);                                              \
        }                                                                                             \
        for (long v = 0; v < kb * nb / SWATOP_LANES; v++) {                                           \
            doublev4 w;                                                                               \
            if (row == step) {                                                                        \
                w = WIDEN(b + v * SWATOP_LANES);                                                      \
                simd_putc(w, SWATOP_MESH);                                                            \
            } else {                                                                                  \
                w = simd_getc(w);                                                                     \
            }                                                                                         \
            simd_store(w, s->b_step + v * SWATOP_LANES);                                              \
        }                                                                                             \
    } while (0)

static inline doublev4 swatop_widen_d(const double *p) { doublev4 w; simd_load(w, p); return w; }
static inline doublev4 swatop_widen_f(const float *p) { return simd_set_doublev4(p[0], p[1], p[2], p[3]); }

/* C (m x n) += A (m x k) * B (k x n) over the mesh; a, b and c are this CPE's column-major blocks
   (m/8 x k/8, k/8 x n/8, m/8 x n/8). Every CPE of the core group calls it with the same shape;
   m/8 is a multiple of 16 and n/8 of 4. */
static inline void swatop_mesh_gemm_d(long m, long n, long k, const double *a, const double *b, double *c, const swatop_mesh_scratch *s)
{
    const long mb = m / SWATOP_MESH, nb = n / SWATOP_MESH, kb = k / SWATOP_MESH;
    for (long step = 0; step < SWATOP_MESH; step++) {
        SWATOP_MESH_EXCHANGE(swatop_widen_d);
        swatop_mesh_step(mb, nb, kb, s, c);
    }

    SWATOP_COUNT_MESH_GEMM(m, n, k);
}

static inline void swatop_mesh_gemm_f(long m, long n, long k, const float *a, const float *b, float *c, const swatop_mesh_scratch *s)
{
    const long mb = m / SWATOP_MESH, nb = n / SWATOP_MESH, kb = k / SWATOP_MESH;
    for (long i = 0; i < mb * nb; i++) s->c_wide[i] = c[i];
    for (long step = 0; step < SWATOP_MESH; step++) {
        SWATOP_MESH_EXCHANGE(swatop_widen_f);
        swatop_mesh_step(mb, nb, kb, s, s->c_wide);
    }

    for (long i = 0; i < mb * nb; i++) c[i] = (float)s->c_wide[i];
    SWATOP_COUNT_MESH_GEMM(m, n, k);
}

#endif /* SWATOP_PRIMITIVES_H */
