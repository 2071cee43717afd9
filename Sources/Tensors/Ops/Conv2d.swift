/// Two-dimensional convolution (cross-correlation, as in PyTorch) with stride 1.
///
/// - Parameters:
///   - x: `[n, cIn, h, w]` (NCHW).
///   - weight: `[cOut, cIn, kh, kw]`.
///   - bias: `[cOut]`, or nil.
///   - padding: zeros added on every side of the spatial axes.
///   - activation: applied to the result in the same pass (fused, as in `linear`).
/// - Returns: `[n, cOut, h + 2*padding - kh + 1, w + 2*padding - kw + 1]`.
///
/// All images are unfolded into one `[cIn*kh*kw, n*hOut*wOut]` matrix (im2col),
/// so the convolution is a single GEMM that the thread pool can split.
public func conv2d(_ x: Tensor, _ weight: Tensor, _ bias: Tensor? = nil, padding: Int = 0,
                   activation: Activation = .identity) -> Tensor {
    _ = blasSetup
    precondition(x.rank == 4 && weight.rank == 4, "conv2d: input \(x.shape) and weight \(weight.shape) must both have rank 4 (NCHW, OIHW)")
    precondition(x.shape[1] == weight.shape[1], "conv2d: input \(x.shape) has \(x.shape[1]) channels but weight \(weight.shape) expects \(weight.shape[1])")
    let n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3]
    let o = weight.shape[0], kh = weight.shape[2], kw = weight.shape[3]
    let ho = h + 2 * padding - kh + 1, wo = w + 2 * padding - kw + 1
    precondition(ho > 0 && wo > 0, "conv2d: kernel \(weight.shape) is larger than the padded input \(x.shape)")
    if let bias { precondition(bias.shape == [o], "conv2d: bias \(bias.shape) does not match weight \(weight.shape)") }
    if o < c && kh * kw > 1 && ho == h && wo == w {
        return conv2dFewOutputs(x, weight, bias, padding: padding, activation: activation)
    }
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
        swapLeadingAxes(flat.base, o, n, hw, into: dst)
        biasActivationInPlace(activation, dst, nil, rows: 1, cols: n * o * hw)
    }
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return Tensor.record("conv2d", out, inputs: inputs) { g0, nodes in
        let g = activation == .identity ? g0 : Tensor.make(g0.shape) { activationGrad(activation, g0.base, out.base, $0, g0.count) }
        // G' [o, n*hw] from g [n, o, hw].
        let gflat = Tensor.make([o, cols]) { dst in
            swapLeadingAxes(g.base, n, o, hw, into: dst)
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
                for ch in 0..<o { d[ch] = (acc ? d[ch] : 0) + vectorSum(gflat.base + ch * cols, cols) }
            }
        }
    }
}

/// A "same" convolution with fewer output than input channels, done the other
/// way round: `Z = W' X` first multiplies every kernel tap's `[o, c]` slice
/// with the unshifted input `X [c, n*h*w]`, then the `kh*kw` shifted copies
/// of `Z [kh*kw*o, n*h*w]` are added into the output (`col2imAdd`). This unfolds
/// `o*kh*kw` rows instead of `c*kh*kw` (Glow's last coupling convolution:
/// 64 channels in, 4 out). Same result as the im2col path up to summation order.
func conv2dFewOutputs(_ x: Tensor, _ weight: Tensor, _ bias: Tensor?, padding: Int, activation: Activation) -> Tensor {
    let n = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3]
    let o = weight.shape[0], kh = weight.shape[2], kw = weight.shape[3]
    let hw = h * w, cols = n * hw, rows = o * kh * kw
    // Output pixel y gets Z at input pixel u = y + i - pad, i.e. y = u + (kh-1-i) - (kh-1-pad):
    // col2imAdd with the kernel flipped and padding kh-1-pad.
    let geo = ConvGeometry(n: n, c: o, h: h, w: w, kh: kh, kw: kw, pad: kh - 1 - padding, ho: h, wo: w)
    precondition(kw - 1 - padding == geo.pad, "conv2d: non-square kernel \(weight.shape) with padding \(padding)")
    let wt = flippedWeightRows(weight)
    let xm = Tensor.make([c, cols]) { d in
        swapLeadingAxes(x.base, n, c, hw, into: d)
    }
    let z = Tensor.make([rows, cols]) { d in
        sgemm(transA: false, transB: false, m: rows, n: cols, k: c, a: wt.base, lda: c, b: xm.base, ldb: cols, beta: 0, c: d, ldc: cols)
    }
    let out = Tensor.make([n, o, h, w]) { d in
        if let bias { for img in 0..<n { for oc in 0..<o { (d + (img * o + oc) * hw).initialize(repeating: bias.base[oc], count: hw) } } }
        else { d.initialize(repeating: 0, count: n * o * hw) }
        col2imAdd(z.base, geo, into: d)
        biasActivationInPlace(activation, d, nil, rows: 1, cols: n * o * hw)
    }
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return Tensor.record("conv2d", out, inputs: inputs) { g0, nodes in
        let g = activation == .identity ? g0 : Tensor.make(g0.shape) { activationGrad(activation, g0.base, out.base, $0, g0.count) }
        // dZ = im2col(g), the adjoint of the scatter above.
        let dz = Tensor.make([rows, cols]) { im2col(g.base, geo, into: $0) }
        if let nx = nodes[0] {
            let dxm = Tensor.make([c, cols]) { d in
                sgemm(transA: true, transB: false, m: c, n: cols, k: rows, a: wt.base, lda: c, b: dz.base, ldb: cols, beta: 0, c: d, ldc: cols)
            }
            nx.withGradBuffer { d, acc in
                for img in 0..<n { for ch in 0..<c {
                    addInto(d + (img * c + ch) * hw, dxm.base + ch * cols + img * hw, hw, accumulate: acc)
                } }
            }
        }
        if let nw = nodes[1] {
            let dwt = Tensor.make([rows, c]) { d in
                sgemm(transA: false, transB: true, m: rows, n: c, k: cols, a: dz.base, lda: cols, b: xm.base, ldb: cols, beta: 0, c: d, ldc: c)
            }
            nw.withGradBuffer { addFlippedWeightGradient(dwt.base, weightShape: weight.shape, into: $0, accumulate: $1) }
        }
        if nodes.count > 2, let nb = nodes[2] {
            nb.withGradBuffer { addChannelSums(g.base, n: n, channels: o, hw: hw, into: $0, accumulate: $1) }
        }
    }
}

