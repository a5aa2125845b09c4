/*
 * swatop_primitives.h: the primitive library of Swatop's emitted CPE files.
 *
 *   swatop_div, swatop_mod, swatop_min, swatop_max   the loop IR's integer operators (floor division)
 *   swatop_get_T, swatop_put_T                       PE-mode DMA in elements: count, block, gap
 *   swatop_fill_T                                    the fill primitive
 *   swatop_eltwise_OP_T                              t = OP(t, a[, b]) in place over a column-major block
 *                                                    (OP: add, mul, max, min, clamp); operands by
 *                                                    swatop_span_T, swatop_per_row_T, swatop_per_column_T,
 *                                                    swatop_scalar_T
 *   swatop_transpose_T                               a column-major rows x columns block into its
 *                                                    columns x rows transpose, in 4 x 4 blocks
 *   swatop_mesh_gemm_T                               C += A * B over the 8 x 8 mesh, SUMMA with register
 *                                                    broadcasts streamed in panels through a 4 x 4 block
 *                                                    of doublev4 accumulators
 *
 * T is d (double) or f (float). Float tiles are computed in double, as swGEMM and swDNN do on the
 * CPE: A and B are widened as they are broadcast, C is widened into the workspace once per call and
 * rounded back once at its end. The mesh GEMM's only LDM beyond its blocks is its workspace, a
 * buffer of the kernel's LDM plan (ldm_w). The same file builds with sw5cc -slave -msimd -DSWATOP_CPE
 * and, against the host verification shim, with gcc. It is C89 with GNU extensions (gnu89, sw5cc's
 * default): every declaration opens its block.
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
        long i;                                                                                       \
        for (i = 0; i < count; i++) ldm[i] = (T)value;                                                \
        SWATOP_COUNT_FILL(count);                                                                     \
    }

SWATOP_DMA_HELPERS(double, d)
SWATOP_DMA_HELPERS(float, f)

/* ---- the element-wise primitive --------------------------------------------------------------- */

/* An operand of swatop_eltwise_OP_T over a column-major block of `rows` rows: element (i, j) takes
   p[i * di + j * dj], or v when p is NULL. A span is as long as the block (di 1, dj rows), a per-row
   vector has one value per row (di 1, dj 0), a per-column vector one per column (di 0, dj 1); a
   scalar is rounded to T once. Operands do not overlap the block they update. */
