/*
 * swatop_primitives.h: the primitive library of Swatop's emitted CPE files.
 *
 *   swatop_div, swatop_mod, swatop_min, swatop_max   the loop IR's integer operators (floor division)
 *   swatop_get_T, swatop_put_T                       PE-mode DMA in elements: count, block, gap
 *   swatop_fill_T                                    the fill primitive
 *   swatop_eltwise_OP_T                              t = OP(t, a[, b]) in place over a column-major block
 *                                                    (OP: add, mul, div, max, min, clamp); operands by
 *                                                    swatop_span_T, swatop_per_row_T, swatop_per_column_T,
 *                                                    swatop_scalar_T; a vector loop, heads and tails
 *                                                    off a vector boundary one element at a time
 *   swatop_exp_T                                     t = exp(t) in place over a run (the SW26010 has no
 *                                                    exponential instruction): a Cody-Waite reduction and
 *                                                    a polynomial in vector adds and multiplies, the
 *                                                    scaling by 2^k built lane by lane; float in double
 *   swatop_transpose_T                               a column-major rows x columns block into its
 *                                                    columns x rows transpose, in 4 x 4 blocks
 *   swatop_mac_T                                     t[i] += w[k] * s[i * stride + k * dilation] over the
 *                                                    taps k in order: one row of a direct convolution, a
 *                                                    vector of outputs at a time
 *   swatop_mesh_gemm_T                               C += A * B over the 8 x 8 mesh, SUMMA with register
 *                                                    broadcasts straight into a 4 x 4 block of doublev4
 *                                                    accumulators held across each step's k loop
 *
 * T is d (double) or f (float). Float tiles are computed in double, as swGEMM and swDNN do on the
 * CPE: A and B are loaded as float vectors and widened in their registers as they are broadcast, C is
 * widened into the workspace a vector at a time once per call and rounded back once at its end. The
 * mesh GEMM's only LDM beyond its blocks is its workspace, a buffer of the kernel's LDM plan (ldm_w),
 * which only the float form uses. Each primitive names the LDM it reads and writes through the
 * SWATOP_LDM_READ / SWATOP_LDM_WRITE hooks (no code on the real machine; the host shim checks them
 * against the CPE's outstanding DMA). The element-wise and multiply-accumulate loops issue exactly what
 * the time model's account of them charges (VectorIssue in C#), which the shim's counts check. The same file builds with sw5cc -slave -msimd -DSWATOP_CPE
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
static __inline__ long swatop_div(long a, long b) { long q = a / b; return (a % b != 0 && a < 0) ? q - 1 : q; }
static __inline__ long swatop_mod(long a, long b) { long r = a % b; return r < 0 ? r + b : r; }
static __inline__ long swatop_min(long a, long b) { return a < b ? a : b; }
static __inline__ long swatop_max(long a, long b) { return a > b ? a : b; }

/* ---- DMA in elements -------------------------------------------------------------------------- */

/* count elements from mem into ldm (contiguous), in blocks of `block` elements (0: one run) that
   lie `gap` elements apart in main memory; the reply word counts the completion. */
