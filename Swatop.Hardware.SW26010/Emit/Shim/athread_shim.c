/*
 * athread_shim.c: the implementation behind athread_shim.h (see README.md beside it).
 *
 * The 64 CPEs of a spawn are coroutines (ucontext) on the thread that calls athread_join: each has
 * its own stack and runs until it must wait (a register FIFO full or empty, a barrier), then hands
 * the thread to the next CPE in round-robin order that can go on. Nothing runs in parallel, so the
 * shared state (FIFOs, barriers, who waits for what) needs no lock, a run is the same every time,
 * and a switch is a user-space context switch rather than a futex and a trip through the kernel's
 * scheduler. When no CPE that has not finished can go on, every one waits for another: that is the
 * deadlock the real machine would hang in, and the shim reports it instead.
 */
#define _GNU_SOURCE
#include "athread_shim.h"

#include <dlfcn.h>
#include <link.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#define SHIM_POISON(p, n) ASAN_POISON_MEMORY_REGION((p), (n))
#define SHIM_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define SHIM_POISON(p, n) ((void)(p), (void)(n))
#define SHIM_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#ifdef __SANITIZE_THREAD__
#include <sanitizer/tsan_interface.h>
#endif

#define MESH SWATOP_SHIM_MESH
#define CPES SWATOP_SHIM_CPES
#define LDM_BYTES SWATOP_SHIM_LDM_BYTES
#define DEPTH SWATOP_SHIM_RLC_DEPTH
#define MAX_LDM_BLOCKS 256
#define STACK_BYTES ((size_t)8 << 20) /* a CPE's host stack: glibc's usual thread stack */
#define STACK_DIRTY_BYTES ((size_t)64 << 10) /* the top of a stack a finished CPE may leave poisoned under ASan */

typedef struct {
    long long dma_gets, dma_puts, dma_get_bytes, dma_put_bytes, dma_blocks, dma_waits;
    long long rlc_puts, rlc_gets, mesh_gemm_calls, flops;
    long long fill_elements, convert_elements, copy_elements, transpose_elements, synchronizations;
    long long ldm_peak_bytes;
    long long simd[8]; /* SWATOP_SHIM_SIMD_LOAD .. SWATOP_SHIM_SIMD_ARITHMETIC */
} counts_t;

typedef struct {
    unsigned char bytes[32];
    int size;
    int sender;
} rlc_word_t;

typedef struct {
    rlc_word_t items[DEPTH];
    int head, count;
} fifo_t;

typedef struct {
    size_t offset, size, span;
} ldm_block_t;

typedef struct {
    const char *name;
    int size, arrived;
    unsigned long generation;
} barrier_t;

enum wait_kind { WAIT_NONE, WAIT_GET, WAIT_PUT, WAIT_BARRIER };

/* A DMA transfer issued and not yet covered by a swatop_dma_wait: its LDM bytes, direction and reply
   word, the count it brought the word to (a wait for that many or more covers it), and where it was
   issued. A transfer whose word was reset before such a wait is orphaned: nothing can cover it. */
typedef struct {
    const unsigned char *start;
    size_t size;
    int is_get;
    const void *reply;
    int sequence;
    int orphaned;
    const char *file;
    int line;
} pending_t;

typedef struct {
    int id, row, column;

    /* The coroutine: its saved context, its stack (below it one guard page) and, while it is switched
       out, its copy of the program's __thread_local data. */
    ucontext_t context;
    unsigned char *stack_mapping;
    unsigned char *tls_copy;
#ifdef __SANITIZE_THREAD__
    void *tsan_fiber;
#endif

    /* LDM: the arena holds the ldm_malloc heap; __thread_local data and the stack live elsewhere on
       the host but count (the former) or are allowed (both) as this CPE's LDM. */
    unsigned char *ldm;
    ldm_block_t blocks[MAX_LDM_BLOCKS];
    int block_count;
    size_t heap_used;
    unsigned char *tls_start;
    size_t tls_size;
    unsigned char *stack_start;
    size_t stack_size;

    fifo_t fifo[2];

    /* What the CPE waits for. */
    enum wait_kind wait;
    int wait_bus;
    int wait_targets[MESH - 1];
    int wait_target_count;
    barrier_t *wait_barrier;
    unsigned long wait_generation;
    int finished;

    /* The outstanding DMA transfers, in issue order, and the primitive call being run (its file and
       line in the calling C, recorded by swatop_primitives.h in a host build; NULL outside one). */
    pending_t *pending;
    int pending_count, pending_capacity;
    const char *site_file;
    int site_line;

    counts_t counts;
} cpe_t;

static int initialized, halted, running, failing;
static unsigned char *arena;
static cpe_t cpes[CPES];
static barrier_t row_barriers[MESH], column_barriers[MESH], array_barrier;
static int finished;

/* The CPE whose coroutine runs now; NULL on the MPE (the program's own code, athread_join included). */
static cpe_t *active;
static ucontext_t mpe_context;

/* The program's __thread_local data: one live block on the host thread, which holds the copy of
   whoever runs (the MPE's or a CPE's); a switch saves it into the one switched out and loads the
   one switched in. A spawn starts each CPE's copy from the program's initial image. */
static unsigned char *tls_live, *tls_mpe_copy;
static const unsigned char *tls_image;
static size_t tls_image_bytes;

/* libc's swapcontext itself: ASan's interceptor of it warns on every program that switches stacks,
   although the switches below tell ASan about each one (__sanitizer_*_switch_fiber). */
static int (*switch_context)(ucontext_t *, const ucontext_t *) = swapcontext;

