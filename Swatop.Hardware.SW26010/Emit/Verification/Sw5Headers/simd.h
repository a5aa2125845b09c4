/*
 * simd.h: a compile-only stand-in for the SIMD header of the SW26010's sw5cc (CPE side), for
 * Swatop's check of emitted C on an ordinary host (Sw5HeaderCheck). It declares the 256-bit vector
 * types and the intrinsics with the real spellings and operand types; the fused multiply-adds are
 * typed as in the real header, so simd_vmad takes doublev4 only and simd_vmas floatv4 only, and a
 * float vector passed to simd_vmad fails to compile here as under sw5cc.
 *
 * On the CPE a floatv4 fills a 256-bit register as a doublev4 does (its four lanes held in double
 * format), and sw5cc converts between the two with a cast. floatv4 is therefore declared 32 bytes
 * wide here, so that gcc takes those casts; the stand-in is for compiling only, so its lanes and
 * its memory size do not matter. The load, store and register-communication macros check that
 * their vector is 256 bits wide; nothing here runs.
 */
#ifndef _SIMD_H_INCLUDED
#define _SIMD_H_INCLUDED

typedef int intv8 __attribute__((__vector_size__(32)));
typedef unsigned uintv8 __attribute__((__vector_size__(32)));
typedef long int256 __attribute__((__vector_size__(32)));
typedef unsigned long uint256 __attribute__((__vector_size__(32)));
typedef float floatv4 __attribute__((__vector_size__(32)));
typedef double doublev4 __attribute__((__vector_size__(32)));

/* A 256-bit vector, or a compile error naming the check. */
#define __simd_stub_v256(v) ((void)sizeof(char[sizeof(v) == 32 ? 1 : -1]))
extern doublev4 __simd_stub_word(void);

/* v = the vector at p (aligned); simd_loade splats the element at p; simd_store writes v at p. */
#define simd_load(dest, src) (__simd_stub_v256(dest), (dest) = *(__typeof__(dest) *)(src))
#define simd_loadu(dest, src) (__simd_stub_v256(dest), (dest) = *(__typeof__(dest) *)(src))
#define simd_loade(dest, src) (__simd_stub_v256(dest), (void)*(src), (dest) = (__typeof__(dest))__simd_stub_word())
#define simd_store(src, dest) (__simd_stub_v256(src), *(__typeof__(src) *)(dest) = (src))
#define simd_storeu(src, dest) (__simd_stub_v256(src), *(__typeof__(src) *)(dest) = (src))

extern doublev4 simd_set_doublev4(double w, double x, double y, double z);
extern floatv4 simd_set_floatv4(float w, float x, float y, float z);
extern intv8 simd_set_intv8(int s, int t, int u, int v, int w, int x, int y, int z);

extern doublev4 simd_vaddd(doublev4 a, doublev4 b);
extern doublev4 simd_vsubd(doublev4 a, doublev4 b);
extern doublev4 simd_vmuld(doublev4 a, doublev4 b);
extern doublev4 simd_vdivd(doublev4 a, doublev4 b);
extern floatv4 simd_vadds(floatv4 a, floatv4 b);
extern floatv4 simd_vsubs(floatv4 a, floatv4 b);
extern floatv4 simd_vmuls(floatv4 a, floatv4 b);
extern floatv4 simd_vdivs(floatv4 a, floatv4 b);

/* Compare (2.0 in a lane where a < b, else 0.0) and select (b in a lane where a is zero, else c). */
extern doublev4 simd_vfcmpltd(doublev4 a, doublev4 b);
extern floatv4 simd_vfcmplts(floatv4 a, floatv4 b);
extern doublev4 simd_vseleqd(doublev4 a, doublev4 b, doublev4 c);
extern floatv4 simd_vseleqs(floatv4 a, floatv4 b, floatv4 c);

/* a * b + c, a * b - c, -(a * b) + c, -(a * b) - c: double (d) and single (s) precision. */
extern doublev4 simd_vmad(doublev4 a, doublev4 b, doublev4 c);
extern doublev4 simd_vmsd(doublev4 a, doublev4 b, doublev4 c);
extern doublev4 simd_vnmad(doublev4 a, doublev4 b, doublev4 c);
extern doublev4 simd_vnmsd(doublev4 a, doublev4 b, doublev4 c);
extern floatv4 simd_vmas(floatv4 a, floatv4 b, floatv4 c);
extern floatv4 simd_vmss(floatv4 a, floatv4 b, floatv4 c);
extern floatv4 simd_vnmas(floatv4 a, floatv4 b, floatv4 c);
extern floatv4 simd_vnmss(floatv4 a, floatv4 b, floatv4 c);

/* Register communication: simd_putr(v, d) sends v along the row to column d (8: the other seven),
   simd_putc down the column; v = simd_getr(v) and v = simd_getc(v) receive (v names the type). */
#define simd_putr(x, y) (__simd_stub_v256(x), (void)(x), (void)(int)(y))
#define simd_putc(x, y) (__simd_stub_v256(x), (void)(x), (void)(int)(y))
#define simd_getr(x) (__simd_stub_v256(x), (__typeof__(x))__simd_stub_word())
#define simd_getc(x) (__simd_stub_v256(x), (__typeof__(x))__simd_stub_word())

#endif /* _SIMD_H_INCLUDED */
