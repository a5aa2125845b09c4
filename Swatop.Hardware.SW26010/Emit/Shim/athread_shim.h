/*
 * athread_shim.h: the athread subset of Swatop's emitted C on an ordinary Linux host (gcc, pthreads).
 *
 * One core group: the MPE is the calling thread; athread_spawn prepares 64 CPEs, and athread_join runs
 * them on that thread as coroutines, one at a time, each switching to the next only where it must wait;
 * each has its own bounds-checked 64 KB LDM arena. DMA is a strided copy that completes at issue,
 * register communication runs through bounded blocking FIFOs, athread_syn is a barrier, and the
 * SIMD types are GCC vectors. Every operation checks the rules the real machine imposes and aborts
 * with a message naming the CPE and the sizes; every CPE counts what it does. Include it through
 * swatop_athread.h with SWATOP_HOST_SHIM defined, and link athread_shim.c. README.md beside this
 * file lists the subset and where its semantics differ from the hardware.
 */
#ifndef SWATOP_ATHREAD_SHIM_H
#define SWATOP_ATHREAD_SHIM_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#if defined(__GNUC__) && !defined(__clang__)
/* 32-byte vectors passed by value change the x86-64 ABI when AVX is off. Every file of a shim build
   is compiled by the same gcc with the same flags, so the warning says nothing here. */
#pragma GCC diagnostic ignored "-Wpsabi"
#endif

/* ---- the machine ------------------------------------------------------------------------------ */

#define SWATOP_SHIM_MESH 8            /* CPEs per row and per column */
#define SWATOP_SHIM_CPES 64           /* CPEs of a core group */
#define SWATOP_SHIM_LDM_BYTES 65536   /* LDM of a CPE */
#define SWATOP_SHIM_RLC_DEPTH 4       /* 256-bit words a receive FIFO holds (Sw26010Spec.RlcFifoDepth) */
#define SWATOP_SHIM_RLC_BROADCAST 8   /* destination of a broadcast to the rest of the row or column */
#define SWATOP_SHIM_DMA_GRANULE 4     /* DMA sizes, strides and addresses are multiples of this */
#define SWATOP_SHIM_LDM_ALIGNMENT 32  /* ldm_malloc alignment */

/* ---- MPE side --------------------------------------------------------------------------------- */

/* Declare a CPE function on the MPE as `extern void SLAVE_FUN(name)(void *);`. */
#define SLAVE_FUN(fn) fn

int athread_init(void);
int athread_halt(void);
int athread_join(void);
int swatop_shim_spawn(const char *name, void (*fn)(void *), void *arg);
#define athread_spawn(fn, arg) swatop_shim_spawn(#fn, (void (*)(void *))(fn), (void *)(arg))

/* ---- CPE side: identity and LDM --------------------------------------------------------------- */

int athread_get_id(int core);         /* core must be -1: the calling CPE, 0..63 */
int swatop_shim_row(void);
int swatop_shim_column(void);
#define _MYID athread_get_id(-1)
#define _ROW swatop_shim_row()
#define _COL swatop_shim_column()

/* LDM globals: thread-local on the host, their size counted against the 64 KB. */
#define __thread_local __thread

void *ldm_malloc(size_t size);
void ldm_free(void *addr, size_t size);

/* ---- CPE side: DMA ---------------------------------------------------------------------------- */

typedef enum { PE_MODE, BCAST_MODE, ROW_MODE, BROW_MODE, RANK_MODE } dma_mode;

/* size bytes in blocks of bsize bytes (0: one block), stride bytes of main memory skipped between
   blocks; LDM side contiguous; *reply (an int) incremented when done, which in the shim is at once. */
int athread_get(dma_mode mode, void *src, void *dest, int size, volatile void *reply, int mask, int stride, int bsize);
int athread_put(dma_mode mode, void *src, void *dest, int size, volatile void *reply, int stride, int bsize);