#define SWATOP_DMA_HELPERS(T, S)                                                                      \
    static __inline__ void swatop_get_##S(T *mem, T *ldm, long count, long block, long gap,               \
                                      volatile int *reply)                                            \
    {                                                                                                 \
        athread_get(PE_MODE, mem, ldm, (int)(count * (long)sizeof(T)), (void *)reply, 0,                      \
                    (int)(gap * (long)sizeof(T)), (int)(block * (long)sizeof(T)));                    \
    }                                                                                                 \
    static __inline__ void swatop_put_##S(T *ldm, T *mem, long count, long block, long gap,               \
                                      volatile int *reply)                                            \
    {                                                                                                 \
        athread_put(PE_MODE, ldm, mem, (int)(count * (long)sizeof(T)), (void *)reply,                         \
                    (int)(gap * (long)sizeof(T)), (int)(block * (long)sizeof(T)));                    \
    }                                                                                                 \
    static __inline__ void swatop_fill_##S(T *ldm, long count, double value)                              \
    {                                                                                                 \
        long i;                                                                                       \
        SWATOP_LDM_WRITE(ldm, count * (long)sizeof(T), "swatop_fill_" #S);                            \
        for (i = 0; i < count; i++) ldm[i] = (T)value;                                                \
        SWATOP_COUNT_FILL(count);                                                                     \
    }

SWATOP_DMA_HELPERS(double, d)
SWATOP_DMA_HELPERS(float, f)

/* ---- vectors in LDM ------------------------------------------------------------------------------ */

/* Bytes of a vector: a doublev4 is loaded and stored at 32-byte boundaries, a floatv4 at 16-byte ones. */
#define SWATOP_VECTOR_BYTES_d 32
#define SWATOP_VECTOR_BYTES_f 16

/* The elements of a run of n at p before its first vector boundary (at most n): the scalar head of a
   vector loop. */
#define SWATOP_HEAD(T, S)                                                                             \
    static __inline__ long swatop_head_##S(const T *p, long n)                                        \
    {                                                                                                 \
        const long misaligned = (long)((unsigned long)p % SWATOP_VECTOR_BYTES_##S);                   \
        const long head = misaligned == 0 ? 0 : (SWATOP_VECTOR_BYTES_##S - misaligned) / (long)sizeof(T); \
        return head < n ? head : n;                                                                   \
    }

SWATOP_HEAD(double, d)
SWATOP_HEAD(float, f)

/* ---- the element-wise primitive --------------------------------------------------------------- */

/* An operand of swatop_eltwise_OP_T over a column-major block of `rows` rows: element (i, j) takes
   p[i * di + j * dj], or v when p is NULL. A span is as long as the block (di 1, dj rows), a per-row
   vector has one value per row (di 1, dj 0), a per-column vector one per column (di 0, dj 1); a
   scalar is rounded to T once. Operands do not overlap the block they update. */
#define SWATOP_ELTWISE_OPERANDS(T, S, V)                                                              \
    typedef struct { const T *p; long di, dj; T v; } swatop_operand_##S;                              \
    static __inline__ swatop_operand_##S swatop_span_##S(const T *p, long rows)                           \
    { swatop_operand_##S o; o.p = p; o.di = 1; o.dj = rows; o.v = 0; return o; }                      \
    static __inline__ swatop_operand_##S swatop_per_row_##S(const T *p)                                   \
    { swatop_operand_##S o; o.p = p; o.di = 1; o.dj = 0; o.v = 0; return o; }                         \
    static __inline__ swatop_operand_##S swatop_per_column_##S(const T *p)                                \
    { swatop_operand_##S o; o.p = p; o.di = 0; o.dj = 1; o.v = 0; return o; }                        \
    static __inline__ swatop_operand_##S swatop_scalar_##S(T v)                                           \
    { swatop_operand_##S o; o.p = 0; o.di = 0; o.dj = 0; o.v = v; return o; }                         \
    static __inline__ T swatop_operand_at_##S(swatop_operand_##S o, long i, long j)                       \
    { return o.p ? o.p[i * o.di + j * o.dj] : o.v; }                                                  \
    static __inline__ void swatop_operand_read_##S(swatop_operand_##S o, long count, long rows,           \
                                               const char *name)                                      \
    {                                                                                                 \
        (void)name;                                                                                   \
        if (o.p && rows > 0 && count >= rows)                                                         \
            SWATOP_LDM_READ(o.p, ((rows - 1) * o.di + (count / rows - 1) * o.dj + 1) * (long)sizeof(T), name); \
    }                                                                                                 \
    /* Whether the operand reads the block's elements in its own order (a span) or not at all (a     \
       scalar), so that a call whose operands all do walks its block as one run. */                   \
    static __inline__ int swatop_operand_flat_##S(swatop_operand_##S o)                               \
    { return o.p == 0 || (o.di == 1 && o.dj != 0); }                                                  \
    /* How the vector loop over column j reads an operand from row h on: a run at q + i (span, per    \
       row), loaded whole where q + h lies on a vector boundary (mode 1) and with simd_loadu where it \
       does not (mode 2); or one value (per column, scalar), splat once for the column (mode 0). */   \
    typedef struct { const T *q; int mode; } swatop_read_##S;                                          \
    static __inline__ swatop_read_##S swatop_lane_##S(swatop_operand_##S o, long j, long h, V *splat) \
    {                                                                                                 \
        swatop_read_##S l;                                                                            \
        l.q = 0;                                                                                      \
        l.mode = 0;                                                                                   \
        if (o.p && o.di == 1) {                                                                       \
            l.q = o.p + j * o.dj;                                                                     \
            l.mode = (unsigned long)(l.q + h) % SWATOP_VECTOR_BYTES_##S == 0 ? 1 : 2;                 \
        } else if (o.p) {                                                                             \
            simd_loade(*splat, o.p + j * o.dj);                                                       \
        } else {                                                                                      \
            simd_loade(*splat, &o.v);                                                                 \
        }                                                                                             \
        return l;                                                                                     \
    }                                                                                                 \
    static __inline__ V swatop_lane_vector_##S(swatop_read_##S l, const V *splat, long i)             \
    {                                                                                                 \
        V v;                                                                                          \
        if (l.mode == 0) return *splat;                                                               \
        if (l.mode == 1) simd_load(v, l.q + i);                                                       \
        else simd_loadu(v, l.q + i);                                                                  \
        return v;                                                                                     \
    }

/* The walk of an element-wise call: column by column (or, when every operand is a span or a scalar, the
   whole block as one run), each run's elements before its first vector boundary and after its last whole
   vector one at a time (SCALAR, on x and the operands' values a, b), the rest a vector at a time
   (VECTOR, on x and the operands' vectors va, vb: the target loaded and stored whole, each operand read
   as its lane says). NB is the number of operands, 1 or 2. */
#define SWATOP_ELTWISE_WALK(T, S, V, NB, SCALAR, VECTOR)                                               \
    do {                                                                                              \
        long i, j, h, e, r, columns;                                                                  \
        T *tc;                                                                                        \
        swatop_read_##S la, lb;                                                                       \
        V x, va, vb, sa, sb;                                                                          \
        if (rows <= 0 || count < rows) break;                                                         \
        r = rows;                                                                                     \
        columns = count / rows;                                                                       \
        if (swatop_operand_flat_##S(oa) && (NB < 2 || swatop_operand_flat_##S(ob))) {                \
            r = columns * rows;                                                                       \
            columns = 1;                                                                              \
        }                                                                                             \
        for (j = 0; j < columns; j++) {                                                               \
            tc = t + j * r;                                                                           \
            h = swatop_head_##S(tc, r);                                                               \
            e = h + (r - h) / SWATOP_LANES * SWATOP_LANES;                                            \
            for (i = 0; i < h; i++) {                                                                 \
                const T x = tc[i], a = swatop_operand_at_##S(oa, i, j), b = swatop_operand_at_##S(ob, i, j); \
                (void)b;                                                                              \
                tc[i] = (SCALAR);                                                                     \
            }                                                                                         \
            if (e > h) {                                                                              \
                la = swatop_lane_##S(oa, j, h, &sa);                                                  \
                lb = NB > 1 ? swatop_lane_##S(ob, j, h, &sb) : la;                                    \
                for (i = h; i < e; i += SWATOP_LANES) {                                               \
                    simd_load(x, tc + i);                                                             \
                    va = swatop_lane_vector_##S(la, &sa, i);                                          \
                    vb = NB > 1 ? swatop_lane_vector_##S(lb, &sb, i) : va;                            \
                    (void)vb;                                                                         \
                    x = (VECTOR);                                                                     \
                    simd_store(x, tc + i);                                                            \
                }                                                                                     \
            }                                                                                         \
            for (i = e; i < r; i++) {                                                                 \
                const T x = tc[i], a = swatop_operand_at_##S(oa, i, j), b = swatop_operand_at_##S(ob, i, j); \
                (void)b;                                                                              \
                tc[i] = (SCALAR);                                                                     \
            }                                                                                         \
        }                                                                                             \
    } while (0)

/* t = OP(t, a) for each element x of the block with its operand's value a; one flop per element counted. */
#define SWATOP_ELTWISE_UNARY(T, S, V, OP, SCALAR, VECTOR)                                             \
    static __inline__ void swatop_eltwise_##OP##_##S(T *t, long count, long rows, swatop_operand_##S oa)  \
    {                                                                                                 \
        const swatop_operand_##S ob = oa;                                                             \
        SWATOP_LDM_WRITE(t, count * (long)sizeof(T), "swatop_eltwise_" #OP "_" #S);                   \
        swatop_operand_read_##S(oa, count, rows, "swatop_eltwise_" #OP "_" #S " operand");            \
        SWATOP_ELTWISE_WALK(T, S, V, 1, SCALAR, VECTOR);                                              \
        SWATOP_COUNT_ELTWISE(count);                                                                  \
    }

/* The maximum with a, then the minimum with b; two flops per element counted. */
#define SWATOP_ELTWISE_CLAMP(T, S, V, SCALAR, VECTOR)                                                 \
    static __inline__ void swatop_eltwise_clamp_##S(T *t, long count, long rows, swatop_operand_##S oa,   \
                                                swatop_operand_##S ob)                                \
    {                                                                                                 \
        SWATOP_LDM_WRITE(t, count * (long)sizeof(T), "swatop_eltwise_clamp_" #S);                     \
        swatop_operand_read_##S(oa, count, rows, "swatop_eltwise_clamp_" #S " operand");              \
        swatop_operand_read_##S(ob, count, rows, "swatop_eltwise_clamp_" #S " operand");              \
        SWATOP_ELTWISE_WALK(T, S, V, 2, SCALAR, VECTOR);                                              \
        SWATOP_COUNT_ELTWISE(2 * count);                                                              \
    }

/* The vector forms, each lane exactly its scalar form: add, multiply and divide rounded once; the maximum
   x < a ? a : x as a compare and a select (so a NaN x stays, a NaN a is ignored, as in the scalar form),
   the minimum a < x ? a : x likewise. */
#define SWATOP_VMAX(S, x, a) simd_vseleq##S(simd_vfcmplt##S((x), (a)), (x), (a))
#define SWATOP_VMIN(S, x, a) simd_vseleq##S(simd_vfcmplt##S((a), (x)), (x), (a))
#define SWATOP_SCALAR_MAX(x, a) ((x) < (a) ? (a) : (x))
#define SWATOP_SCALAR_MIN(x, a) ((a) < (x) ? (a) : (x))

#define SWATOP_ELTWISE(T, S, V, VS)                                                                   \
    SWATOP_ELTWISE_OPERANDS(T, S, V)                                                                  \
    SWATOP_ELTWISE_UNARY(T, S, V, add, x + a, simd_vadd##VS(x, va))                                   \
    SWATOP_ELTWISE_UNARY(T, S, V, mul, x * a, simd_vmul##VS(x, va))                                   \
    SWATOP_ELTWISE_UNARY(T, S, V, div, x / a, simd_vdiv##VS(x, va))                                   \
    SWATOP_ELTWISE_UNARY(T, S, V, max, SWATOP_SCALAR_MAX(x, a), SWATOP_VMAX(VS, x, va))               \
    SWATOP_ELTWISE_UNARY(T, S, V, min, SWATOP_SCALAR_MIN(x, a), SWATOP_VMIN(VS, x, va))               \
    SWATOP_ELTWISE_CLAMP(T, S, V, SWATOP_SCALAR_MIN(SWATOP_SCALAR_MAX(x, a), b),                      \
                         (va = SWATOP_VMAX(VS, x, va), SWATOP_VMIN(VS, va, vb)))

SWATOP_ELTWISE(double, d, doublev4, d)
SWATOP_ELTWISE(float, f, floatv4, s)

/* ---- the exponential -------------------------------------------------------------------------- */

/* exp(x) as ExpKernel.Exp (C#) computes it, operation for operation, nothing fused: x clamped to
   [UNDER, OVER] (a NaN stays, then is replaced by 0 for the arithmetic); k = round(x / ln2) by adding
   and subtracting 1.5 * 2^52; x = k ln2 + r with ln2 split into 32 high bits (k * high and x - k * high
   exact) and a low part (Cody-Waite); exp(r) = 1 + (hi + (r^2 p(r) - lo)) with p the Taylor polynomial
   of degree 11 of (exp(r) - 1 - r) / r^2 (Horner); then times 2^(k/2) and 2^(k - k/2), two exact powers of
   two, so that a subnormal result is rounded once. Above OVER +infinity, below UNDER +0, a NaN itself. */
#define SWATOP_EXP_INV 1.4426950408889634
#define SWATOP_EXP_SHIFT 6755399441055744.0
#define SWATOP_EXP_LN2_HIGH 0.6931471803691238
#define SWATOP_EXP_LN2_LOW 1.9082149292705877e-10
#define SWATOP_EXP_OVER 709.782712893384
#define SWATOP_EXP_UNDER (-745.1332191019411)
#define SWATOP_EXP_COEFFICIENTS                                                                       \
    { 0.5, 0.16666666666666666, 0.041666666666666664, 0.008333333333333333, 0.001388888888888889,     \
      0.0001984126984126984, 2.48015873015873e-05, 2.7557319223985893e-06, 2.755731922398589e-07,     \
      2.505210838544172e-08, 2.08767569878681e-09, 1.6059043836821613e-10 }
#define SWATOP_EXP_TERMS 12
#define SWATOP_EXP_FLOPS 36 /* adds and multiplies an element: ExpPrimitive.FlopsPerElement */

/* The double whose bits are `bits`, and 2^e for -1022 <= e <= 1023 from its bits. */
static __inline__ double swatop_exp_bits(long bits) { union { long i; double d; } u; u.i = bits; return u.d; }
static __inline__ double swatop_exp_pow2(long e) { return swatop_exp_bits((e + 1023L) << 52); }

/* One element, in scalar registers: the heads and tails of a run. */
static __inline__ double swatop_exp_scalar(double x)
{
    const double c[SWATOP_EXP_TERMS] = SWATOP_EXP_COEFFICIENTS;
    const double inf = swatop_exp_bits(0x7ff0000000000000L);
    const double a = x < SWATOP_EXP_UNDER ? SWATOP_EXP_UNDER : x;
    const double b = SWATOP_EXP_OVER < a ? SWATOP_EXP_OVER : a;
    const int finite = b < inf;
    const double xr = finite ? b : 0.0;
    const double kd = ((xr * SWATOP_EXP_INV) + SWATOP_EXP_SHIFT) + -SWATOP_EXP_SHIFT;
    const double hi = xr + (kd * -SWATOP_EXP_LN2_HIGH);
    const double lo = kd * -SWATOP_EXP_LN2_LOW;
    const double r = hi + lo;
    const long k = (long)kd;
    const long half = k / 2;
    double p = c[SWATOP_EXP_TERMS - 1], y;
    int n;
    for (n = SWATOP_EXP_TERMS - 2; n >= 0; n--) p = (p * r) + c[n];
    y = 1.0 + (hi + (((r * r) * p) + lo));
    y = (y * swatop_exp_pow2(half)) * swatop_exp_pow2(k - half);
    y = SWATOP_EXP_OVER < x ? inf : y;
    y = x < SWATOP_EXP_UNDER ? 0.0 : y;
    return finite ? y : x;
}

/* t = exp(t) over a run of count elements: the elements before the first vector boundary and after the
   last whole vector one at a time (swatop_exp_scalar), the rest a vector of 4 at a time in doublev4 (a
   floatv4 widened as it is loaded and narrowed as it is stored: casts on the CPE). Per vector: the input
   loaded, 47 vector adds, multiplies, compares and selects, the vector of k stored, each lane's k read
   back and its two powers of two built in integer registers and stored, both loaded as vectors, and the
   result stored; the 22 constants splat once a call. The account of ExpPrimitive.Issue (C#). */
#define SWATOP_EXP(T, S, V, WIDEN, NARROW)                                                                 \
    static __inline__ void swatop_exp_##S(T *t, long count)                                          \
    {                                                                                                 \
        long i, l, h, e;                                                                              \
        SWATOP_LDM_WRITE(t, count * (long)sizeof(T), "swatop_exp_" #S);                               \
        h = swatop_head_##S(t, count);                                                                \
        e = h + (count - h) / SWATOP_LANES * SWATOP_LANES;                                            \
        for (i = 0; i < h; i++) t[i] = (T)swatop_exp_scalar((double)t[i]);                            \
        if (e > h) {                                                                                  \
            const double k[10] = { SWATOP_EXP_INV, SWATOP_EXP_SHIFT, -SWATOP_EXP_SHIFT,               \
                                   -SWATOP_EXP_LN2_HIGH, -SWATOP_EXP_LN2_LOW, 1.0, SWATOP_EXP_UNDER,  \
                                   SWATOP_EXP_OVER, 0.0, 0.0 };                                       \
            const double coefficients[SWATOP_EXP_TERMS] = SWATOP_EXP_COEFFICIENTS;                    \
            double kb[SWATOP_LANES] __attribute__((aligned(32)));                                     \
            double s1b[SWATOP_LANES] __attribute__((aligned(32)));                                    \
            double s2b[SWATOP_LANES] __attribute__((aligned(32)));                                    \
            double infinity = swatop_exp_bits(0x7ff0000000000000L);                                   \
            doublev4 inv, sh, nsh, nhi, nlo, one, under, over, inf, zero, c[SWATOP_EXP_TERMS];        \
            doublev4 x, m, a, xr, fin, kd, hi, lo, r, p, y, s1, s2;                                   \
            V xv, yv;                                                                                 \
            int n;                                                                                    \
            simd_loade(inv, &k[0]); simd_loade(sh, &k[1]); simd_loade(nsh, &k[2]);                    \
            simd_loade(nhi, &k[3]); simd_loade(nlo, &k[4]); simd_loade(one, &k[5]);                   \
            simd_loade(under, &k[6]); simd_loade(over, &k[7]); simd_loade(zero, &k[8]);               \
            simd_loade(inf, &infinity);                                                               \
            for (n = 0; n < SWATOP_EXP_TERMS; n++) simd_loade(c[n], &coefficients[n]);                \
            for (i = h; i < e; i += SWATOP_LANES) {                                                   \
                simd_load(xv, t + i);                                                                 \
                x = WIDEN(xv);                                                                        \
                /* Clamp, then a NaN to 0. */                                                         \
                m = simd_vfcmpltd(x, under); a = simd_vseleqd(m, x, under);                           \
                m = simd_vfcmpltd(over, a); a = simd_vseleqd(m, a, over);                             \
                fin = simd_vfcmpltd(a, inf); xr = simd_vseleqd(fin, zero, a);                         \
                /* x = k ln2 + r. */                                                                  \
                kd = simd_vaddd(simd_vaddd(simd_vmuld(xr, inv), sh), nsh);                            \
                hi = simd_vaddd(xr, simd_vmuld(kd, nhi));                                             \
                lo = simd_vmuld(kd, nlo);                                                             \
                r = simd_vaddd(hi, lo);                                                               \
                /* exp(r) = 1 + (hi + (r^2 p(r) - lo)). */                                            \
                p = c[SWATOP_EXP_TERMS - 1];                                                          \
                for (n = SWATOP_EXP_TERMS - 2; n >= 0; n--) p = simd_vaddd(simd_vmuld(p, r), c[n]);   \
                y = simd_vaddd(one, simd_vaddd(hi, simd_vaddd(simd_vmuld(simd_vmuld(r, r), p), lo))); \
                /* times 2^(k/2) and 2^(k - k/2), built lane by lane. */                              \
                simd_store(kd, kb);                                                                   \
                for (l = 0; l < SWATOP_LANES; l++) {                                                  \
                    const long kk = (long)kb[l], half = kk / 2;                                       \
                    s1b[l] = swatop_exp_pow2(half);                                                   \
                    s2b[l] = swatop_exp_pow2(kk - half);                                              \
                }                                                                                     \
                simd_load(s1, s1b);                                                                   \
                simd_load(s2, s2b);                                                                   \
                y = simd_vmuld(simd_vmuld(y, s1), s2);                                                \
                /* The special values. */                                                             \
                m = simd_vfcmpltd(over, x); y = simd_vseleqd(m, y, inf);                              \
                m = simd_vfcmpltd(x, under); y = simd_vseleqd(m, y, zero);                            \
                y = simd_vseleqd(fin, x, y);                                                          \
                yv = NARROW(y);                                                                       \
                simd_store(yv, t + i);                                                                \
            }                                                                                         \
        }                                                                                             \
        for (i = e; i < count; i++) t[i] = (T)swatop_exp_scalar((double)t[i]);                        \
        SWATOP_COUNT_ELTWISE(SWATOP_EXP_FLOPS * count);                                               \
    }

#define SWATOP_EXP_SAME(v) (v)
SWATOP_EXP(double, d, doublev4, SWATOP_EXP_SAME, SWATOP_EXP_SAME)
SWATOP_EXP(float, f, floatv4, swatop_widen, swatop_narrow)

/* ---- the multiply-accumulate of a direct convolution ------------------------------------------ */

/* t[i] = t[i] + w[k] * s[i * stride + k * dilation] for the taps k = 0 .. taps - 1 in order, each product
   and sum rounded (nothing fused: a multiply and an add, as the emulator computes), for i = 0 .. count - 1;
   t overlaps neither w nor s. The outputs before t's first vector boundary and after its last whole vector
   are computed one at a time; the rest a vector of 4 outputs at a time, taps in groups of up to 4 whose
   weights are splat into registers once a call: per vector and group the outputs are loaded and stored
   once, per tap the source vector is loaded with simd_loadu at stride 1 (its start moves by a lane from tap
   to tap) and gathered lane by lane at a larger stride. Two flops per output and tap counted. */
#define SWATOP_MAC_SOURCE(T, S, V, SET)                                                               \
    static __inline__ V swatop_mac_source_##S(const T *s, long i, long stride)                        \
    {                                                                                                 \
        V v;                                                                                          \
        if (stride == 1) {                                                                            \
            simd_loadu(v, s + i);                                                                     \
            return v;                                                                                 \
        }                                                                                             \
        return SET(s[i * stride], s[(i + 1) * stride], s[(i + 2) * stride], s[(i + 3) * stride]);     \
    }

SWATOP_MAC_SOURCE(double, d, doublev4, simd_set_doublev4)
SWATOP_MAC_SOURCE(float, f, floatv4, simd_set_floatv4)

/* One tap of a vector of outputs: x += wk * the source vector of tap k. */
#define SWATOP_MAC_TAP(S, VS, wk, k)                                                                  \
    x = simd_vadd##VS(x, simd_vmul##VS((wk), swatop_mac_source_##S(s + (k) * dilation, i, stride)))

/* The vectors of outputs h .. e - 1 over the G taps k0 .. k0 + G - 1 held in w0 .. w3. */
#define SWATOP_MAC_GROUP(S, VS, G)                                                                    \
    for (i = h; i < e; i += SWATOP_LANES) {                                                           \
        simd_load(x, t + i);                                                                          \
        SWATOP_MAC_TAP(S, VS, w0, k0);                                                                \
        if (G > 1) SWATOP_MAC_TAP(S, VS, w1, k0 + 1);                                                 \
        if (G > 2) SWATOP_MAC_TAP(S, VS, w2, k0 + 2);                                                 \
        if (G > 3) SWATOP_MAC_TAP(S, VS, w3, k0 + 3);                                                 \
        simd_store(x, t + i);                                                                         \
    }

#define SWATOP_MAC(T, S, V, VS)                                                                       \
    static __inline__ void swatop_mac_##S(T *t, const T *w, const T *s, long count, long taps,        \
                                          long stride, long dilation)                                 \
    {                                                                                                 \
        long i, k, k0, g, h, e;                                                                       \
        V x, w0, w1, w2, w3;                                                                          \
        SWATOP_LDM_WRITE(t, count * (long)sizeof(T), "swatop_mac_" #S);                               \
        SWATOP_LDM_READ(w, taps * (long)sizeof(T), "swatop_mac_" #S " weights");                      \
        if (count <= 0 || taps <= 0) return;                                                          \
        SWATOP_LDM_READ(s, ((count - 1) * stride + (taps - 1) * dilation + 1) * (long)sizeof(T),      \
                        "swatop_mac_" #S " source");                                                  \
        h = swatop_head_##S(t, count);                                                                \
        e = h + (count - h) / SWATOP_LANES * SWATOP_LANES;                                            \
        for (i = 0; i < h; i++) {                                                                     \
            T sum = t[i];                                                                             \
            for (k = 0; k < taps; k++) sum = sum + w[k] * s[i * stride + k * dilation];               \
            t[i] = sum;                                                                               \
        }                                                                                             \
        for (k0 = 0; e > h && k0 < taps; k0 += 4) {                                                   \
            g = taps - k0 < 4 ? taps - k0 : 4;                                                        \
            simd_loade(w0, w + k0);                                                                   \
            w1 = w0; w2 = w0; w3 = w0;                                                                \
            if (g > 1) simd_loade(w1, w + k0 + 1);                                                    \
            if (g > 2) simd_loade(w2, w + k0 + 2);                                                    \
            if (g > 3) simd_loade(w3, w + k0 + 3);                                                    \
            if (g == 1) SWATOP_MAC_GROUP(S, VS, 1)                                                    \
            else if (g == 2) SWATOP_MAC_GROUP(S, VS, 2)                                               \
            else if (g == 3) SWATOP_MAC_GROUP(S, VS, 3)                                               \
            else SWATOP_MAC_GROUP(S, VS, 4)                                                           \
        }                                                                                             \
        for (i = e; i < count; i++) {                                                                 \
            T sum = t[i];                                                                             \
            for (k = 0; k < taps; k++) sum = sum + w[k] * s[i * stride + k * dilation];               \
            t[i] = sum;                                                                               \
        }                                                                                             \
        SWATOP_COUNT_MAC(2 * count * taps);                                                           \
    }

SWATOP_MAC(double, d, doublev4, d)
SWATOP_MAC(float, f, floatv4, s)

/* ---- the LDM transpose ------------------------------------------------------------------------ */

/* target (columns x rows, column-major) receives the transpose of source (rows x columns, column-major):
   target[j + i * columns] = source[i + j * rows]. The block is walked in SWATOP_LANES x SWATOP_LANES
   blocks, the edge blocks partly filled; source and target do not overlap. Elements moved counted. */
#define SWATOP_TRANSPOSE(T, S)                                                                        \
    static __inline__ void swatop_transpose_##S(const T *source, T *target, long rows, long columns)     \
    {                                                                                                 \
        long i, j, i0, j0;                                                                            \
        SWATOP_LDM_READ(source, rows * columns * (long)sizeof(T), "swatop_transpose_" #S " source");  \
        SWATOP_LDM_WRITE(target, rows * columns * (long)sizeof(T), "swatop_transpose_" #S " target"); \
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

#define SWATOP_MESH_ROWS 16 /* rows of a register block: 4 doublev4 of C */
#define SWATOP_MESH_COLUMNS 4 /* columns of a register block */

/* A's 4 vectors (16 rows of one column, 32-byte aligned) and B's element splat across the lanes,
   as doublev4: a double vector is loaded whole, a float one loaded whole and widened in its register. */
static __inline__ doublev4 swatop_vector_d(const double *p) { doublev4 v; simd_load(v, p); return v; }
static __inline__ doublev4 swatop_splat_d(const double *p) { doublev4 v; simd_loade(v, p); return v; }
static __inline__ doublev4 swatop_vector_f(const float *p) { floatv4 v; simd_load(v, p); return swatop_widen(v); }
static __inline__ doublev4 swatop_splat_f(const float *p) { floatv4 v; simd_loade(v, p); return swatop_widen(v); }

/* One k step of a register block: if OWN_A (this CPE is in the step's column) it loads A's 4 vectors at pa
   and broadcasts them along its row, else it receives them; if OWN_B (in the step's row) it loads B's 4
   elements at pb0..pb3, each splat across the lanes, and broadcasts them down its column, else it receives
   them; then the 16 vmad. OWN_A and OWN_B are the constants 0 or 1, so each loop below holds one path. */
#define SWATOP_MESH_KSTEP(S, OWN_A, OWN_B, pa, pb0, pb1, pb2, pb3)                                    \
    do {                                                                                              \
        if (OWN_A) {                                                                                  \
            a0 = swatop_vector_##S(pa); a1 = swatop_vector_##S((pa) + 4);                             \
            a2 = swatop_vector_##S((pa) + 8); a3 = swatop_vector_##S((pa) + 12);                      \
            simd_putr(a0, SWATOP_MESH); simd_putr(a1, SWATOP_MESH);                                   \
            simd_putr(a2, SWATOP_MESH); simd_putr(a3, SWATOP_MESH);                                   \
        } else {                                                                                      \
            a0 = simd_getr(a0); a1 = simd_getr(a1); a2 = simd_getr(a2); a3 = simd_getr(a3);           \
        }                                                                                             \
        if (OWN_B) {                                                                                  \
            b0 = swatop_splat_##S(pb0); b1 = swatop_splat_##S(pb1);                                   \
            b2 = swatop_splat_##S(pb2); b3 = swatop_splat_##S(pb3);                                   \
            simd_putc(b0, SWATOP_MESH); simd_putc(b1, SWATOP_MESH);                                   \
            simd_putc(b2, SWATOP_MESH); simd_putc(b3, SWATOP_MESH);                                   \
        } else {                                                                                      \
            b0 = simd_getc(b0); b1 = simd_getc(b1); b2 = simd_getc(b2); b3 = simd_getc(b3);           \
        }                                                                                             \
        c00 = simd_vmad(a0, b0, c00); c10 = simd_vmad(a1, b0, c10);                                   \
        c20 = simd_vmad(a2, b0, c20); c30 = simd_vmad(a3, b0, c30);                                   \
        c01 = simd_vmad(a0, b1, c01); c11 = simd_vmad(a1, b1, c11);                                   \
        c21 = simd_vmad(a2, b1, c21); c31 = simd_vmad(a3, b1, c31);                                   \
        c02 = simd_vmad(a0, b2, c02); c12 = simd_vmad(a1, b2, c12);                                   \
        c22 = simd_vmad(a2, b2, c22); c32 = simd_vmad(a3, b2, c32);                                   \
        c03 = simd_vmad(a0, b3, c03); c13 = simd_vmad(a1, b3, c13);                                   \
        c23 = simd_vmad(a2, b3, c23); c33 = simd_vmad(a3, b3, c33);                                   \
    } while (0)

/* The block's k loop for one pair of owner flags, unrolled by 4: A's next 4 k columns lie 0, mb, 2 mb and
   3 mb past one pointer, B's 4 columns' next 4 elements at displacements 0 to 3 past 4 pointers, so the
   loop's integer work (its counter and branch, A's three addresses and 5 pointer updates: 10) is shared by
   4 k steps; then the last kb % 4 steps. */
#define SWATOP_MESH_KLOOP(S, OWN_A, OWN_B)                                                            \
    do {                                                                                              \
        for (kk = 0; kk + 4 <= kb; kk += 4) {                                                         \
            SWATOP_MESH_KSTEP(S, OWN_A, OWN_B, pa0, pb0, pb1, pb2, pb3);                              \
            SWATOP_MESH_KSTEP(S, OWN_A, OWN_B, pa0 + mb, pb0 + 1, pb1 + 1, pb2 + 1, pb3 + 1);         \
            SWATOP_MESH_KSTEP(S, OWN_A, OWN_B, pa0 + mb2, pb0 + 2, pb1 + 2, pb2 + 2, pb3 + 2);        \
            SWATOP_MESH_KSTEP(S, OWN_A, OWN_B, pa0 + mb3, pb0 + 3, pb1 + 3, pb2 + 3, pb3 + 3);        \
            pa0 += mb4; pb0 += 4; pb1 += 4; pb2 += 4; pb3 += 4;                                       \
        }                                                                                             \
        for (; kk < kb; kk++) {                                                                       \
            SWATOP_MESH_KSTEP(S, OWN_A, OWN_B, pa0, pb0, pb1, pb2, pb3);                              \
            pa0 += mb; pb0++; pb1++; pb2++; pb3++;                                                    \
        }                                                                                             \
    } while (0)

/* One register block of SUMMA step `step`: C's 16 rows (4 doublev4) by 4 columns at (i0, j0) of this
   CPE's C (double, column-major, mb rows) held in 16 accumulators across the step's kb reduction
   indices, loaded once before them and stored once after. For each index k the CPE of column `step`
   loads the 4 vectors of its A block's rows i0..i0+15 at column k and broadcasts them along its row,
   the CPE of row `step` loads its B block's elements (k, j0..j0+3), each splat across the lanes, and
   broadcasts them down its column, everyone else receives both, and every CPE runs its 16 vmad: the
   16-cycle step of the swDNN kernel, 4 getr + 4 getc (or the owner's loads and puts) beside 16 vmad.
   Which CPEs own the step is known before the k loop, so each runs the loop of its own path.
   a and b are this CPE's blocks (A mb x kb, B kb x nb, column-major), of type T. */
#define SWATOP_MESH_BLOCK(T, S)                                                                       \
    static __inline__ void swatop_mesh_block_##S(long mb, long kb, long step, long row, long col,     \
                                                 const T *a, const T *b, double *c, long i0, long j0) \
    {                                                                                                 \
        doublev4 c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33;      \
        doublev4 a0, a1, a2, a3, b0, b1, b2, b3;                                                      \
        double *const c0 = c + j0 * mb + i0, *const c1 = c0 + mb, *const c2 = c1 + mb;               \
        double *const c3 = c2 + mb;                                                                   \
        const long mb2 = 2 * mb, mb3 = 3 * mb, mb4 = 4 * mb;                                          \
        const T *pa0 = a + i0;                                                                        \
        const T *pb0 = b + j0 * kb, *pb1 = pb0 + kb, *pb2 = pb1 + kb, *pb3 = pb2 + kb;               \
        long kk;                                                                                      \
        simd_load(c00, c0); simd_load(c10, c0 + 4); simd_load(c20, c0 + 8); simd_load(c30, c0 + 12); \
        simd_load(c01, c1); simd_load(c11, c1 + 4); simd_load(c21, c1 + 8); simd_load(c31, c1 + 12); \
        simd_load(c02, c2); simd_load(c12, c2 + 4); simd_load(c22, c2 + 8); simd_load(c32, c2 + 12); \
        simd_load(c03, c3); simd_load(c13, c3 + 4); simd_load(c23, c3 + 8); simd_load(c33, c3 + 12); \
        if (col == step) {                                                                            \
            if (row == step) SWATOP_MESH_KLOOP(S, 1, 1);                                              \
            else SWATOP_MESH_KLOOP(S, 1, 0);                                                          \
        } else {                                                                                      \
            if (row == step) SWATOP_MESH_KLOOP(S, 0, 1);                                              \
            else SWATOP_MESH_KLOOP(S, 0, 0);                                                          \
        }                                                                                             \
        simd_store(c00, c0); simd_store(c10, c0 + 4); simd_store(c20, c0 + 8); simd_store(c30, c0 + 12); \
        simd_store(c01, c1); simd_store(c11, c1 + 4); simd_store(c21, c1 + 8); simd_store(c31, c1 + 12); \
        simd_store(c02, c2); simd_store(c12, c2 + 4); simd_store(c22, c2 + 8); simd_store(c32, c2 + 12); \
        simd_store(c03, c3); simd_store(c13, c3 + 4); simd_store(c23, c3 + 8); simd_store(c33, c3 + 12); \
    }

SWATOP_MESH_BLOCK(double, d)
SWATOP_MESH_BLOCK(float, f)

/* The eight SUMMA steps over this CPE's C block (double, mb x nb): in step s, every register block in
   turn, so that all 64 CPEs walk the blocks, and so the broadcasts, in the same order. Each C element is
   one fused chain over k = 0 .. k - 1 in order, as in the emulator and the reference. */
#define SWATOP_MESH_STEPS(S)                                                                          \
    do {                                                                                              \
        const long row = _ROW, col = _COL;                                                            \
        long step, i0, j0;                                                                            \
        for (step = 0; step < SWATOP_MESH; step++) {                                                  \
            for (j0 = 0; j0 < nb; j0 += SWATOP_MESH_COLUMNS) {                                        \
                for (i0 = 0; i0 < mb; i0 += SWATOP_MESH_ROWS) {                                       \
                    swatop_mesh_block_##S(mb, kb, step, row, col, a, b, c_acc, i0, j0);               \
                }                                                                                     \
            }                                                                                         \
        }                                                                                             \
    } while (0)

/* Doubles of the workspace a call with per-CPE blocks mb x nb x kb uses: none for double, C widened for
   float. The kernel's LDM plan reserves MeshGemmWorkspace (C#), which holds at least this. */
#define SWATOP_MESH_WORK_D(mb, nb, kb) 0
#define SWATOP_MESH_WORK_F(mb, nb, kb) ((mb) * (nb))

/* C (m x n) += A (m x k) * B (k x n) over the mesh; a, b and c are this CPE's column-major blocks
   (m/8 x k/8, k/8 x n/8, m/8 x n/8), 32-byte aligned. Every CPE of the core group calls it with the
   same shape; m/8 is a multiple of 16 and n/8 of 4. Operands travel register to register: the double
   kernel needs no workspace. */
static __inline__ void swatop_mesh_gemm_d(long m, long n, long k, const double *a, const double *b, double *c, double *work)
{
    const long mb = m / SWATOP_MESH, nb = n / SWATOP_MESH, kb = k / SWATOP_MESH;
    double *const c_acc = c;
    (void)work;
    SWATOP_LDM_READ(a, mb * kb * (long)sizeof(double), "swatop_mesh_gemm_d operand A");
    SWATOP_LDM_READ(b, kb * nb * (long)sizeof(double), "swatop_mesh_gemm_d operand B");
    SWATOP_LDM_WRITE(c, mb * nb * (long)sizeof(double), "swatop_mesh_gemm_d operand C");
    SWATOP_MESH_STEPS(d);
    SWATOP_COUNT_MESH_GEMM(m, n, k);
}

/* The float form, computed in double as swGEMM and swDNN do: C is widened into the workspace a vector at a
   time before the steps and narrowed (rounded to nearest) a vector at a time after them, so each C element
   is rounded once; A and B are loaded as float vectors and widened in their registers as they are
   broadcast. a and c are 16-byte aligned; work holds SWATOP_MESH_WORK_F(m/8, n/8, k/8) doubles, 32-byte
   aligned. */
static __inline__ void swatop_mesh_gemm_f(long m, long n, long k, const float *a, const float *b, float *c, double *work)
{
    const long mb = m / SWATOP_MESH, nb = n / SWATOP_MESH, kb = k / SWATOP_MESH;
    double *const c_acc = work;
    floatv4 narrow;
    doublev4 wide;
    long i;
    SWATOP_LDM_READ(a, mb * kb * (long)sizeof(float), "swatop_mesh_gemm_f operand A");
    SWATOP_LDM_READ(b, kb * nb * (long)sizeof(float), "swatop_mesh_gemm_f operand B");
    SWATOP_LDM_WRITE(c, mb * nb * (long)sizeof(float), "swatop_mesh_gemm_f operand C");
    SWATOP_LDM_WRITE(work, mb * nb * (long)sizeof(double), "swatop_mesh_gemm_f workspace");
    for (i = 0; i < mb * nb; i += SWATOP_LANES) {
        simd_load(narrow, c + i);
        wide = swatop_widen(narrow);
        simd_store(wide, c_acc + i);
    }

    SWATOP_MESH_STEPS(f);
    for (i = 0; i < mb * nb; i += SWATOP_LANES) {
        simd_load(wide, c_acc + i);
        narrow = swatop_narrow(wide);
        simd_store(narrow, c + i);
    }

    SWATOP_COUNT_MESH_GEMM(m, n, k);
}


#ifdef SWATOP_HOST_SHIM
/* In a host build every primitive call first says where it stands in its file, so that the shim's race
   reports name the statement (a parenthesized name calls the function itself). */
#define swatop_get_d(mem, ldm, count, block, gap, reply) (SWATOP_SITE(__FILE__, __LINE__), (swatop_get_d)(mem, ldm, count, block, gap, reply), SWATOP_SITE(0, 0))
#define swatop_put_d(ldm, mem, count, block, gap, reply) (SWATOP_SITE(__FILE__, __LINE__), (swatop_put_d)(ldm, mem, count, block, gap, reply), SWATOP_SITE(0, 0))
#define swatop_fill_d(ldm, count, value) (SWATOP_SITE(__FILE__, __LINE__), (swatop_fill_d)(ldm, count, value), SWATOP_SITE(0, 0))
#define swatop_eltwise_add_d(t, count, rows, a) (SWATOP_SITE(__FILE__, __LINE__), (swatop_eltwise_add_d)(t, count, rows, a), SWATOP_SITE(0, 0))
#define swatop_eltwise_mul_d(t, count, rows, a) (SWATOP_SITE(__FILE__, __LINE__), (swatop_eltwise_mul_d)(t, count, rows, a), SWATOP_SITE(0, 0))
#define swatop_eltwise_div_d(t, count, rows, a) (SWATOP_SITE(__FILE__, __LINE__), (swatop_eltwise_div_d)(t, count, rows, a), SWATOP_SITE(0, 0))
#define swatop_exp_d(t, count) (SWATOP_SITE(__FILE__, __LINE__), (swatop_exp_d)(t, count), SWATOP_SITE(0, 0))
#define swatop_eltwise_max_d(t, count, rows, a) (SWATOP_SITE(__FILE__, __LINE__), (swatop_eltwise_max_d)(t, count, rows, a), SWATOP_SITE(0, 0))
#define swatop_eltwise_min_d(t, count, rows, a) (SWATOP_SITE(__FILE__, __LINE__), (swatop_eltwise_min_d)(t, count, rows, a), SWATOP_SITE(0, 0))
#define swatop_eltwise_clamp_d(t, count, rows, a, b) (SWATOP_SITE(__FILE__, __LINE__), (swatop_eltwise_clamp_d)(t, count, rows, a, b), SWATOP_SITE(0, 0))
#define swatop_transpose_d(source, target, rows, columns) (SWATOP_SITE(__FILE__, __LINE__), (swatop_transpose_d)(source, target, rows, columns), SWATOP_SITE(0, 0))
#define swatop_mac_d(t, w, s, count, taps, stride, dilation) (SWATOP_SITE(__FILE__, __LINE__), (swatop_mac_d)(t, w, s, count, taps, stride, dilation), SWATOP_SITE(0, 0))
#define swatop_mesh_gemm_d(m, n, k, a, b, c, work) (SWATOP_SITE(__FILE__, __LINE__), (swatop_mesh_gemm_d)(m, n, k, a, b, c, work), SWATOP_SITE(0, 0))
#define swatop_get_f(mem, ldm, count, block, gap, reply) (SWATOP_SITE(__FILE__, __LINE__), (swatop_get_f)(mem, ldm, count, block, gap, reply), SWATOP_SITE(0, 0))
#define swatop_put_f(ldm, mem, count, block, gap, reply) (SWATOP_SITE(__FILE__, __LINE__), (swatop_put_f)(ldm, mem, count, block, gap, reply), SWATOP_SITE(0, 0))
#define swatop_fill_f(ldm, count, value) (SWATOP_SITE(__FILE__, __LINE__), (swatop_fill_f)(ldm, count, value), SWATOP_SITE(0, 0))
#define swatop_eltwise_add_f(t, count, rows, a) (SWATOP_SITE(__FILE__, __LINE__), (swatop_eltwise_add_f)(t, count, rows, a), SWATOP_SITE(0, 0))
#define swatop_eltwise_mul_f(t, count, rows, a) (SWATOP_SITE(__FILE__, __LINE__), (swatop_eltwise_mul_f)(t, count, rows, a), SWATOP_SITE(0, 0))
#define swatop_eltwise_div_f(t, count, rows, a) (SWATOP_SITE(__FILE__, __LINE__), (swatop_eltwise_div_f)(t, count, rows, a), SWATOP_SITE(0, 0))
#define swatop_exp_f(t, count) (SWATOP_SITE(__FILE__, __LINE__), (swatop_exp_f)(t, count), SWATOP_SITE(0, 0))
#define swatop_eltwise_max_f(t, count, rows, a) (SWATOP_SITE(__FILE__, __LINE__), (swatop_eltwise_max_f)(t, count, rows, a), SWATOP_SITE(0, 0))
#define swatop_eltwise_min_f(t, count, rows, a) (SWATOP_SITE(__FILE__, __LINE__), (swatop_eltwise_min_f)(t, count, rows, a), SWATOP_SITE(0, 0))
#define swatop_eltwise_clamp_f(t, count, rows, a, b) (SWATOP_SITE(__FILE__, __LINE__), (swatop_eltwise_clamp_f)(t, count, rows, a, b), SWATOP_SITE(0, 0))
#define swatop_transpose_f(source, target, rows, columns) (SWATOP_SITE(__FILE__, __LINE__), (swatop_transpose_f)(source, target, rows, columns), SWATOP_SITE(0, 0))
#define swatop_mac_f(t, w, s, count, taps, stride, dilation) (SWATOP_SITE(__FILE__, __LINE__), (swatop_mac_f)(t, w, s, count, taps, stride, dilation), SWATOP_SITE(0, 0))
#define swatop_mesh_gemm_f(m, n, k, a, b, c, work) (SWATOP_SITE(__FILE__, __LINE__), (swatop_mesh_gemm_f)(m, n, k, a, b, c, work), SWATOP_SITE(0, 0))
#endif /* SWATOP_HOST_SHIM */

#endif /* SWATOP_PRIMITIVES_H */
