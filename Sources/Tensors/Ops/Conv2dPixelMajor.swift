/// Convolutions into and out of the *pixel-major* layout `[n*h*w, channels]`
/// (one row per pixel, as NHWC), for small networks that run a few layers
/// between two NCHW images: in that layout a 1x1 convolution is `linear`, and
/// none of the layers needs the NCHW <-> `[channels, n*h*w]` rearrangements of
/// `conv2d`. Glow's coupling network is `conv2dToPixelMajor` (3x3) -> `linear`
/// (1x1) -> `conv2dFromPixelMajor` (3x3).

/// A "same" convolution (stride 1, odd square kernel, `padding = k/2`) of an
/// NCHW image, with the result in the pixel-major layout.
///
/// - Parameters:
///   - x: `[n, cIn, h, w]`.
///   - weight: `[cOut, cIn, k, k]`.
///   - bias: `[cOut]`, or nil.
///   - activation: fused into the output pass.
/// - Returns: `[n*h*w, cOut]`, row `(img*h + y)*w + x` holding pixel `(y, x)` of image `img`.
public func conv2dToPixelMajor(_ x: Tensor, _ weight: Tensor, _ bias: Tensor? = nil,
                               activation: Activation = .identity) -> Tensor {
    _ = blasSetup
    let (geo, o) = sameGeometry("conv2dToPixelMajor", x.shape, weight, bias)
    let ckk = geo.c * geo.kh * geo.kw, cols = geo.n * geo.h * geo.w
    let unfolded = Tensor.make([ckk, cols]) { im2col(x.base, geo, into: $0) }
    // Y [cols, o] = U^T W^T.
    let y = Tensor.make([cols, o]) { c in
        sgemm(transA: true, transB: true, m: cols, n: o, k: ckk, a: unfolded.base, lda: cols,
              b: weight.base, ldb: ckk, beta: 0, c: c, ldc: o)
        biasActivationInPlace(activation, c, bias?.base, rows: cols, cols: o)
    }
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return Tensor.record("conv2dToPixelMajor", y, inputs: inputs) { g, nodes in
        let gz = activation == .identity ? g : Tensor.make(g.shape) { activationGrad(activation, g.base, y.base, $0, cols * o) }
        if let nx = nodes[0] {
            // dU [ckk, cols] = W^T gz^T.
            let du = Tensor.make([ckk, cols]) { d in
                sgemm(transA: true, transB: true, m: ckk, n: cols, k: o, a: weight.base, lda: ckk,
                      b: gz.base, ldb: o, beta: 0, c: d, ldc: cols)
            }
            nx.withGradBuffer { d, acc in
                if !acc { d.initialize(repeating: 0, count: x.count) }
                col2imAdd(du.base, geo, into: d)
            }
        }
        // dW [o, ckk] = gz^T U^T.
        nodes[1]?.withGradBuffer { d, acc in
            sgemm(transA: true, transB: true, m: o, n: ckk, k: cols, a: gz.base, lda: o,
                  b: unfolded.base, ldb: cols, beta: acc ? 1 : 0, c: d, ldc: ckk)
        }
        if nodes.count > 2, let nb = nodes[2] {
            nb.withGradBuffer { columnSums(gz.base, rows: cols, cols: o, into: $0, accumulate: $1) }
        }
    }
}