/* Waits until *reply counts `count` transfers; counted. A wait that could never end aborts. */
void swatop_shim_dma_wait(volatile void *reply, int count);

/* ---- CPE side: races ------------------------------------------------------------------------- */

/* A transfer is outstanding from its issue until a swatop_dma_wait on its reply word covers it (a wait
   for n covers the transfers that brought the word to n or less since its last reset). Until then the
   LDM a get fills may not be read or written, a put's source may not be written, and no other transfer
   may overlap either where one of the two writes: the real machine moves the data some time in between.
   The shim moves it at issue, so it checks instead: every DMA issue, and every primitive of
   swatop_primitives.h through the SWATOP_LDM_READ / SWATOP_LDM_WRITE hooks of swatop_athread.h, and
   aborts on a race naming both accesses with the emulator's id of the rule. */
void swatop_shim_ldm_access(const void *ldm, size_t bytes, int writes, const char *operation);

/* Where the primitive call being run stands in its C file (NULL: not known), for race reports. */
void swatop_shim_site(const char *file, int line);

/* ---- CPE side: barriers ----------------------------------------------------------------------- */

typedef enum { ROW_SCOPE, COL_SCOPE, ARRAY_SCOPE } swatop_shim_scope;

/* mask: 0xff for ROW_SCOPE and COL_SCOPE, 0xffff for ARRAY_SCOPE (partial masks are not modelled). */
int athread_syn(swatop_shim_scope scope, int mask);

/* ---- CPE side: SIMD --------------------------------------------------------------------------- */

typedef double doublev4 __attribute__((vector_size(32)));
typedef float floatv4 __attribute__((vector_size(16)));

void swatop_shim_misaligned(const char *operation, const void *address, size_t alignment);

/* The SIMD instructions a CPE executes, counted as it runs them (outside a CPE they are not counted). */
enum {
    SWATOP_SHIM_SIMD_LOAD, SWATOP_SHIM_SIMD_SPLAT, SWATOP_SHIM_SIMD_STORE, SWATOP_SHIM_SIMD_FMA, SWATOP_SHIM_SIMD_CONVERT,
    SWATOP_SHIM_SIMD_UNALIGNED_LOAD, SWATOP_SHIM_SIMD_GATHER, SWATOP_SHIM_SIMD_ARITHMETIC
};
void swatop_shim_count_simd(int kind);

static inline doublev4 swatop_shim_load_d(const double *p)
{
    doublev4 v;
    if ((uintptr_t)p % sizeof v != 0) swatop_shim_misaligned("simd_load of a doublev4", p, sizeof v);
    swatop_shim_count_simd(SWATOP_SHIM_SIMD_LOAD);
    memcpy(&v, p, sizeof v);
    return v;
}

static inline floatv4 swatop_shim_load_f(const float *p)
{
    floatv4 v;
    if ((uintptr_t)p % sizeof v != 0) swatop_shim_misaligned("simd_load of a floatv4", p, sizeof v);
    swatop_shim_count_simd(SWATOP_SHIM_SIMD_LOAD);
    memcpy(&v, p, sizeof v);
    return v;
}

/* simd_loadu: the 4 lanes at any element address (SW5 builds it from unaligned low and high loads). */
static inline doublev4 swatop_shim_loadu_d(const double *p)
{
    doublev4 v;
    swatop_shim_count_simd(SWATOP_SHIM_SIMD_UNALIGNED_LOAD);
    memcpy(&v, p, sizeof v);
    return v;
}

static inline floatv4 swatop_shim_loadu_f(const float *p)
{
    floatv4 v;
    swatop_shim_count_simd(SWATOP_SHIM_SIMD_UNALIGNED_LOAD);
    memcpy(&v, p, sizeof v);
    return v;
}

static inline void swatop_shim_store_d(doublev4 v, double *p)
{
    if ((uintptr_t)p % sizeof v != 0) swatop_shim_misaligned("simd_store of a doublev4", p, sizeof v);
    swatop_shim_count_simd(SWATOP_SHIM_SIMD_STORE);
    memcpy(p, &v, sizeof v);
}