#ifdef __SANITIZE_ADDRESS__
static const void *mpe_stack_bottom;
static size_t mpe_stack_size;
#endif
#ifdef __SANITIZE_THREAD__
static void *mpe_tsan_fiber;
#endif
static void (*kernel_fn)(void *);
static void *kernel_arg;
static const char *kernel_name = "(none)";
static size_t tls_bytes;
static size_t heap_capacity;
static void *program_handle;
static const char *counts_path;


/* ---- failing ---------------------------------------------------------------------------------- */

static void vfail(const cpe_t *c, const char *format, va_list args) __attribute__((noreturn, format(printf, 2, 0)));

static void vfail(const cpe_t *c, const char *format, va_list args)
{
    if (failing) {
        abort(); /* a failure while reporting one: the first message stands */
    }

    failing = 1;

    if (c != NULL) {
        fprintf(stderr, "swatop athread shim: CPE (%d, %d) of CG 0 (athread id %d) in '%s': ", c->row, c->column, c->id, kernel_name);
    } else {
        fprintf(stderr, "swatop athread shim: ");
    }

    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    fflush(stderr);
    fflush(stdout);
    abort();
}

static void fail(const cpe_t *c, const char *format, ...) __attribute__((noreturn, format(printf, 2, 3)));

static void fail(const cpe_t *c, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    vfail(c, format, args);
}

static cpe_t *current(const char *operation)
{
    cpe_t *c = active;
    if (c == NULL || !initialized) {
        fail(NULL, "%s called outside a CPE: only a function started by athread_spawn may call it", operation);
    }

    return c;
}

void swatop_shim_misaligned(const char *operation, const void *address, size_t alignment)
{
    fail(active, "%s at %p: the address must be a multiple of %zu bytes", operation, address, alignment);
}

/* ---- MPE side --------------------------------------------------------------------------------- */

static int find_program_tls(struct dl_phdr_info *info, size_t size, void *data)
{
    (void)size;
    (void)data;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        if (info->dlpi_phdr[i].p_type == PT_TLS) {
            tls_bytes = info->dlpi_phdr[i].p_memsz;
            tls_image = (const unsigned char *)(info->dlpi_addr + info->dlpi_phdr[i].p_vaddr);
            tls_image_bytes = info->dlpi_phdr[i].p_filesz;
        }
    }

    return 1; /* the first object is the program itself */
}

/* The calling thread's block of the program's __thread_local data (glibc), or NULL. */
static unsigned char *program_tls_block(void)
{
    void *tls = NULL;
#ifdef __GLIBC__ /* RTLD_DI_TLS_DATA is an enumerator of glibc, not a macro */
    if (tls_bytes > 0 && program_handle != NULL && dlinfo(program_handle, RTLD_DI_TLS_DATA, &tls) != 0) tls = NULL;
#endif
    return tls;
}

/* A CPE's stack: STACK_BYTES, reserved but taken from the system only as it is touched, with a page
   below it that faults on an overflow. */
static void map_stack(cpe_t *c)
{
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    void *mapping = mmap(NULL, STACK_BYTES + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_STACK, -1, 0);
    if (mapping == MAP_FAILED) {
        fail(NULL, "athread_init: cannot map the %zu-byte stack of CPE %d", STACK_BYTES, c->id);
    }

    mprotect(mapping, page, PROT_NONE);
    c->stack_mapping = mapping;
    c->stack_start = (unsigned char *)mapping + page;
    c->stack_size = STACK_BYTES;
}

static void write_counts_at_exit(void)
{
    if (counts_path != NULL && !running && !__atomic_load_n(&failing, __ATOMIC_SEQ_CST)) {
        swatop_shim_dump_counts(counts_path);
    }
}

int athread_init(void)
{
    if (initialized) {
        return 0;
    }

    /* __thread_local data of the program: its PT_TLS segment, which every CPE gets a copy of. */
    dl_iterate_phdr(find_program_tls, NULL);
    size_t tls_rounded = (tls_bytes + SWATOP_SHIM_LDM_ALIGNMENT - 1) / SWATOP_SHIM_LDM_ALIGNMENT * SWATOP_SHIM_LDM_ALIGNMENT;
    if (tls_rounded > LDM_BYTES) {
        fail(NULL, "athread_init: the program's __thread_local data take %zu bytes, more than the %d bytes of a CPE's LDM", tls_bytes, LDM_BYTES);
    }

    heap_capacity = LDM_BYTES - tls_rounded;
    program_handle = dlopen(NULL, RTLD_NOW);
    tls_live = program_tls_block();
    if (tls_live != NULL) {
        tls_mpe_copy = malloc(tls_bytes);
        if (tls_mpe_copy == NULL) fail(NULL, "athread_init: cannot allocate %zu bytes for the MPE's __thread_local data", tls_bytes);
    }

#ifdef __SANITIZE_ADDRESS__
    void *libc = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);
    void *real = libc != NULL ? dlsym(libc, "swapcontext") : NULL;
    if (real != NULL) memcpy(&switch_context, &real, sizeof real);
#endif
#ifdef __SANITIZE_THREAD__
    mpe_tsan_fiber = __tsan_get_current_fiber();
