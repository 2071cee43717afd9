/// Two-dimensional convolution (cross-correlation, as in PyTorch) with stride 1.
///
/// - Parameters:
///   - x: `[n, cIn, h, w]` (NCHW).
///   - weight: `[cOut, cIn, kh, kw]`.
///   - bias: `[cOut]`, or nil.
///   - padding: zeros added on every side of the spatial axes.
/// - Returns: `[n, cOut, h + 2*padding - kh + 1, w + 2*padding - kw + 1]`.
///
/// All images are unfolded into one `[cIn*kh*kw, n*hOut*wOut]` matrix (im2col),
/// so the convolution is a single GEMM that the thread pool can split.
public func conv2d(_ x: Tensor, _ weight: Tensor, _ bias: Tensor? = nil, padding: Int = 0) -> Tensor {
    _ = blasSetup
    precondition(x.rank == 4 && weight.rank == 4, "conv2d: input \(x.shape) and weight \(weight.shape) must both have rank 4 (NCHW, OIHW)")
    precondition(x.shape[1] == weight.shape[1], "conv2d: input \(x.shape) has \(x.shape[1]) channels but weight \(weight.shape) expects \(weight.shape[1])")
    let n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3]
    let o = weight.shape[0], kh = weight.shape[2], kw = weight.shape[3]
    let ho = h + 2 * padding - kh + 1, wo = w + 2 * padding - kw + 1
    precondition(ho > 0 && wo > 0, "conv2d: kernel \(weight.shape) is larger than the padded input \(x.shape)")
    if let bias { precondition(bias.shape == [o], "conv2d: bias \(bias.shape) does not match weight \(weight.shape)") }
    let geo = ConvGeometry(n: n, c: c, h: h, w: w, kh: kh, kw: kw, pad: padding, ho: ho, wo: wo)
    let ckk = c * kh * kw, cols = n * ho * wo, hw = ho * wo

    let unfolded = Tensor.make([ckk, cols]) { im2col(x.base, geo, into: $0) }
    // Y' = W [o, ckk] x cols [ckk, n*hw], then rearranged to [n, o, hw].
    let flat = Tensor.make([o, cols]) { y in
        if let bias { for r in 0..<o { (y + r * cols).initialize(repeating: bias.base[r], count: cols) } }
        sgemm(transA: false, transB: false, m: o, n: cols, k: ckk, a: weight.base, lda: ckk,
              b: unfolded.base, ldb: cols, beta: bias == nil ? 0 : 1, c: y, ldc: cols)
    }
    let out = Tensor.make([n, o, ho, wo]) { dst in
        for img in 0..<n { for ch in 0..<o { (dst + (img * o + ch) * hw).update(from: flat.base + ch * cols + img * hw, count: hw) } }
    }
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return Tensor.record("conv2d", out, inputs: inputs) { g, nodes in
        // G' [o, n*hw] from g [n, o, hw].
        let gflat = Tensor.make([o, cols]) { dst in
            for img in 0..<n { for ch in 0..<o { (dst + ch * cols + img * hw).update(from: g.base + (img * o + ch) * hw, count: hw) } }
        }
        if let nx = nodes[0] {
            let dcols = Tensor.make([ckk, cols]) { d in
                sgemm(transA: true, transB: false, m: ckk, n: cols, k: o, a: weight.base, lda: ckk,
                      b: gflat.base, ldb: cols, beta: 0, c: d, ldc: cols)
            }
            nx.withGradBuffer { d, acc in
                if !acc { d.initialize(repeating: 0, count: x.count) }
                col2imAdd(dcols.base, geo, into: d)
            }
        }
        nodes[1]?.withGradBuffer { d, acc in
            sgemm(transA: false, transB: true, m: o, n: ckk, k: cols, a: gflat.base, lda: cols,
                  b: unfolded.base, ldb: cols, beta: acc ? 1 : 0, c: d, ldc: ckk)
        }
        if nodes.count > 2, let nb = nodes[2] {
            nb.withGradBuffer { d, acc in
                for ch in 0..<o {
                    var s: Float = 0
                    let row = gflat.base + ch * cols
                    for i in 0..<cols { s += row[i] }
                    d[ch] = (acc ? d[ch] : 0) + s
                }
            }
        }
    }
}

struct ConvGeometry {
    let n, c, h, w, kh, kw, pad, ho, wo: Int
}

/// `cols[(ch*kh + i)*kw + j][img*ho*wo + oy*wo + ox] = x[img, ch, oy+i-pad, ox+j-pad]` (0 outside).
func im2col(_ x: UnsafePointer<Float>, _ g: ConvGeometry, into cols: UnsafeMutablePointer<Float>) {
    let hw = g.ho * g.wo, width = g.n * hw
    for ch in 0..<g.c {
        for i in 0..<g.kh {
            for j in 0..<g.kw {
                let row = cols + ((ch * g.kh + i) * g.kw + j) * width
                for img in 0..<g.n {
                    let src = x + (img * g.c + ch) * g.h * g.w
                    let dst = row + img * hw
                    for oy in 0..<g.ho {
                        let iy = oy + i - g.pad
                        let d = dst + oy * g.wo
                        if iy < 0 || iy >= g.h { d.initialize(repeating: 0, count: g.wo); continue }
                        let s = src + iy * g.w
                        for ox in 0..<g.wo {
                            let ix = ox + j - g.pad
                            d[ox] = (ix >= 0 && ix < g.w) ? s[ix] : 0
                        }
                    }
                }
            }
        }
    }
}

/// The adjoint of `im2col`: adds every column entry back into its input pixel.
func col2imAdd(_ cols: UnsafePointer<Float>, _ g: ConvGeometry, into x: UnsafeMutablePointer<Float>) {
    let hw = g.ho * g.wo, width = g.n * hw
    for ch in 0..<g.c {
        for i in 0..<g.kh {
            for j in 0..<g.kw {
                let row = cols + ((ch * g.kh + i) * g.kw + j) * width
                for img in 0..<g.n {
                    let dst = x + (img * g.c + ch) * g.h * g.w
                    let src = row + img * hw
                    for oy in 0..<g.ho {
                        let iy = oy + i - g.pad
                        if iy < 0 || iy >= g.h { continue }
                        let d = dst + iy * g.w
                        let s = src + oy * g.wo
                        for ox in 0..<g.wo {
                            let ix = ox + j - g.pad
                            if ix >= 0 && ix < g.w { d[ix] += s[ox] }
                        }
                    }
                }
            }
        }
    }
}