static inline void swatop_shim_store_f(floatv4 v, float *p)
{
    if ((uintptr_t)p % sizeof v != 0) swatop_shim_misaligned("simd_store of a floatv4", p, sizeof v);
    swatop_shim_count_simd(SWATOP_SHIM_SIMD_STORE);
    memcpy(p, &v, sizeof v);
}

static inline doublev4 swatop_shim_loade_d(const double *p)
{
    double x = *p;
    swatop_shim_count_simd(SWATOP_SHIM_SIMD_SPLAT);
    return (doublev4){ x, x, x, x };
}

static inline floatv4 swatop_shim_loade_f(const float *p)
{
    float x = *p;
    swatop_shim_count_simd(SWATOP_SHIM_SIMD_SPLAT);
    return (floatv4){ x, x, x, x };
}

/* vmad is fused on the CPE: one rounding per lane, as fma() and the emulator compute it. */
static inline doublev4 swatop_shim_vmad_d(doublev4 a, doublev4 b, doublev4 c)
{
    swatop_shim_count_simd(SWATOP_SHIM_SIMD_FMA);
    return (doublev4){ fma(a[0], b[0], c[0]), fma(a[1], b[1], c[1]), fma(a[2], b[2], c[2]), fma(a[3], b[3], c[3]) };
}

static inline floatv4 swatop_shim_vmad_f(floatv4 a, floatv4 b, floatv4 c)
{
    swatop_shim_count_simd(SWATOP_SHIM_SIMD_FMA);
    return (floatv4){ fmaf(a[0], b[0], c[0]), fmaf(a[1], b[1], c[1]), fmaf(a[2], b[2], c[2]), fmaf(a[3], b[3], c[3]) };
}

/* simd_load(v, p): v = the 4 lanes at p (aligned to the vector's size); simd_store(v, p) the reverse;
   simd_loade(v, p): v = *p in every lane. These take either vector type, as the real macros do. The
   fused multiply-add a * b + c does not: as in the real simd.h, simd_vmad takes doublev4 operands and
   simd_vmas floatv4 ones, and the other type is a compile error, not a conversion. */
#define simd_load(v, p) ((v) = _Generic((v), doublev4: swatop_shim_load_d, floatv4: swatop_shim_load_f)(p))
#define simd_store(v, p) _Generic((v), doublev4: swatop_shim_store_d, floatv4: swatop_shim_store_f)((v), (p))
#define simd_loade(v, p) ((v) = _Generic((v), doublev4: swatop_shim_loade_d, floatv4: swatop_shim_loade_f)(p))
#define simd_loadu(v, p) ((v) = _Generic((v), doublev4: swatop_shim_loadu_d, floatv4: swatop_shim_loadu_f)(p))
#define simd_vmad(a, b, c) swatop_shim_vmad_d((a), (b), (c))
#define simd_vmas(a, b, c) swatop_shim_vmad_f((a), (b), (c))
/* A floatv4 as a doublev4 (exact) and back (round to nearest): on the CPE a cast, since a floatv4
   register already holds its lanes in double format; swatop_athread.h names them swatop_widen and
   swatop_narrow. */
static inline doublev4 swatop_shim_widen(floatv4 v)
{
    swatop_shim_count_simd(SWATOP_SHIM_SIMD_CONVERT);
    return (doublev4){ v[0], v[1], v[2], v[3] };
}

static inline floatv4 swatop_shim_narrow(doublev4 v)
{
    swatop_shim_count_simd(SWATOP_SHIM_SIMD_CONVERT);
    return (floatv4){ (float)v[0], (float)v[1], (float)v[2], (float)v[3] };
}

/* A vector set lane by lane (on the CPE from 4 scalar registers: a gather of 4 scalar loads where the
   lanes come from memory); counted as one gather. */