#endif

    arena = aligned_alloc(128, (size_t)CPES * LDM_BYTES);
    if (arena == NULL) {
        fail(NULL, "athread_init: cannot allocate the %d CPEs' LDM arenas", CPES);
    }

    memset(arena, 0, (size_t)CPES * LDM_BYTES);
    SHIM_POISON(arena, (size_t)CPES * LDM_BYTES);
    for (int id = 0; id < CPES; id++) {
        cpe_t *c = &cpes[id];
        c->id = id;
        c->row = id / MESH;
        c->column = id % MESH;
        c->ldm = arena + (size_t)id * LDM_BYTES;
        map_stack(c);
        c->tls_start = tls_live;
        c->tls_size = tls_live != NULL ? tls_bytes : 0;
        if (tls_live != NULL) {
            c->tls_copy = malloc(tls_bytes);
            if (c->tls_copy == NULL) fail(NULL, "athread_init: cannot allocate %zu bytes for the __thread_local data of CPE %d", tls_bytes, id);
        }
#ifdef __SANITIZE_THREAD__
        c->tsan_fiber = __tsan_create_fiber(0);
#endif
    }

    for (int i = 0; i < MESH; i++) {
        row_barriers[i] = (barrier_t){ "ROW_SCOPE", MESH, 0, 0 };
        column_barriers[i] = (barrier_t){ "COL_SCOPE", MESH, 0, 0 };
    }

    array_barrier = (barrier_t){ "ARRAY_SCOPE", CPES, 0, 0 };

    const char *path = getenv("SWATOP_SHIM_COUNTS");
    if (path != NULL && path[0] != '\0') {
        counts_path = path;
        atexit(write_counts_at_exit);
    }

    initialized = 1;
    return 0;
}

/* ---- the coroutines --------------------------------------------------------------------------- */

/* Hands the host thread from `from` (NULL: the MPE) to `to` (NULL: the MPE), moving the __thread_local
   data along; returns when something hands it back to `from`. A CPE that has finished passes `done`
   and is never handed the thread again. */
static void transfer(cpe_t *from, cpe_t *to, int done)
{
    if (tls_live != NULL) {
        memcpy(from != NULL ? from->tls_copy : tls_mpe_copy, tls_live, tls_bytes);
        memcpy(tls_live, to != NULL ? to->tls_copy : tls_mpe_copy, tls_bytes);
    }

    active = to;
#ifdef __SANITIZE_ADDRESS__
    void *fake_stack = NULL;
    __sanitizer_start_switch_fiber(done ? NULL : &fake_stack, to != NULL ? (const void *)to->stack_start : mpe_stack_bottom,
                                   to != NULL ? to->stack_size : mpe_stack_size);
#else
    (void)done;
#endif
#ifdef __SANITIZE_THREAD__
    __tsan_switch_to_fiber(to != NULL ? to->tsan_fiber : mpe_tsan_fiber, 0);
#endif
    if (switch_context(from != NULL ? &from->context : &mpe_context, to != NULL ? &to->context : &mpe_context) != 0) {
        fail(from, "cannot switch to %s (swapcontext failed)", to != NULL ? "another CPE" : "the MPE");
    }
#ifdef __SANITIZE_ADDRESS__
    __sanitizer_finish_switch_fiber(fake_stack, NULL, NULL);
#endif
}

/* The first CPE after `after` in round-robin order that has not finished and can go on, or NULL. */
static cpe_t *next_runnable(int after);
static int can_proceed(const cpe_t *c);
static void report_deadlock(void) __attribute__((noreturn));
static void check_end(const cpe_t *c);

static void cpe_main(void)
{
    cpe_t *c = active;
#ifdef __SANITIZE_ADDRESS__
    const void *previous_bottom;
    size_t previous_size;
    __sanitizer_finish_switch_fiber(NULL, &previous_bottom, &previous_size);
    if (c->id == 0) {
        mpe_stack_bottom = previous_bottom; /* athread_join starts CPE 0 first, from the MPE's stack */
        mpe_stack_size = previous_size;
    }
#endif

    kernel_fn(kernel_arg);
    check_end(c);

    c->finished = 1;
    finished++;
    cpe_t *next = finished == CPES ? NULL : next_runnable(c->id); /* NULL: back to the MPE in athread_join */
    if (finished < CPES && next == NULL) {
        report_deadlock(); /* it finished while the others wait for one another, or for it */
    }

    transfer(c, next, 1);
    fail(c, "resumed after it finished");
}

int swatop_shim_spawn(const char *name, void (*fn)(void *), void *arg)
{
    if (!initialized || halted) {
        fail(NULL, "athread_spawn(%s, ...) %s", name, halted ? "after athread_halt" : "before athread_init");
    }

    if (running) {
        fail(NULL, "athread_spawn(%s, ...) while '%s' still runs: athread_join it first", name, kernel_name);
    }

    kernel_fn = fn;
    kernel_arg = arg;
    kernel_name = name;
    finished = 0;
    for (int i = 0; i < MESH; i++) {
        row_barriers[i].arrived = 0;
        column_barriers[i].arrived = 0;
    }

    array_barrier.arrived = 0;
    SHIM_POISON(arena, (size_t)CPES * LDM_BYTES);
    for (int id = 0; id < CPES; id++) {
        cpe_t *c = &cpes[id];
        c->block_count = 0;
        c->heap_used = 0;
        c->fifo[0].head = c->fifo[0].count = 0;
        c->fifo[1].head = c->fifo[1].count = 0;
        c->wait = WAIT_NONE;
        c->finished = 0;
        c->pending_count = 0;
        c->site_file = NULL;
        if ((long long)tls_bytes > c->counts.ldm_peak_bytes) {
            c->counts.ldm_peak_bytes = (long long)tls_bytes;
        }

        /* Fresh __thread_local data, as a new thread would get them. */
        if (tls_live != NULL) {
            memcpy(c->tls_copy, tls_image, tls_image_bytes);
            memset(c->tls_copy + tls_image_bytes, 0, tls_bytes - tls_image_bytes);
        }

        /* The frames a CPE of the last spawn left on its stack when it switched away for good. */
        SHIM_UNPOISON(c->stack_start + c->stack_size - STACK_DIRTY_BYTES, STACK_DIRTY_BYTES);
        if (getcontext(&c->context) != 0) {
            fail(NULL, "athread_spawn(%s, ...): cannot make the context of CPE %d (getcontext failed)", name, id);
        }

        c->context.uc_stack.ss_sp = c->stack_start;
        c->context.uc_stack.ss_size = c->stack_size;
        c->context.uc_link = NULL;
        makecontext(&c->context, cpe_main, 0);
    }

    running = 1;
    return 0;
}