#define SWATOP_ELTWISE_OPERANDS(T, S)                                                                 \
    typedef struct { const T *p; long di, dj; T v; } swatop_operand_##S;                              \
    static inline swatop_operand_##S swatop_span_##S(const T *p, long rows)                           \
    { swatop_operand_##S o; o.p = p; o.di = 1; o.dj = rows; o.v = 0; return o; }                      \
    static inline swatop_operand_##S swatop_per_row_##S(const T *p)                                   \
    { swatop_operand_##S o; o.p = p; o.di = 1; o.dj = 0; o.v = 0; return o; }                         \
    static inline swatop_operand_##S swatop_per_column_##S(const T *p)                                \
    { swatop_operand_##S o; o.p = p; o.di = 0; o.dj = 1; o.v = 0; return o; }                        \
    static inline swatop_operand_##S swatop_scalar_##S(T v)                                           \
    { swatop_operand_##S o; o.p = 0; o.di = 0; o.dj = 0; o.v = v; return o; }                         \
    static inline T swatop_operand_at_##S(swatop_operand_##S o, long i, long j)                       \
    { return o.p ? o.p[i * o.di + j * o.dj] : o.v; }

/* t = EXPR for each element x of the block with its operand's value a, column by column; one flop per
   element counted. */
#define SWATOP_ELTWISE_UNARY(T, S, OP, EXPR)                                                          \
    static inline void swatop_eltwise_##OP##_##S(T *t, long count, long rows, swatop_operand_##S oa)  \
    {                                                                                                 \
        long i, j;                                                                                    \
        for (j = 0; rows > 0 && j < count / rows; j++) {                                              \
            for (i = 0; i < rows; i++) {                                                              \
                const T x = t[j * rows + i], a = swatop_operand_at_##S(oa, i, j);                     \
                t[j * rows + i] = (EXPR);                                                             \
            }                                                                                         \
        }                                                                                             \
        SWATOP_COUNT_ELTWISE(count);                                                                  \
    }

/* The maximum with a, then the minimum with b; two flops per element counted. */
#define SWATOP_ELTWISE_CLAMP(T, S)                                                                    \
    static inline void swatop_eltwise_clamp_##S(T *t, long count, long rows, swatop_operand_##S oa,   \
                                                swatop_operand_##S ob)                                \
    {                                                                                                 \
        long i, j;                                                                                    \
        for (j = 0; rows > 0 && j < count / rows; j++) {                                              \
            for (i = 0; i < rows; i++) {                                                              \
                const T x = t[j * rows + i], a = swatop_operand_at_##S(oa, i, j);                     \
                const T b = swatop_operand_at_##S(ob, i, j), y = x < a ? a : x;                       \
                t[j * rows + i] = b < y ? b : y;                                                      \
            }                                                                                         \
        }                                                                                             \
        SWATOP_COUNT_ELTWISE(2 * count);                                                              \
    }

#define SWATOP_ELTWISE(T, S)                                                                          \
    SWATOP_ELTWISE_OPERANDS(T, S)                                                                     \
    SWATOP_ELTWISE_UNARY(T, S, add, x + a)                                                            \
    SWATOP_ELTWISE_UNARY(T, S, mul, x * a)                                                            \
    SWATOP_ELTWISE_UNARY(T, S, max, x < a ? a : x)                                                    \
    SWATOP_ELTWISE_UNARY(T, S, min, a < x ? a : x)                                                    \
    SWATOP_ELTWISE_CLAMP(T, S)

SWATOP_ELTWISE(double, d)
SWATOP_ELTWISE(float, f)

/* ---- the LDM transpose ------------------------------------------------------------------------ */

/* target (columns x rows, column-major) receives the transpose of source (rows x columns, column-major):
   target[j + i * columns] = source[i + j * rows]. The block is walked in SWATOP_LANES x SWATOP_LANES
   blocks, the edge blocks partly filled; source and target do not overlap. Elements moved counted. */
#define SWATOP_TRANSPOSE(T, S)                                                                        \
    static inline void swatop_transpose_##S(const T *source, T *target, long rows, long columns)     \
    {                                                                                                 \
        long i, j, i0, j0;                                                                            \
        for (j0 = 0; j0 < columns; j0 += SWATOP_LANES) {                                              \
            const long j1 = swatop_min(j0 + SWATOP_LANES, columns);                                   \
            for (i0 = 0; i0 < rows; i0 += SWATOP_LANES) {                                             \
                const long i1 = swatop_min(i0 + SWATOP_LANES, rows);                                  \
                for (j = j0; j < j1; j++) {                                                           \
                    for (i = i0; i < i1; i++) target[j + i * columns] = source[i + j * rows];         \
                }                                                                                     \
            }                                                                                         \
        }                                                                                             \
        SWATOP_COUNT_TRANSPOSE(rows * columns);                                                       \
    }

SWATOP_TRANSPOSE(double, d)
SWATOP_TRANSPOSE(float, f)

/* ---- the mesh GEMM ---------------------------------------------------------------------------- */

#define SWATOP_MESH_PANEL 4 /* reduction indices a step streams at a time */
#define SWATOP_MESH_STRIP 16 /* rows of a register block: 4 doublev4 */

/* The 4 x 4 register block: 16 rows (4 doublev4) by 4 columns of C (column-major, mb rows) at (i0, j0),
   updated over the kp reduction indices of one panel: A's 16-row strip (kp x 16, as received) and the
   panel's rows of B (kp x nb, row-major, as received), one fused multiply-add per lane, k in order. */
static inline void swatop_mesh_block(long mb, long nb, long kp, const double *strip, const double *panel, double *c, long i0, long j0)
{
    doublev4 c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33;
    double *c0 = c + j0 * mb + i0, *c1 = c0 + mb, *c2 = c1 + mb, *c3 = c2 + mb;
    long kk;
    simd_load(c00, c0); simd_load(c10, c0 + 4); simd_load(c20, c0 + 8); simd_load(c30, c0 + 12);
    simd_load(c01, c1); simd_load(c11, c1 + 4); simd_load(c21, c1 + 8); simd_load(c31, c1 + 12);
    simd_load(c02, c2); simd_load(c12, c2 + 4); simd_load(c22, c2 + 8); simd_load(c32, c2 + 12);
    simd_load(c03, c3); simd_load(c13, c3 + 4); simd_load(c23, c3 + 8); simd_load(c33, c3 + 12);
    for (kk = 0; kk < kp; kk++) {
        doublev4 a0, a1, a2, a3, w0, w1, w2, w3;
        const double *ak = strip + kk * SWATOP_MESH_STRIP, *bk = panel + kk * nb + j0;
        simd_load(a0, ak); simd_load(a1, ak + 4); simd_load(a2, ak + 8); simd_load(a3, ak + 12);
        simd_loade(w0, bk); simd_loade(w1, bk + 1); simd_loade(w2, bk + 2); simd_loade(w3, bk + 3);
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

/* SUMMA step `step` on this CPE's C block (double, mb x nb, column-major), streamed in panels of at
   most SWATOP_MESH_PANEL reduction indices. Per panel, the CPEs of row `step` send the panel's rows of
   their B block down their columns, 4 columns a vector, and everyone keeps them (kp x nb doubles); then,
   strip by strip, the CPEs of column `step` send 16 rows of the panel's columns of their A block along
   their rows, and everyone runs its register blocks over the strip. Every vector of the step's A and B
   blocks is broadcast once. a and b are this CPE's blocks (A mb x kb, B kb x nb, column-major);
   LOAD4(p, stride) reads 4 elements at p, stride apart, as a doublev4. `work` is the workspace of
   swatop_mesh_gemm_T. */
#define SWATOP_MESH_STEP(LOAD4)                                                                      \
    do {                                                                                              \
        const long row = _ROW, col = _COL;                                                            \
        double *const panel = work, *const strip = work + panel_k * nb;                               \
        long k0, kk, j, i0, j0, q;                                                                    \
        for (k0 = 0; k0 < kb; k0 += panel_k) {                                                        \
            const long kp = swatop_min(panel_k, kb - k0);                                             \
            for (kk = 0; kk < kp; kk++) {                                                             \
                for (j = 0; j < nb; j += SWATOP_LANES) {                                              \
                    doublev4 w;                                                                       \
                    if (row == step) {                                                                \
                        w = LOAD4(b + j * kb + k0 + kk, kb);                                          \
                        simd_putc(w, SWATOP_MESH);                                                    \
                    } else {                                                                          \
                        w = simd_getc(w);                                                             \
                    }                                                                                 \
                    simd_store(w, panel + kk * nb + j);                                               \
                }                                                                                     \
            }                                                                                         \
            for (i0 = 0; i0 < mb; i0 += SWATOP_MESH_STRIP) {                                          \
                for (kk = 0; kk < kp; kk++) {                                                         \
                    for (q = 0; q < SWATOP_MESH_STRIP; q += SWATOP_LANES) {                           \
                        doublev4 w;                                                                   \
                        if (col == step) {                                                            \
                            w = LOAD4(a + (k0 + kk) * mb + i0 + q, 1);                                \
                            simd_putr(w, SWATOP_MESH);                                                \
                        } else {                                                                      \
                            w = simd_getr(w);                                                         \
                        }                                                                             \
                        simd_store(w, strip + kk * SWATOP_MESH_STRIP + q);                            \
                    }                                                                                 \
                }                                                                                     \
                for (j0 = 0; j0 < nb; j0 += 4) {                                                      \
                    swatop_mesh_block(mb, nb, kp, strip, panel, c_acc, i0, j0);                       \
                }                                                                                     \
            }                                                                                         \
        }                                                                                             \
    } while (0)

static inline doublev4 swatop_load4_d(const double *p, long stride) { return simd_set_doublev4(p[0], p[stride], p[2 * stride], p[3 * stride]); }
static inline doublev4 swatop_load4_f(const float *p, long stride) { return simd_set_doublev4(p[0], p[stride], p[2 * stride], p[3 * stride]); }

/* Doubles of the workspace a call with per-CPE blocks mb x nb x kb needs (MeshGemmWorkspace in C#): the
   panel of B, the strip of A and, for float, C widened to double. The kernel's LDM plan holds it. */
#define SWATOP_MESH_WORK_D(mb, nb, kb) (swatop_min(SWATOP_MESH_PANEL, (kb)) * ((nb) + SWATOP_MESH_STRIP))
#define SWATOP_MESH_WORK_F(mb, nb, kb) (SWATOP_MESH_WORK_D(mb, nb, kb) + (mb) * (nb))

/* C (m x n) += A (m x k) * B (k x n) over the mesh; a, b and c are this CPE's column-major blocks
   (m/8 x k/8, k/8 x n/8, m/8 x n/8). Every CPE of the core group calls it with the same shape;
   m/8 is a multiple of 16 and n/8 of 4. work holds SWATOP_MESH_WORK_D(m/8, n/8, k/8) doubles. */
static inline void swatop_mesh_gemm_d(long m, long n, long k, const double *a, const double *b, double *c, double *work)
{
    const long mb = m / SWATOP_MESH, nb = n / SWATOP_MESH, kb = k / SWATOP_MESH;
    const long panel_k = swatop_min(SWATOP_MESH_PANEL, kb);
    double *const c_acc = c;
    long step;
    for (step = 0; step < SWATOP_MESH; step++) {
        SWATOP_MESH_STEP(swatop_load4_d);
    }

    SWATOP_COUNT_MESH_GEMM(m, n, k);
}

/* The float form: A and B are widened as they are broadcast, C is widened into the workspace once
   and rounded back once, so the arithmetic is the double kernel's. work holds
   SWATOP_MESH_WORK_F(m/8, n/8, k/8) doubles. */
static inline void swatop_mesh_gemm_f(long m, long n, long k, const float *a, const float *b, float *c, double *work)
{
    const long mb = m / SWATOP_MESH, nb = n / SWATOP_MESH, kb = k / SWATOP_MESH;
    const long panel_k = swatop_min(SWATOP_MESH_PANEL, kb);
    double *const c_acc = work + SWATOP_MESH_WORK_D(mb, nb, kb);
    long i, step;
    for (i = 0; i < mb * nb; i++) c_acc[i] = c[i];
    for (step = 0; step < SWATOP_MESH; step++) {
        SWATOP_MESH_STEP(swatop_load4_f);
    }

    for (i = 0; i < mb * nb; i++) c[i] = (float)c_acc[i];
    SWATOP_COUNT_MESH_GEMM(m, n, k);
}

#endif /* SWATOP_PRIMITIVES_H */
