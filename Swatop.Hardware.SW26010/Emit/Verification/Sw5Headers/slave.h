/*
 * slave.h: a compile-only stand-in for the CPE header of the SW26010's sw5cc, for Swatop's check
 * of emitted C on an ordinary host (Sw5HeaderCheck). It declares what the real header declares and
 * the emitted code may use, with the real spellings and types, and nothing more: a CPE file that
 * needs a name the real header does not give (ldm_malloc, ldm_free, a barrier) fails to compile
 * here as it would under sw5cc. Nothing here runs; the host shim (athread_shim.h) does that.
 */
#ifndef _SLAVE_H
#define _SLAVE_H

/* LDM-resident data of each CPE. */
#define __thread_local __thread
#define __thread_local_fix __thread

typedef enum {
    PE_MODE,
    BCAST_MODE,
    ROW_MODE,
    BROW_MODE,
    RANK_MODE
} dma_mode;

typedef enum {
    DMA_PUT,
    DMA_GET,
    DMA_PUT_P,
    DMA_GET_P,
    DMA_BARRIER = 5
} DMA_OP;

typedef enum {
    ROW_SCOPE,
    COL_SCOPE,
    ARRAY_SCOPE
} scope;

extern int athread_get(dma_mode mode, void *src, void *dest, int len, void *reply, char mask, int stride, int bsize);
extern int athread_put(dma_mode mode, void *src, void *dest, int len, void *reply, int stride, int bsize);
extern int athread_get_core(int id);
extern int athread_get_id(int core);
extern int athread_syn(scope scp, int mask);

/* The CPE's place: core group, row, column and number in the mesh, and its athread id. */
extern __thread_local_fix char _CGN, _ROW, _COL, _PEN;
extern __thread_local_fix int _MYID;

#endif /* _SLAVE_H */