/// A "same" convolution (stride 1, odd square kernel, `padding = k/2`) of a
/// pixel-major input, with an NCHW result.
///
/// - Parameters:
///   - x: `[n*h*w, cIn]`, pixel-major (see `conv2dToPixelMajor`).
///   - imageShape: `[n, h, w]` of the images the rows belong to.
///   - weight: `[cOut, cIn, k, k]`.
///   - bias: `[cOut]`, or nil.
/// - Returns: `[n, cOut, h, w]`.
///
/// Computed output-side: `Z = W' X^T` multiplies every kernel tap's `[cOut, cIn]`
/// slice with the unshifted input, then the shifted rows of `Z` are added into
/// the output, so only `cOut*k*k` rows are unfolded (few when `cOut` is small).
public func conv2dFromPixelMajor(_ x: Tensor, imageShape: [Int], _ weight: Tensor, _ bias: Tensor? = nil) -> Tensor {
    _ = blasSetup
    precondition(imageShape.count == 3 && x.rank == 2 && x.shape[0] == imageShape.reduce(1, *),
                 "conv2dFromPixelMajor: input \(x.shape) is not [n*h*w, channels] for images \(imageShape)")
    let n = imageShape[0], h = imageShape[1], w = imageShape[2]
    let (inGeo, o) = sameGeometry("conv2dFromPixelMajor", [n, x.shape[1], h, w], weight, bias)
    let c = inGeo.c, k = inGeo.kh, pad = inGeo.pad
    let hw = h * w, cols = n * hw, rows = o * k * k
    // Output pixel y gets Z at input pixel u = y + i - pad, i.e. y = u + (k-1-i) - (k-1-pad):
    // col2imAdd with the kernel flipped.
    let geo = ConvGeometry(n: n, c: o, h: h, w: w, kh: k, kw: k, pad: k - 1 - pad, ho: h, wo: w)
    let wt = flippedWeightRows(weight)
    // Z [rows, cols] = W' X^T.
    let z = Tensor.make([rows, cols]) { d in
        sgemm(transA: false, transB: true, m: rows, n: cols, k: c, a: wt.base, lda: c, b: x.base, ldb: c, beta: 0, c: d, ldc: cols)
    }
    let out = Tensor.make([n, o, h, w]) { d in
        if let bias { for img in 0..<n { for oc in 0..<o { (d + (img * o + oc) * hw).initialize(repeating: bias.base[oc], count: hw) } } }
        else { d.initialize(repeating: 0, count: n * o * hw) }
        col2imAdd(z.base, geo, into: d)
    }
    let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
    return Tensor.record("conv2dFromPixelMajor", out, inputs: inputs) { g, nodes in
        let dz = Tensor.make([rows, cols]) { im2col(g.base, geo, into: $0) }
        // dX [cols, c] = dZ^T W'.
        nodes[0]?.withGradBuffer { d, acc in
            sgemm(transA: true, transB: false, m: cols, n: c, k: rows, a: dz.base, lda: cols,
                  b: wt.base, ldb: c, beta: acc ? 1 : 0, c: d, ldc: c)
        }
        if let nw = nodes[1] {
            // dW' [rows, c] = dZ X.
            let dwt = Tensor.make([rows, c]) { d in
                sgemm(transA: false, transB: false, m: rows, n: c, k: cols, a: dz.base, lda: cols, b: x.base, ldb: c, beta: 0, c: d, ldc: c)
            }
            nw.withGradBuffer { addFlippedWeightGradient(dwt.base, weightShape: weight.shape, into: $0, accumulate: $1) }
        }
        if nodes.count > 2, let nb = nodes[2] {
            nb.withGradBuffer { addChannelSums(g.base, n: n, channels: o, hw: hw, into: $0, accumulate: $1) }
        }
    }
}

/// Checks a "same" convolution's shapes; returns the input geometry and the output channels.
private func sameGeometry(_ op: String, _ xShape: Shape, _ weight: Tensor, _ bias: Tensor?) -> (ConvGeometry, Int) {
    precondition(xShape.rank == 4 && weight.rank == 4, "\(op): input \(xShape) and weight \(weight.shape) must both have rank 4")
    precondition(xShape[1] == weight.shape[1], "\(op): input \(xShape) has \(xShape[1]) channels but weight \(weight.shape) expects \(weight.shape[1])")
    let k = weight.shape[2]
    precondition(weight.shape[3] == k && k % 2 == 1, "\(op): needs an odd square kernel, got weight \(weight.shape)")
    let o = weight.shape[0]
    if let bias { precondition(bias.shape == [o], "\(op): bias \(bias.shape) does not match weight \(weight.shape)") }
    let geo = ConvGeometry(n: xShape[0], c: xShape[1], h: xShape[2], w: xShape[3], kh: k, kw: k, pad: k / 2, ho: xShape[2], wo: xShape[3])
    return (geo, o)
}