int athread_join(void)
{
    if (!running) {
        fail(NULL, "athread_join without a running athread_spawn");
    }

    /* The CPEs run now, on this thread, from CPE 0 on; the last to finish hands the thread back. */
    transfer(NULL, next_runnable(CPES - 1), 0);
    running = 0;
    for (int id = 0; id < CPES; id++) {
        const cpe_t *c = &cpes[id];
        for (int bus = 0; bus < 2; bus++) {
            if (c->fifo[bus].count > 0) {
                fail(c, "%d register word%s on its %s bus %s never received when the CPE functions ended; the real machine would hand %s to the next kernel",
                     c->fifo[bus].count, c->fifo[bus].count == 1 ? "" : "s", bus == SWATOP_SHIM_ROW_BUS ? "row" : "column",
                     c->fifo[bus].count == 1 ? "was" : "were", c->fifo[bus].count == 1 ? "it" : "them");
            }
        }
    }

    return 0;
}

int athread_halt(void)
{
    if (running) {
        fail(NULL, "athread_halt while '%s' still runs: athread_join it first", kernel_name);
    }

    halted = 1;
    return 0;
}

/* ---- identity --------------------------------------------------------------------------------- */

int athread_get_id(int core)
{
    cpe_t *c = current("athread_get_id");
    if (core != -1) {
        fail(c, "athread_get_id(%d): the shim implements only athread_get_id(-1), the calling CPE", core);
    }

    return c->id;
}

int swatop_shim_row(void) { return current("_ROW")->row; }

int swatop_shim_column(void) { return current("_COL")->column; }

/* ---- LDM -------------------------------------------------------------------------------------- */

static size_t largest_gap(const cpe_t *c)
{
    size_t end = 0, best = 0;
    for (int i = 0; i < c->block_count; i++) {
        if (c->blocks[i].offset - end > best) best = c->blocks[i].offset - end;
        end = c->blocks[i].offset + c->blocks[i].span;
    }

    return heap_capacity - end > best ? heap_capacity - end : best;
}

void *ldm_malloc(size_t size)
{
    cpe_t *c = current("ldm_malloc");
    if (size == 0 || size > LDM_BYTES) {
        fail(c, "ldm_malloc(%zu): a block holds between 1 and %d bytes", size, LDM_BYTES);
    }

    size_t span = (size + SWATOP_SHIM_LDM_ALIGNMENT - 1) / SWATOP_SHIM_LDM_ALIGNMENT * SWATOP_SHIM_LDM_ALIGNMENT;
    size_t end = 0;
    int at = -1;
    for (int i = 0; i <= c->block_count; i++) {
        size_t next = i < c->block_count ? c->blocks[i].offset : heap_capacity;
        if (next - end >= span) {
            at = i;
            break;
        }

        if (i < c->block_count) end = c->blocks[i].offset + c->blocks[i].span;
    }

    if (at < 0) {
        fail(c, "ldm_malloc(%zu) overflows its LDM of %d bytes: %zu bytes are taken (%zu by %d ldm_malloc blocks, %zu by __thread_local data), %zu are free and the largest free gap is %zu bytes",
             size, LDM_BYTES, c->heap_used + (LDM_BYTES - heap_capacity), c->heap_used, c->block_count, (size_t)LDM_BYTES - heap_capacity,
             heap_capacity - c->heap_used, largest_gap(c));
    }

    if (c->block_count == MAX_LDM_BLOCKS) {
        fail(c, "ldm_malloc(%zu): more than %d live LDM blocks", size, MAX_LDM_BLOCKS);
    }

    memmove(&c->blocks[at + 1], &c->blocks[at], (size_t)(c->block_count - at) * sizeof c->blocks[0]);
    c->blocks[at] = (ldm_block_t){ end, size, span };
    c->block_count++;
    c->heap_used += span;
    long long taken = (long long)(c->heap_used + (LDM_BYTES - heap_capacity));
    if (taken > c->counts.ldm_peak_bytes) c->counts.ldm_peak_bytes = taken;
    SHIM_UNPOISON(c->ldm + end, size);
    return c->ldm + end;
}

void ldm_free(void *addr, size_t size)
{
    cpe_t *c = current("ldm_free");
    for (int i = 0; i < c->block_count; i++) {
        if (c->ldm + c->blocks[i].offset == (unsigned char *)addr) {
            if (c->blocks[i].size != size) {
                fail(c, "ldm_free(%p, %zu): the block was allocated with ldm_malloc(%zu)", addr, size, c->blocks[i].size);
            }

            SHIM_POISON(c->ldm + c->blocks[i].offset, c->blocks[i].span);
            c->heap_used -= c->blocks[i].span;
            memmove(&c->blocks[i], &c->blocks[i + 1], (size_t)(c->block_count - i - 1) * sizeof c->blocks[0]);
            c->block_count--;
            return;
        }
    }

    fail(c, "ldm_free(%p, %zu): no live ldm_malloc block of its LDM starts there", addr, size);
}

static int inside(const unsigned char *p, size_t n, const unsigned char *start, size_t length)
{
    uintptr_t at = (uintptr_t)p, from = (uintptr_t)start;
    return start != NULL && at >= from && n <= length && at - from <= length - n;
}

