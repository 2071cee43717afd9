internal import CBLAS
internal import CKernels

/// `C = alpha * op(A) * op(B) + beta * C` in single precision, row-major. Small
/// products (up to about half a million multiply-adds, with alpha 1 and beta 0
/// or 1) go to the engine's own kernels (`nb_sgemm_small`), the rest to BLAS
/// sgemm; large products are split over the thread pool by rows or columns of
/// C in chunks that do not depend on the thread count.
///
/// - Parameters follow BLAS: `op(A)` is `M x K`, `op(B)` is `K x N`, `C` is `M x N`.
func sgemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
           a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
           beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    if m == 0 || n == 0 { return }
    if k == 0 {
        for i in 0..<m { for j in 0..<n { c[i * ldc + j] = beta == 0 ? 0 : beta * c[i * ldc + j] } }
        return
    }
    let chunks = gemmChunks(m: m, n: n, k: k)
    if chunks == 1 {
        blas(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        return
    }
    if m >= n {
        let step = (m + chunks - 1) / chunks
        ThreadPool.shared.parallelFor(chunks) { t in
            let lo = t * step, hi = Swift.min(m, lo + step)
            if lo >= hi { return }
            let aa = transA ? a + lo : a + lo * lda
            blas(transA, transB, hi - lo, n, k, alpha, aa, lda, b, ldb, beta, c + lo * ldc, ldc)
        }
    } else {
        let step = (n + chunks - 1) / chunks
        ThreadPool.shared.parallelFor(chunks) { t in
            let lo = t * step, hi = Swift.min(n, lo + step)
            if lo >= hi { return }
            let bb = transB ? b + lo * ldb : b + lo
            blas(transA, transB, m, hi - lo, k, alpha, a, lda, bb, ldb, beta, c + lo, ldc)
        }
    }
}

/// How many pieces a product is cut into: one below ~0.25 MFLOP, where
/// handing out work costs more than it saves, else two. It must not depend on
/// the thread count: BLAS rounds a product cut into pieces differently from
/// the whole, so with one thread the same pieces run one after the other.
/// Two pieces rather than more keep that serial cost small: realnvp-2d on one
/// core ran 2.5% slower than with the product whole, glow-digits within noise.
@inline(__always) func gemmChunks(m: Int, n: Int, k: Int) -> Int {
    let work = m * n * k
    if work < 96 * 1024 { return 1 }
    return Swift.max(m, n) >= 32 ? 2 : 1
}

/// Products up to this many multiply-adds go to `nb_sgemm_small` (which may
/// still hand them back): at a batch of 128 through 64 units it takes half to
/// two thirds of BLAS's time, whose fixed cost per call dominates there; from
/// about a million BLAS's cache blocking wins (`flows-bench micro` prints
/// both).
let smallProductLimit = 1 << 19

@inline(__always)
private func blas(_ ta: Bool, _ tb: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
                  _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                  _ beta: Float, _ c: UnsafeMutablePointer<Float>, _ ldc: Int) {
    if alpha == 1, beta == 0 || beta == 1, m * n * k <= smallProductLimit,
       nb_sgemm_small(Int32(m), Int32(n), Int32(k),
                      a, ta ? 1 : lda, ta ? lda : 1, b, tb ? 1 : ldb, tb ? ldb : 1,
                      c, ldc, 1, beta == 1 ? 1 : 0) != 0 {
        return
    }
    cblas_sgemm(CblasRowMajor, ta ? CblasTrans : CblasNoTrans, tb ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// Keeps BLAS single-threaded: the pool above does the splitting, and two
/// thread pools on two cores only fight.
let blasSetup: Void = { openblas_set_num_threads(1) }()