/// `[a, b, inner] -> [b, a, inner]`: the layout change between NCHW images and
/// the `[channels, n*h*w]` matrices of the products. Rows are short (16 or 4
/// floats in Glow on 8x8 images), so they are copied inline, not by memcpy.
func swapLeadingAxes(_ src: UnsafePointer<Float>, _ a: Int, _ b: Int, _ inner: Int, into dst: UnsafeMutablePointer<Float>) {
    if inner >= 64 {
        for i in 0..<a { for j in 0..<b { (dst + (j * a + i) * inner).update(from: src + (i * b + j) * inner, count: inner) } }
        return
    }
    for i in 0..<a {
        for j in 0..<b {
            let s = src + (i * b + j) * inner, d = dst + (j * a + i) * inner
            var k = 0
            while k + 16 <= inner { store16(load16(s + k), d + k); k += 16 }
            while k < inner { d[k] = s[k]; k += 1 }
        }
    }
}

/// The sum of `n` floats, in 16 lanes.
func vectorSum(_ p: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = F16(repeating: 0)
    var i = 0
    while i + 16 <= n { acc += load16(p + i); i += 16 }
    var s = acc.sum()
    while i < n { s += p[i]; i += 1 }
    return s
}

/// For kernel tap `(i, j)` and output pixel `p = oy*wo + ox`: the input pixel
/// `(oy+i-pad)*w + ox+j-pad` it reads, or -1 in the padding.
func tapTable(_ g: ConvGeometry) -> [Int32] {
    var t = [Int32](repeating: -1, count: g.kh * g.kw * g.ho * g.wo)
    for i in 0..<g.kh { for j in 0..<g.kw { for oy in 0..<g.ho { for ox in 0..<g.wo {
        let iy = oy + i - g.pad, ix = ox + j - g.pad
        if iy >= 0 && iy < g.h && ix >= 0 && ix < g.w { t[((i * g.kw + j) * g.ho + oy) * g.wo + ox] = Int32(iy * g.w + ix) }
    } } } }
    return t
}

struct ConvGeometry {
    let n, c, h, w, kh, kw, pad, ho, wo: Int
}

/// `cols[(ch*kh + i)*kw + j][img*ho*wo + oy*wo + ox] = x[img, ch, oy+i-pad, ox+j-pad]` (0 outside).
func im2col(_ x: UnsafePointer<Float>, _ g: ConvGeometry, into cols: UnsafeMutablePointer<Float>) {
    let hw = g.ho * g.wo, width = g.n * hw
    if g.kh == 1 && g.kw == 1 && g.pad == 0 && g.ho == g.h && g.wo == g.w {
        // A 1x1 convolution: only the channel and image axes swap.
        swapLeadingAxes(x, g.n, g.c, hw, into: cols)
        return
    }
    if hw <= 64 {
        // Small images: one pass per image and tap through a table of source pixels.
        let table = tapTable(g)
        table.withUnsafeBufferPointer { t in
            for ch in 0..<g.c {
                for tap in 0..<(g.kh * g.kw) {
                    let row = cols + (ch * g.kh * g.kw + tap) * width
                    let idx = t.baseAddress! + tap * hw
                    for img in 0..<g.n {
                        let src = x + (img * g.c + ch) * g.h * g.w, dst = row + img * hw
                        for p in 0..<hw { let k = Int(idx[p]); dst[p] = k >= 0 ? src[k] : 0 }
                    }
                }
            }
        }
        return
    }
    for ch in 0..<g.c {
        for i in 0..<g.kh {
            for j in 0..<g.kw {
                let row = cols + ((ch * g.kh + i) * g.kw + j) * width
                // Output columns whose input column ox + j - pad lies inside the image.
                let lo = Swift.min(g.wo, Swift.max(0, g.pad - j)), hi = Swift.max(lo, Swift.min(g.wo, g.w + g.pad - j))
                for img in 0..<g.n {
                    let src = x + (img * g.c + ch) * g.h * g.w
                    let dst = row + img * hw
                    for oy in 0..<g.ho {
                        let iy = oy + i - g.pad
                        let d = dst + oy * g.wo
                        if iy < 0 || iy >= g.h { for ox in 0..<g.wo { d[ox] = 0 }; continue }
                        let s = src + iy * g.w + j - g.pad
                        for ox in 0..<lo { d[ox] = 0 }
                        for ox in lo..<hi { d[ox] = s[ox] }
                        for ox in hi..<g.wo { d[ox] = 0 }
                    }
                }
            }
        }
    }
}

