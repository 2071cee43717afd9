#include <cblas.h>
/* Thread control of OpenBLAS; declared in its own cblas.h, repeated here so the
   module map does not depend on which BLAS provides the header. */
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);

/* A hint to the processor that the caller is spinning on a lock or flag
   (x86 PAUSE, ARM YIELD); used by the thread pool's short busy waits. */
static inline void nbrun_cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}