static inline doublev4 simd_set_doublev4(double x0, double x1, double x2, double x3)
{
    swatop_shim_count_simd(SWATOP_SHIM_SIMD_GATHER);
    return (doublev4){ x0, x1, x2, x3 };
}

static inline floatv4 simd_set_floatv4(float x0, float x1, float x2, float x3)
{
    swatop_shim_count_simd(SWATOP_SHIM_SIMD_GATHER);
    return (floatv4){ x0, x1, x2, x3 };
}

/* Vector arithmetic on P0, each lane rounded once to the vector's element type (nothing fused), counted
   as arithmetic: add, multiply and divide (simd_vaddd, simd_vmuld, simd_vdivd; simd_vadds, simd_vmuls,
   simd_vdivs for floatv4), the
   compare simd_vfcmpltd / simd_vfcmplts (2.0 in a lane where a < b, else 0.0; false for NaN) and the
   select simd_vseleqd / simd_vseleqs (b in a lane where a is zero, else c). */
static inline doublev4 simd_vaddd(doublev4 a, doublev4 b) { swatop_shim_count_simd(SWATOP_SHIM_SIMD_ARITHMETIC); return a + b; }
static inline doublev4 simd_vmuld(doublev4 a, doublev4 b) { swatop_shim_count_simd(SWATOP_SHIM_SIMD_ARITHMETIC); return a * b; }
static inline floatv4 simd_vadds(floatv4 a, floatv4 b) { swatop_shim_count_simd(SWATOP_SHIM_SIMD_ARITHMETIC); return a + b; }
static inline floatv4 simd_vmuls(floatv4 a, floatv4 b) { swatop_shim_count_simd(SWATOP_SHIM_SIMD_ARITHMETIC); return a * b; }
static inline doublev4 simd_vdivd(doublev4 a, doublev4 b) { swatop_shim_count_simd(SWATOP_SHIM_SIMD_ARITHMETIC); return a / b; }
static inline floatv4 simd_vdivs(floatv4 a, floatv4 b) { swatop_shim_count_simd(SWATOP_SHIM_SIMD_ARITHMETIC); return a / b; }

static inline doublev4 simd_vfcmpltd(doublev4 a, doublev4 b)
{
    swatop_shim_count_simd(SWATOP_SHIM_SIMD_ARITHMETIC);
    return (doublev4){ a[0] < b[0] ? 2.0 : 0.0, a[1] < b[1] ? 2.0 : 0.0, a[2] < b[2] ? 2.0 : 0.0, a[3] < b[3] ? 2.0 : 0.0 };
}

static inline floatv4 simd_vfcmplts(floatv4 a, floatv4 b)
{
    swatop_shim_count_simd(SWATOP_SHIM_SIMD_ARITHMETIC);
    return (floatv4){ a[0] < b[0] ? 2.0f : 0.0f, a[1] < b[1] ? 2.0f : 0.0f, a[2] < b[2] ? 2.0f : 0.0f, a[3] < b[3] ? 2.0f : 0.0f };
}

static inline doublev4 simd_vseleqd(doublev4 a, doublev4 b, doublev4 c)
{
    swatop_shim_count_simd(SWATOP_SHIM_SIMD_ARITHMETIC);
    return (doublev4){ a[0] == 0 ? b[0] : c[0], a[1] == 0 ? b[1] : c[1], a[2] == 0 ? b[2] : c[2], a[3] == 0 ? b[3] : c[3] };
}

static inline floatv4 simd_vseleqs(floatv4 a, floatv4 b, floatv4 c)
{
    swatop_shim_count_simd(SWATOP_SHIM_SIMD_ARITHMETIC);
    return (floatv4){ a[0] == 0 ? b[0] : c[0], a[1] == 0 ? b[1] : c[1], a[2] == 0 ? b[2] : c[2], a[3] == 0 ? b[3] : c[3] };
}

/* ---- CPE side: register communication --------------------------------------------------------- */

enum { SWATOP_SHIM_ROW_BUS = 0, SWATOP_SHIM_COLUMN_BUS = 1 };

