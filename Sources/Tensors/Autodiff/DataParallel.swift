#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a thread's backward pass puts parameter gradients while it computes
/// one shard of a data-parallel step; nil (the default) means the parameters' own `grad`.
final class GradientSink {
    private static let key: pthread_key_t = {
        var k = pthread_key_t()
        pthread_key_create(&k, nil)
        return k
    }()

    static var current: GradientSink? {
        guard let p = pthread_getspecific(key) else { return nil }
        return Unmanaged<GradientSink>.fromOpaque(p).takeUnretainedValue()
    }

    static func install(_ sink: GradientSink?) {
        pthread_setspecific(key, sink.map { UnsafeRawPointer(Unmanaged.passUnretained($0).toOpaque()) })
    }

    /// Parameters in the order they first received a gradient, with their buffers.
    private(set) var entries: [(node: GradNode, buffer: TensorStorage)] = []
    private var index: [ObjectIdentifier: Int] = [:]

    func withBuffer(for node: GradNode, _ body: (UnsafeMutablePointer<Float>, Bool) -> Void) {
        if let i = index[ObjectIdentifier(node)] {
            body(entries[i].buffer.base, true)
        } else {
            let s = TensorStorage(uninitializedCount: node.shape.elementCount)
            body(s.base, false)
            index[ObjectIdentifier(node)] = entries.count
            entries.append((node, s))
        }
    }
}

extension Tensor {
    /// One data-parallel gradient step: splits `batch` into `shards` pieces along
    /// its first axis, evaluates `perSampleLoss` on each piece on its own core,
    /// back-propagates, and adds the gradient of the *mean* loss over the whole
    /// batch into the parameters' `grad`. Returns that mean loss.
    ///
    /// `perSampleLoss` maps a `[n, ...]` piece to `[n]` losses. The pieces' bounds
    /// depend on `shards` only and their gradients are summed in piece order, so
    /// the result is the same bytes for any thread count (it can differ from an
    /// unsharded step in the last bits, as any change of summation order does).
    /// Layers whose forward pass depends on the whole batch (batch statistics,
    /// ActNorm's first-batch initialisation) must not be evaluated this way.
    public static func meanLossBackward(_ batch: Tensor, shards: Int = 2,
                                        _ perSampleLoss: (Tensor) -> Tensor) -> Float {
        precondition(batch.rank >= 1, "meanLossBackward: the batch must have a leading axis, got shape \(batch.shape)")
        let n = batch.shape[0]
        let pieces = Swift.max(1, Swift.min(shards, n))
        let step = (n + pieces - 1) / pieces
        var sinks = [GradientSink?](repeating: nil, count: pieces)
        var losses = [Float](repeating: 0, count: pieces)
        let inverseN = 1 / Float(Swift.max(n, 1))
        sinks.withUnsafeMutableBufferPointer { sinkBuffer in
            losses.withUnsafeMutableBufferPointer { lossBuffer in
                ThreadPool.shared.parallelFor(pieces) { i in
                    let lo = i * step, hi = Swift.min(n, lo + step)
                    guard lo < hi else { return }
                    let sink = GradientSink()
                    GradientSink.install(sink)
                    defer { GradientSink.install(nil) }
                    let piece = batch.slice(axis: 0, lo..<hi)
                    let l = perSampleLoss(piece)
                    precondition(l.shape == [hi - lo], "meanLossBackward: the loss of a [\(hi - lo), ...] piece must have shape [\(hi - lo)], got \(l.shape)")
                    let total = l.sum() * inverseN
                    lossBuffer[i] = total.item
                    if total.requiresGrad { total.backward() }
                    sinkBuffer[i] = sink
                }
            }
        }
        for sink in sinks {
            guard let sink else { continue }
            for (node, buffer) in sink.entries {
                node.withGradBuffer { addInto($0, buffer.base, node.shape.elementCount, accumulate: $1) }
            }
        }
        return losses.reduce(0, +)
    }
}
