/*
 * swatop_athread.h: the one include of Swatop's emitted athread C.
 *
 * Built with sw5cc for the SW26010 it includes the real athread headers, chosen by the define the
 * emitted Makefile passes: -DSWATOP_CPE for the CPE file (<slave.h> and <simd.h>), -DSWATOP_MPE for
 * the MPE files (<athread.h>). sw5cc itself defines neither __sw_slave__ nor __sw_host__, so the
 * choice cannot be left to the compiler. Built with -DSWATOP_HOST_SHIM on an ordinary Linux host it
 * includes the host verification shim instead (athread_shim.h, linked with athread_shim.c), which
 * runs the 64 CPEs of a core group as coroutines and counts what they do. Emitted files are the same
 * for both builds; only this header's choice differs. Like every emitted file it is C89 with GNU
 * extensions (gnu89, sw5cc's default): declarations first in a block.
 *
 * Beyond athread itself it defines, for both builds:
 *   swatop_dma_wait(reply, n)        wait until the reply word counts n completed transfers, then a
 *                                    memory barrier (memb) so that later loads see the data
 *   swatop_widen(v), swatop_narrow(v) a floatv4 as a doublev4 (exact) and back (round to nearest), in
 *                                    the CPE file
 *   SWATOP_COUNT_MESH_GEMM(m, n, k)  counting hooks of the primitive library; no code on the
 *   SWATOP_COUNT_FILL(elements)      real machine, per-CPE tallies in the shim
 *   SWATOP_COUNT_ELTWISE(flops)
 *   SWATOP_COUNT_CONVERT(elements)
 *   SWATOP_COUNT_COPY(elements)
 *   SWATOP_COUNT_TRANSPOSE(elements)
 *   SWATOP_COUNT_MAC(flops)
 *   SWATOP_LDM_READ(p, bytes, name)  race-check hooks of the primitive library: the LDM a primitive
 *   SWATOP_LDM_WRITE(p, bytes, name) reads or writes, checked against the CPE's outstanding DMA in
 *                                    the shim; no code on the real machine
 *   SWATOP_SITE(file, line)          where a primitive call stands, for the shim's race reports
 * and, in a CPE build for sw5cc, the LDM allocator's declarations, which <slave.h> leaves out.
 */
#ifndef SWATOP_ATHREAD_H
#define SWATOP_ATHREAD_H

#ifdef SWATOP_HOST_SHIM

#include "athread_shim.h"

#define swatop_dma_wait(reply, count) swatop_shim_dma_wait((reply), (count))
#define swatop_widen(v) swatop_shim_widen(v)
#define swatop_narrow(v) swatop_shim_narrow(v)
#define SWATOP_COUNT_MESH_GEMM(m, n, k) swatop_shim_count_mesh_gemm((m), (n), (k))
#define SWATOP_COUNT_FILL(elements) swatop_shim_count_fill(elements)
#define SWATOP_COUNT_ELTWISE(flops) swatop_shim_count_eltwise(flops)
#define SWATOP_COUNT_CONVERT(elements) swatop_shim_count_convert(elements)
#define SWATOP_COUNT_COPY(elements) swatop_shim_count_copy(elements)
#define SWATOP_COUNT_TRANSPOSE(elements) swatop_shim_count_transpose(elements)
#define SWATOP_COUNT_MAC(flops) swatop_shim_count_mac(flops)
#define SWATOP_LDM_READ(p, bytes, name) swatop_shim_ldm_access((p), (size_t)(bytes), 0, (name))
#define SWATOP_LDM_WRITE(p, bytes, name) swatop_shim_ldm_access((p), (size_t)(bytes), 1, (name))
#define SWATOP_SITE(file, line) swatop_shim_site((file), (line))

#else /* the real machine */

#if defined(SWATOP_CPE) && defined(SWATOP_MPE)
#error "swatop_athread.h: define one of SWATOP_CPE (the CPE file) and SWATOP_MPE (the MPE files), not both"
#elif defined(SWATOP_CPE)

#include <stddef.h>
#include <slave.h>
#include <simd.h>

/* The CPE runtime's LDM allocator; swGEMM and swDNN declare it themselves too. */
extern void *ldm_malloc(size_t size);
extern void ldm_free(void *addr, size_t size);

/* The DMA engine adds 1 to the reply word when a transfer completes; the barrier keeps the loads
   that follow from being served before the data has landed in LDM. */
#define swatop_dma_wait(reply, count)                                \
    do {                                                             \
        while (*(volatile int *)(reply) < (count)) {                 \
        }                                                            \
        __asm__ __volatile__("memb" : : : "memory");                 \
    } while (0)

/* A floatv4 register holds its four lanes in double format, so sw5cc converts with a cast (as
   swGEMM's float kernels do): widening is free, narrowing rounds. */
#define swatop_widen(v) ((doublev4)(v))
#define swatop_narrow(v) ((floatv4)(v))

#elif defined(SWATOP_MPE)

#include <athread.h>

#else
#error "swatop_athread.h: compile the CPE file with -DSWATOP_CPE and the MPE files with -DSWATOP_MPE (the emitted Makefile does)"
#endif

#define SWATOP_COUNT_MESH_GEMM(m, n, k) ((void)0)
#define SWATOP_COUNT_FILL(elements) ((void)0)
#define SWATOP_COUNT_ELTWISE(flops) ((void)0)
#define SWATOP_COUNT_CONVERT(elements) ((void)0)
#define SWATOP_COUNT_COPY(elements) ((void)0)
#define SWATOP_COUNT_TRANSPOSE(elements) ((void)0)
#define SWATOP_COUNT_MAC(flops) ((void)0)
#define SWATOP_LDM_READ(p, bytes, name) ((void)0)
#define SWATOP_LDM_WRITE(p, bytes, name) ((void)0)
#define SWATOP_SITE(file, line) ((void)0)

#endif /* SWATOP_HOST_SHIM */

#endif /* SWATOP_ATHREAD_H */
