#include <cblas.h>
/* Thread control of OpenBLAS; declared in its own cblas.h, repeated here so the
   module map does not depend on which BLAS provides the header. */
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);