void swatop_shim_rlc_put(int bus, int destination, const void *word, int bytes);
void swatop_shim_rlc_get(int bus, void *word, int bytes);

static inline void swatop_shim_putr_d(doublev4 v, int destination) { swatop_shim_rlc_put(SWATOP_SHIM_ROW_BUS, destination, &v, (int)sizeof v); }
static inline void swatop_shim_putr_f(floatv4 v, int destination) { swatop_shim_rlc_put(SWATOP_SHIM_ROW_BUS, destination, &v, (int)sizeof v); }
static inline void swatop_shim_putc_d(doublev4 v, int destination) { swatop_shim_rlc_put(SWATOP_SHIM_COLUMN_BUS, destination, &v, (int)sizeof v); }
static inline void swatop_shim_putc_f(floatv4 v, int destination) { swatop_shim_rlc_put(SWATOP_SHIM_COLUMN_BUS, destination, &v, (int)sizeof v); }
static inline doublev4 swatop_shim_getr_d(void) { doublev4 v; swatop_shim_rlc_get(SWATOP_SHIM_ROW_BUS, &v, (int)sizeof v); return v; }
static inline floatv4 swatop_shim_getr_f(void) { floatv4 v; swatop_shim_rlc_get(SWATOP_SHIM_ROW_BUS, &v, (int)sizeof v); return v; }
static inline doublev4 swatop_shim_getc_d(void) { doublev4 v; swatop_shim_rlc_get(SWATOP_SHIM_COLUMN_BUS, &v, (int)sizeof v); return v; }
static inline floatv4 swatop_shim_getc_f(void) { floatv4 v; swatop_shim_rlc_get(SWATOP_SHIM_COLUMN_BUS, &v, (int)sizeof v); return v; }

/* simd_putr(v, d) sends v along the row to column d (0..7, not its own) or, with d = 8, to the 7
   others; simd_putc along the column. v = simd_getr(v) receives the next word of the row bus
   (the argument only names the type and is not read); simd_getc the column bus. */
#define simd_putr(v, destination) _Generic((v), doublev4: swatop_shim_putr_d, floatv4: swatop_shim_putr_f)((v), (destination))
#define simd_putc(v, destination) _Generic((v), doublev4: swatop_shim_putc_d, floatv4: swatop_shim_putc_f)((v), (destination))
#define simd_getr(v) _Generic((v), doublev4: swatop_shim_getr_d, floatv4: swatop_shim_getr_f)()
#define simd_getc(v) _Generic((v), doublev4: swatop_shim_getc_d, floatv4: swatop_shim_getc_f)()

/* ---- counting --------------------------------------------------------------------------------- */

/* Hooks of the primitive library (through the SWATOP_COUNT_* macros of swatop_athread.h). The mesh
   GEMM counts one call and its share of the flops, 2 * m * n * k / 64, on the calling CPE; the
   element-wise primitive its flops. */
void swatop_shim_count_mesh_gemm(long m, long n, long k);
void swatop_shim_count_fill(long elements);
void swatop_shim_count_eltwise(long flops);
void swatop_shim_count_mac(long flops);
void swatop_shim_count_convert(long elements);
void swatop_shim_count_copy(long elements);
void swatop_shim_count_transpose(long elements);

/* Per-CPE tallies since athread_init (or the last reset), as CSV with a header line, one line per
   CPE: the emulator's counts, the LDM peak, and the SIMD instructions executed (vector loads, splat
   loads, vector stores, fused multiply-adds, float/double conversions, unaligned vector loads, vectors
   gathered lane by lane, other vector arithmetic). With SWATOP_SHIM_COUNTS=path in the environment, athread_init arranges for them to be
   written to that file when the program exits normally. */
void swatop_shim_reset_counts(void);
int swatop_shim_write_counts(FILE *out);
int swatop_shim_dump_counts(const char *path);

#endif /* SWATOP_ATHREAD_SHIM_H */