/* Whether [p, p + n) is LDM of c: inside one live ldm_malloc block, its __thread_local data or its stack. */
static int in_own_ldm(const cpe_t *c, const unsigned char *p, size_t n)
{
    for (int i = 0; i < c->block_count; i++) {
        if (inside(p, n, c->ldm + c->blocks[i].offset, c->blocks[i].size)) return 1;
    }

    return inside(p, n, c->tls_start, c->tls_size) || inside(p, n, c->stack_start, c->stack_size);
}

/* The CPE whose arena holds p, or -1. */
static int arena_owner(const unsigned char *p)
{
    uintptr_t at = (uintptr_t)p, from = (uintptr_t)arena;
    if (arena != NULL && at >= from && at - from < (uintptr_t)CPES * LDM_BYTES) return (int)((at - from) / LDM_BYTES);
    return -1;
}

/* ---- races: LDM that an outstanding DMA transfer owns ------------------------------------------ */

/* "LDM bytes [a, b)" of the CPE's arena, or the host addresses of its stack or __thread_local data. */
static void describe_range(const cpe_t *c, const unsigned char *p, size_t n, char *text, size_t size)
{
    if (inside(p, n, c->ldm, LDM_BYTES)) {
        snprintf(text, size, "LDM bytes [%td, %td)", p - c->ldm, p + n - c->ldm);
    } else {
        snprintf(text, size, "LDM [%p, %p)", (const void *)p, (const void *)(p + n));
    }
}

/* " at file:line" of a primitive call, or nothing where it is not known. */
static void describe_site(const char *file, int line, char *text, size_t size)
{
    if (file != NULL) snprintf(text, size, " at %s:%d", file, line);
    else text[0] = '\0';
}

/* Stops the run when [p, p + n), which the calling CPE is about to read (or write), is LDM an outstanding
   transfer still owns: a get's bytes, or a put's source written. A transfer about to be issued
   (`transfer`, on `reply`) may not overlap an outstanding one where either writes. The id is the
   emulator's for the same rule. */
static void check_race(const cpe_t *c, const unsigned char *p, size_t n, int writes, int transfer, const char *operation, volatile void *reply)
{
    for (int i = 0; i < c->pending_count; i++) {
        const pending_t *e = &c->pending[i];
        if (p < e->start + e->size && e->start < p + n && (e->is_get || writes)) {
            const char *id = transfer ? "SWE0016" : e->is_get ? "SWE0014" : "SWE0015";
            const char *rule = transfer ? "two outstanding transfers may not overlap in LDM where one of them writes it; wait for the first before issuing the second"
                : e->is_get ? "LDM that an outstanding get fills may not be read or written until a DMA wait on its reply word covers the get"
                : "the LDM source of an outstanding put may not be written until a DMA wait on its reply word covers the put";
            char here[96], there[96], here_site[160], there_site[160], own[96];
            describe_range(c, p, n, here, sizeof here);
            describe_range(c, e->start, e->size, there, sizeof there);
            describe_site(c->site_file, c->site_line, here_site, sizeof here_site);
            describe_site(e->file, e->line, there_site, sizeof there_site);
            own[0] = '\0';
            if (transfer) {
                snprintf(own, sizeof own, " (reply word %p, transfer %d since the word's reset)", (void *)(uintptr_t)reply,
                         __atomic_load_n((int *)(uintptr_t)reply, __ATOMIC_SEQ_CST) + 1);
            }

            fail(c, "%s: %s%s %s %s%s, while %s%s %s %s (reply word %p, transfer %d %s) is outstanding; %s", id, operation, here_site,
                 writes ? "writing" : "reading", here, own, e->is_get ? "athread_get" : "athread_put", there_site, e->is_get ? "writing" : "reading", there,
                 e->reply, e->sequence,
                 e->orphaned ? "before a reset of the word that came ahead of any wait covering it, so no wait can cover it now" : "since the word's reset",
                 rule);
        }
    }
}

/* Stops the run when the calling CPE's function has returned with a transfer still outstanding: on the machine
   it would land after the CPE returned. The id is the emulator's for the same rule. */
static void check_end(const cpe_t *c)
{
    if (c->pending_count == 0) return;
    const pending_t *e = &c->pending[0];
    char there[96], there_site[160];
    describe_range(c, e->start, e->size, there, sizeof there);
    describe_site(e->file, e->line, there_site, sizeof there_site);
    fail(c, "SWE0017: the end of the CPE function (%d transfer%s outstanding), while %s%s %s %s (reply word %p, transfer %d %s) is outstanding; "
            "a kernel may not end while a transfer it issued is outstanding; wait for every get and put before the kernel returns",
         c->pending_count, c->pending_count == 1 ? "" : "s", e->is_get ? "athread_get" : "athread_put", there_site, e->is_get ? "writing" : "reading", there,
         e->reply, e->sequence,
         e->orphaned ? "before a reset of the word that came ahead of any wait covering it, so no wait can cover it now" : "since the word's reset");
}

/* A reply word that counts less than an outstanding transfer of it brought it to was reset since: that
   transfer is orphaned. */
static void notice_reset(cpe_t *c, volatile void *reply)
{
    int now = __atomic_load_n((int *)(uintptr_t)reply, __ATOMIC_SEQ_CST);
    for (int i = 0; i < c->pending_count; i++) {
        if (c->pending[i].reply == (const void *)reply && c->pending[i].sequence > now) c->pending[i].orphaned = 1;
    }
}

