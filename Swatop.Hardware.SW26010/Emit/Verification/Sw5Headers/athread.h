/*
 * athread.h: a compile-only stand-in for the MPE header of the SW26010's sw5cc, for Swatop's check
 * of emitted C on an ordinary host (Sw5HeaderCheck). It declares the athread interface of the MPE
 * with the real spellings: a CPE function is named slave_NAME on the MPE (SLAVE_FUN), and
 * athread_spawn passes it to __real_athread_spawn. The real macro passes the function as it is;
 * this one casts it to void *, because ISO C forbids passing a function pointer for a void * (the
 * check compiles with -pedantic) and sw5cc takes it either way. Nothing here runs.
 */
#ifndef _ATHREAD_H
#define _ATHREAD_H

#include <stdlib.h>
#include <string.h>

#define SLAVE_FUN(x) slave_##x
#define athread_spawn(y, z) __real_athread_spawn((void *)slave_##y, z)

extern int athread_init(void);
extern int __real_athread_spawn(void *fpc, void *arg);
extern int athread_join(void);
extern int athread_halt(void);
extern int athread_get_max_threads(void);
extern int athread_set_num_threads(int num_threads);
extern int athread_get_num_threads(void);

#endif /* _ATHREAD_H */