/// The adjoint of `im2col`: adds every column entry back into its input pixel.
func col2imAdd(_ cols: UnsafePointer<Float>, _ g: ConvGeometry, into x: UnsafeMutablePointer<Float>) {
    let hw = g.ho * g.wo, width = g.n * hw
    if g.kh == 1 && g.kw == 1 && g.pad == 0 && g.ho == g.h && g.wo == g.w {
        for ch in 0..<g.c { for img in 0..<g.n { addInto(x + (img * g.c + ch) * hw, cols + ch * width + img * hw, hw, accumulate: true) } }
        return
    }
    if hw <= 64 {
        let table = tapTable(g)
        table.withUnsafeBufferPointer { t in
            for ch in 0..<g.c {
                for tap in 0..<(g.kh * g.kw) {
                    let row = cols + (ch * g.kh * g.kw + tap) * width
                    let idx = t.baseAddress! + tap * hw
                    for img in 0..<g.n {
                        let dst = x + (img * g.c + ch) * g.h * g.w, src = row + img * hw
                        for p in 0..<hw { let k = Int(idx[p]); if k >= 0 { dst[k] += src[p] } }
                    }
                }
            }
        }
        return
    }
    for ch in 0..<g.c {
        for i in 0..<g.kh {
            for j in 0..<g.kw {
                let row = cols + ((ch * g.kh + i) * g.kw + j) * width
                let lo = Swift.min(g.wo, Swift.max(0, g.pad - j)), hi = Swift.max(lo, Swift.min(g.wo, g.w + g.pad - j))
                for img in 0..<g.n {
                    let dst = x + (img * g.c + ch) * g.h * g.w
                    let src = row + img * hw
                    for oy in 0..<g.ho {
                        let iy = oy + i - g.pad
                        if iy < 0 || iy >= g.h { continue }
                        let d = dst + iy * g.w + j - g.pad
                        let s = src + oy * g.wo
                        for ox in lo..<hi { d[ox] += s[ox] }
                    }
                }
            }
        }
    }
}

/// The weight `[o, c, kh, kw]` as a `[o*kh*kw, c]` matrix with the kernel
/// flipped: row `(oc*kh + kh-1-i)*kw + kw-1-j`, column `ch` holds `w[oc, ch, i, j]`.
/// The output-side convolutions multiply by it.
func flippedWeightRows(_ weight: Tensor) -> Tensor {
    let o = weight.shape[0], c = weight.shape[1], kh = weight.shape[2], kw = weight.shape[3]
    return Tensor.make([o * kh * kw, c]) { d in
        for oc in 0..<o { for ch in 0..<c { for i in 0..<kh { for j in 0..<kw {
            d[((oc * kh + kh - 1 - i) * kw + kw - 1 - j) * c + ch] = weight.base[((oc * c + ch) * kh + i) * kw + j]
        } } } }
    }
}

/// Adds a gradient laid out as `flippedWeightRows` back into an `[o, c, kh, kw]` gradient.
func addFlippedWeightGradient(_ dwt: UnsafePointer<Float>, weightShape: Shape, into d: UnsafeMutablePointer<Float>, accumulate: Bool) {
    let o = weightShape[0], c = weightShape[1], kh = weightShape[2], kw = weightShape[3]
    for oc in 0..<o { for ch in 0..<c { for i in 0..<kh { for j in 0..<kw {
        let k = ((oc * c + ch) * kh + i) * kw + j
        d[k] = (accumulate ? d[k] : 0) + dwt[((oc * kh + kh - 1 - i) * kw + kw - 1 - j) * c + ch]
    } } } }
}

/// Adds the per-channel sums of an `[n, channels, hw]` gradient into `d` (a bias gradient).
func addChannelSums(_ g: UnsafePointer<Float>, n: Int, channels: Int, hw: Int, into d: UnsafeMutablePointer<Float>, accumulate: Bool) {
    for ch in 0..<channels {
        var s: Float = 0
        for img in 0..<n { s += vectorSum(g + (img * channels + ch) * hw, hw) }
        d[ch] = (accumulate ? d[ch] : 0) + s
    }
}