static void record_transfer(cpe_t *c, const unsigned char *local, size_t size, int is_get, volatile void *reply, int sequence)
{
    if (c->pending_count == c->pending_capacity) {
        int capacity = c->pending_capacity == 0 ? 16 : 2 * c->pending_capacity;
        pending_t *grown = realloc(c->pending, (size_t)capacity * sizeof *grown);
        if (grown == NULL) fail(c, "cannot track %d outstanding DMA transfers", capacity);
        c->pending = grown;
        c->pending_capacity = capacity;
    }

    c->pending[c->pending_count++] = (pending_t){ local, size, is_get, (const void *)reply, sequence, 0, c->site_file, c->site_line };
}

void swatop_shim_ldm_access(const void *ldm, size_t bytes, int writes, const char *operation)
{
    cpe_t *c = current(operation);
    if (c->pending_count > 0) check_race(c, ldm, bytes, writes, 0, operation, NULL);
}

void swatop_shim_site(const char *file, int line)
{
    cpe_t *c = current("a primitive call");
    c->site_file = file;
    c->site_line = line;
}

/* ---- DMA -------------------------------------------------------------------------------------- */

static const char *mode_name(dma_mode mode)
{
    switch (mode) {
    case PE_MODE: return "PE_MODE";
    case BCAST_MODE: return "BCAST_MODE";
    case ROW_MODE: return "ROW_MODE";
    case BROW_MODE: return "BROW_MODE";
    case RANK_MODE: return "RANK_MODE";
    }

    return "an unknown mode";
}

static void dma(const char *operation, int is_get, dma_mode mode, unsigned char *memory, unsigned char *local, int size,
                volatile void *reply, int stride, int bsize)
{
    cpe_t *c = current(operation);
    if (mode != PE_MODE) {
        fail(c, "%s in %s: the shim implements PE_MODE only", operation, mode_name(mode));
    }

    int block = bsize == 0 ? size : bsize;
    const char *rule = size <= 0 ? "the size must be positive"
        : bsize < 0 ? "the block size must not be negative"
        : stride < 0 ? "the stride must not be negative"
        : bsize == 0 && stride != 0 ? "a stride needs a block size"
        : size % block != 0 ? "the block size must divide the size"
        : ((unsigned)size | (unsigned)block | (unsigned)stride | (uintptr_t)memory | (uintptr_t)local) % SWATOP_SHIM_DMA_GRANULE != 0
            ? "the size, block size, stride, LDM address and memory address must be multiples of 4 bytes"
        : reply == NULL ? "the reply word must not be NULL"
        : memory == NULL ? "the memory address must not be NULL"
        : NULL;
    if (rule != NULL) {
        fail(c, "%s of %d bytes (block size %d, stride %d) between LDM %p and memory %p: %s", operation, size, bsize, stride,
             (void *)local, (void *)memory, rule);
    }

    if (!in_own_ldm(c, local, (size_t)size)) {
        int owner = arena_owner(local);
        if (owner >= 0 && owner != c->id) {
            fail(c, "%s of %d bytes: LDM side [%p, %p) lies in the LDM of CPE (%d, %d); a CPE reaches only its own LDM", operation, size,
                 (void *)local, (void *)(local + size), owner / MESH, owner % MESH);
        }

        fail(c, "%s of %d bytes: LDM side [%p, %p) is not inside one of its LDM buffers (%d ldm_malloc blocks in its %d-byte arena [%p, %p), %zu bytes of __thread_local data, its stack)",
             operation, size, (void *)local, (void *)(local + size), c->block_count, LDM_BYTES, (void *)c->ldm, (void *)(c->ldm + LDM_BYTES), c->tls_size);
    }

    int blocks = size / block;
    size_t extent = (size_t)(blocks - 1) * (size_t)(block + stride) + (size_t)block;
    int owner = arena_owner(memory);
    if (owner < 0) owner = arena_owner(memory + extent - 1);
    if (owner >= 0) {
        fail(c, "%s of %d bytes: the main-memory side [%p, %p) lies in the LDM of CPE (%d, %d)", operation, size, (void *)memory,
             (void *)(memory + extent), owner / MESH, owner % MESH);
    }

    notice_reset(c, reply);
    check_race(c, local, (size_t)size, is_get, 1, operation, reply);
    for (int b = 0; b < blocks; b++) {
        unsigned char *m = memory + (size_t)b * (size_t)(block + stride);
        unsigned char *l = local + (size_t)b * (size_t)block;
        if (is_get) memcpy(l, m, (size_t)block);
        else memcpy(m, l, (size_t)block);
    }

    if (is_get) {
        c->counts.dma_gets++;
        c->counts.dma_get_bytes += size;
    } else {
        c->counts.dma_puts++;
        c->counts.dma_put_bytes += size;
    }

    c->counts.dma_blocks += blocks;
    int sequence = __atomic_add_fetch((int *)(uintptr_t)reply, 1, __ATOMIC_SEQ_CST);
    record_transfer(c, local, (size_t)size, is_get, reply, sequence);
}

int athread_get(dma_mode mode, void *src, void *dest, int size, volatile void *reply, int mask, int stride, int bsize)
{
    (void)mask; /* selects CPEs in the group modes only */
    dma("athread_get", 1, mode, src, dest, size, reply, stride, bsize);
    return 0;
}

int athread_put(dma_mode mode, void *src, void *dest, int size, volatile void *reply, int stride, int bsize)
{
    dma("athread_put", 0, mode, dest, src, size, reply, stride, bsize);
    return 0;
}

void swatop_shim_dma_wait(volatile void *reply, int count)
{
    cpe_t *c = current("swatop_dma_wait");
    int arrived = __atomic_load_n((int *)(uintptr_t)reply, __ATOMIC_SEQ_CST);
    c->counts.dma_waits++;
    if (arrived < count) {
        fail(c, "swatop_dma_wait(%p, %d): the reply word counts %d; every DMA completes at issue here, so %d transfer%s never issued and the real machine would wait forever",
             (void *)(uintptr_t)reply, count, arrived, count - arrived, count - arrived == 1 ? " was" : "s were");
    }

    /* The transfers the wait covers are no longer outstanding. */
    notice_reset(c, reply);
    int kept = 0;
    for (int i = 0; i < c->pending_count; i++) {
        const pending_t *e = &c->pending[i];
        if (e->reply == (const void *)reply && !e->orphaned && e->sequence <= count) continue;
        c->pending[kept++] = *e;
    }

    c->pending_count = kept;
}

/* ---- waiting ---------------------------------------------------------------------------------- */

static int line_member(int bus, int line, int position)
{
    return bus == SWATOP_SHIM_ROW_BUS ? line * MESH + position : position * MESH + line;
}

static int can_proceed(const cpe_t *c)
{
    switch (c->wait) {
    case WAIT_NONE:
        return 1;
    case WAIT_GET:
        return c->fifo[c->wait_bus].count > 0;
    case WAIT_PUT:
        for (int i = 0; i < c->wait_target_count; i++) {
            if (cpes[c->wait_targets[i]].fifo[c->wait_bus].count >= DEPTH) return 0;
        }

        return 1;
    case WAIT_BARRIER:
        return c->wait_barrier->generation != c->wait_generation;
    }

    return 1;
}

static cpe_t *next_runnable(int after)
{
    for (int k = 1; k <= CPES; k++) {
        cpe_t *c = &cpes[(after + k) % CPES];
        if (!c->finished && can_proceed(c)) return c;
    }

    return NULL;
}

static void report_deadlock(void)
{
    static char text[CPES * 160 + 256];
    int waiting = CPES - finished;
    size_t used = (size_t)snprintf(text, sizeof text, "deadlock in '%s', where the real machine would hang: %d CPE%s wait%s for another and %d finished:",
                                   kernel_name, waiting, waiting == 1 ? "" : "s", waiting == 1 ? "s" : "", finished);
    for (int id = 0; id < CPES && used < sizeof text; id++) {
        const cpe_t *c = &cpes[id];
        const char *bus = c->wait_bus == SWATOP_SHIM_ROW_BUS ? "row" : "column";
        switch (c->wait) {
        case WAIT_GET:
            used += (size_t)snprintf(text + used, sizeof text - used, "\n  CPE (%d, %d): simd_get%c on its %s bus, whose FIFO is empty", c->row, c->column, bus[0] == 'r' ? 'r' : 'c', bus);
            break;
        case WAIT_PUT:
            used += (size_t)snprintf(text + used, sizeof text - used, "\n  CPE (%d, %d): simd_put%c on its %s bus, a receiver's FIFO full (%d words)", c->row, c->column, bus[0] == 'r' ? 'r' : 'c', bus, DEPTH);
            break;
        case WAIT_BARRIER:
            used += (size_t)snprintf(text + used, sizeof text - used, "\n  CPE (%d, %d): athread_syn(%s), %d of %d arrived", c->row, c->column, c->wait_barrier->name,
                                     c->wait_barrier->arrived, c->wait_barrier->size);
            break;
        case WAIT_NONE:
            break;
        }
    }

    fail(NULL, "%s", text);
}

/* Switches away from the calling CPE until what it waits for (set by the caller) can happen; when no
   CPE can go on, reports the deadlock. */
static void block(cpe_t *c)
{
    while (!can_proceed(c)) {
        cpe_t *next = next_runnable(c->id);
        if (next == NULL) report_deadlock();
        transfer(c, next, 0);
    }

    c->wait = WAIT_NONE;
}

/* ---- register communication ------------------------------------------------------------------- */

void swatop_shim_rlc_put(int bus, int destination, const void *word, int bytes)
{
    const char *operation = bus == SWATOP_SHIM_ROW_BUS ? "simd_putr" : "simd_putc";
    const char *other = bus == SWATOP_SHIM_ROW_BUS ? "column" : "row";
    cpe_t *c = current(operation);
    int line = bus == SWATOP_SHIM_ROW_BUS ? c->row : c->column;
    int self = bus == SWATOP_SHIM_ROW_BUS ? c->column : c->row;
    if (destination != SWATOP_SHIM_RLC_BROADCAST && (destination < 0 || destination >= MESH || destination == self)) {
        fail(c, "%s to %s %d: the destination must be another %s 0..%d of the mesh, or %d to broadcast", operation, other, destination, other,
             MESH - 1, SWATOP_SHIM_RLC_BROADCAST);
    }

    c->wait = WAIT_PUT;
    c->wait_bus = bus;
    c->wait_target_count = 0;
    for (int i = 0; i < MESH; i++) {
        if (i != self && (destination == SWATOP_SHIM_RLC_BROADCAST || destination == i)) {
            c->wait_targets[c->wait_target_count++] = line_member(bus, line, i);
        }
    }

    block(c);
    for (int i = 0; i < c->wait_target_count; i++) {
        cpe_t *target = &cpes[c->wait_targets[i]];
        fifo_t *fifo = &target->fifo[bus];
        rlc_word_t *slot = &fifo->items[(fifo->head + fifo->count) % DEPTH];
        memcpy(slot->bytes, word, (size_t)bytes);
        slot->size = bytes;
        slot->sender = c->id;
        fifo->count++;
    }

    c->counts.rlc_puts++;
}

void swatop_shim_rlc_get(int bus, void *word, int bytes)
{
    const char *operation = bus == SWATOP_SHIM_ROW_BUS ? "simd_getr" : "simd_getc";
    cpe_t *c = current(operation);

    c->wait = WAIT_GET;
    c->wait_bus = bus;
    block(c);
    fifo_t *fifo = &c->fifo[bus];
    rlc_word_t item = fifo->items[fifo->head];
    fifo->head = (fifo->head + 1) % DEPTH;
    fifo->count--;
    if (item.size != bytes) {
        fail(c, "%s of a %d-byte vector received a %d-byte vector from CPE (%d, %d)", operation, bytes, item.size, item.sender / MESH, item.sender % MESH);
    }

    memcpy(word, item.bytes, (size_t)bytes);
    c->counts.rlc_gets++;
}

/* ---- barriers --------------------------------------------------------------------------------- */

int athread_syn(swatop_shim_scope scope, int mask)
{
    cpe_t *c = current("athread_syn");
    barrier_t *b;
    int full;
    switch (scope) {
    case ROW_SCOPE: b = &row_barriers[c->row]; full = 0xff; break;
    case COL_SCOPE: b = &column_barriers[c->column]; full = 0xff; break;
    case ARRAY_SCOPE: b = &array_barrier; full = 0xffff; break;
    default: fail(c, "athread_syn(%d, 0x%x): the scope must be ROW_SCOPE, COL_SCOPE or ARRAY_SCOPE", (int)scope, (unsigned)mask);
    }

    if (mask != full) {
        fail(c, "athread_syn(%s, 0x%x): the shim models the whole %s only (mask 0x%x)", b->name, (unsigned)mask,
             scope == ARRAY_SCOPE ? "core group" : scope == ROW_SCOPE ? "row" : "column", (unsigned)full);
    }

    if (++b->arrived == b->size) {
        b->arrived = 0;
        b->generation++;
    } else {
        c->wait = WAIT_BARRIER;
        c->wait_barrier = b;
        c->wait_generation = b->generation;
        block(c);
    }

    c->counts.synchronizations++;
    return 0;
}

/* ---- counting --------------------------------------------------------------------------------- */

void swatop_shim_count_mesh_gemm(long m, long n, long k)
{
    cpe_t *c = current("SWATOP_COUNT_MESH_GEMM");
    c->counts.mesh_gemm_calls++;
    c->counts.flops += 2LL * m * n * k / CPES;
}

void swatop_shim_count_fill(long elements) { current("SWATOP_COUNT_FILL")->counts.fill_elements += elements; }

void swatop_shim_count_eltwise(long flops) { current("SWATOP_COUNT_ELTWISE")->counts.flops += flops; }
void swatop_shim_count_mac(long flops) { current("SWATOP_COUNT_MAC")->counts.flops += flops; }

void swatop_shim_count_convert(long elements) { current("SWATOP_COUNT_CONVERT")->counts.convert_elements += elements; }

void swatop_shim_count_copy(long elements) { current("SWATOP_COUNT_COPY")->counts.copy_elements += elements; }

void swatop_shim_count_transpose(long elements) { current("SWATOP_COUNT_TRANSPOSE")->counts.transpose_elements += elements; }

void swatop_shim_count_simd(int kind)
{
    if (active != NULL) active->counts.simd[kind]++;
}

void swatop_shim_reset_counts(void)
{
    if (running) fail(NULL, "swatop_shim_reset_counts while '%s' runs", kernel_name);
    for (int id = 0; id < CPES; id++) cpes[id].counts = (counts_t){ 0 };
}

int swatop_shim_write_counts(FILE *out)
{
    if (running) fail(NULL, "swatop_shim_write_counts while '%s' runs: athread_join it first", kernel_name);
    fprintf(out, "cpe,row,column,dma_gets,dma_puts,dma_get_bytes,dma_put_bytes,dma_blocks,dma_waits,rlc_puts,rlc_gets,"
                 "mesh_gemm_calls,flops,fill_elements,convert_elements,copy_elements,transpose_elements,synchronizations,ldm_peak_bytes,"
                 "simd_loads,simd_splats,simd_stores,simd_fmas,simd_converts,simd_unaligned_loads,simd_gathers,simd_arithmetic\n");
    for (int id = 0; id < CPES; id++) {
        const counts_t *k = &cpes[id].counts;
        fprintf(out, "%d,%d,%d,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld\n", id, id / MESH, id % MESH,
                k->dma_gets, k->dma_puts, k->dma_get_bytes, k->dma_put_bytes, k->dma_blocks, k->dma_waits, k->rlc_puts, k->rlc_gets,
                k->mesh_gemm_calls, k->flops, k->fill_elements, k->convert_elements, k->copy_elements, k->transpose_elements,
                k->synchronizations, k->ldm_peak_bytes, k->simd[SWATOP_SHIM_SIMD_LOAD], k->simd[SWATOP_SHIM_SIMD_SPLAT],
                k->simd[SWATOP_SHIM_SIMD_STORE], k->simd[SWATOP_SHIM_SIMD_FMA], k->simd[SWATOP_SHIM_SIMD_CONVERT],
                k->simd[SWATOP_SHIM_SIMD_UNALIGNED_LOAD], k->simd[SWATOP_SHIM_SIMD_GATHER], k->simd[SWATOP_SHIM_SIMD_ARITHMETIC]);
    }

    return ferror(out) ? -1 : 0;
}

int swatop_shim_dump_counts(const char *path)
{
    FILE *out = fopen(path, "w");
    if (out == NULL) {
        fprintf(stderr, "swatop athread shim: cannot write the counts to '%s'\n", path);
        return -1;
    }

    int result = swatop_shim_write_counts(out);
    return fclose(out) == 0 ? result : -1;
}
