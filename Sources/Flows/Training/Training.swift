#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Settings of a training run.
public struct TrainingOptions: Sendable {
    public var steps: Int
    public var batchSize: Int
    public var learningRate: Float
    /// Steps of linear learning-rate warm-up (0 for none).
    public var warmupSteps: Int
    /// Joint gradient-norm bound, or nil for no clipping.
    public var clipNorm: Float?
    /// Evaluate on the test data every this many steps (and at the end).
    public var evaluateEvery: Int
    /// Split each batch over this many pieces computed on separate cores
    /// (`Tensor.meanLossBackward`), each with its own conditions when the flow
    /// is conditional; 1 computes the batch in one piece. Use 1 for flows whose
    /// forward pass depends on the whole batch (and initialise ActNorm first).
    public var shards: Int

    public init(steps: Int = 1000, batchSize: Int = 256, learningRate: Float = 1e-3, warmupSteps: Int = 0,
                clipNorm: Float? = nil, evaluateEvery: Int = 100, shards: Int = 1) {
        self.steps = steps; self.batchSize = batchSize; self.learningRate = learningRate
        self.warmupSteps = warmupSteps; self.clipNorm = clipNorm; self.evaluateEvery = evaluateEvery
        self.shards = shards
    }
}

/// What a training run reports as it goes (for a progress line).
public struct TrainingProgress: Sendable {
    public let step: Int
    public let totalSteps: Int
    /// The loss of this step's batch (NLL in nats, or the reverse-KL estimate).
    public let loss: Float
    /// The held-out NLL, on the steps where it was evaluated.
    public let testNLL: Float?
}

/// The record of a training run.
public struct TrainingHistory: Sendable {
    /// The training loss of every step (NaN for skipped steps).
    public internal(set) var trainLoss: [Float] = []
    /// `(step, NLL)` on the held-out data, every `evaluateEvery` steps and at the end.
    public internal(set) var testNLL: [(step: Int, nll: Float)] = []
    /// Steps whose loss or gradient was not finite: no update was made.
    public internal(set) var skippedSteps = 0

    /// The mean training loss over the last `k` finite steps.
    public func recentTrainLoss(_ k: Int = 50) -> Float {
        let finite = trainLoss.filter { $0.isFinite }.suffix(k)
        return finite.isEmpty ? .nan : finite.reduce(0, +) / Float(finite.count)
    }
}

/// Uniform dequantisation of a batch of integer data, drawn afresh for every
/// training batch: `(x + u) / levels + offset` with `u ~ U[0, 1)`.
public struct Dequantization: Sendable, Equatable {
    public var levels: Int
    public var offset: Float

    public init(levels: Int, offset: Float = 0) {
        precondition(levels > 0, "Dequantization: levels must be positive, got \(levels)")
        self.levels = levels
        self.offset = offset
    }

    public func callAsFunction(_ x: Tensor, using rng: inout RandomGenerator) -> Tensor {
        uniformDequantize(x, levels: levels, offset: offset, using: &rng)
    }
}

extension Flow {
    /// Maximum-likelihood training on `data` (`[n, ...]`) with Adam: minibatches
    /// drawn with replacement, optional warm-up and clipping, non-finite steps
    /// skipped and counted, held-out NLL recorded.
    ///
    /// - Parameters:
    ///   - condition: per-sample conditions (`[n, k]`) for conditional flows.
    ///   - dequantize: integer data is dequantised afresh for every batch;
    ///     `test` is used as given (dequantise it once, so that every
    ///     evaluation sees the same points).
    @discardableResult
    public func fit(_ data: Tensor, test: Tensor? = nil, condition: Tensor? = nil, testCondition: Tensor? = nil,
                    dequantize: Dequantization? = nil,
                    options: TrainingOptions = TrainingOptions(), using rng: inout RandomGenerator,
                    progress: ((TrainingProgress) -> Void)? = nil) -> TrainingHistory {
        let n = data.shape[0]
        precondition(n > 0, "fit: no training data")
        if let condition { precondition(condition.shape[0] == n, "fit: \(condition.shape[0]) conditions for \(n) samples") }
        let evaluate: ((Int) -> Float)? = test.map { test in { _ in self.evaluateNLL(test, condition: testCondition) } }
        return optimize(options, using: &rng, evaluate: evaluate, progress: progress) { rng in
            let idx = rng.choice(n, count: options.batchSize)
            var batch = data.gather(idx)
            if let dequantize { batch = dequantize(batch, using: &rng) }
            let cond = condition?.gather(idx)
            if options.shards > 1, let cond {
                return conditionedShardedStep(batch, cond, shards: options.shards)
            } else if options.shards > 1 {
                return Tensor.meanLossBackward(batch, shards: options.shards) { -self.logProb($0) }
            }
            let l = negativeLogLikelihood(batch, condition: cond)
            let loss = l.item
            if loss.isFinite { l.backward() }
            return loss
        }
    }

    /// Fits the flow's samples to an unnormalised density by minimising the
    /// reverse KL divergence `E_q[log q(x) - log p*(x)]` (up to `log Z`): the
    /// base is sampled, pushed through the generating direction, and scored.
    /// The reported loss is that estimate, a bound on `-log Z`.
    ///
    /// Where `fit` covers the data (forward KL, mass wherever there is data),
    /// this seeks modes: q is penalised for mass where p* has none, not for
    /// missing some of p*'s mass.
    @discardableResult
    public func fitReverseKL(_ target: any UnnormalizedDensity, options: TrainingOptions = TrainingOptions(),
                             using rng: inout RandomGenerator,
                             progress: ((TrainingProgress) -> Void)? = nil) -> TrainingHistory {
        optimize(options, using: &rng, evaluate: nil, progress: progress) { rng in
            let (x, logQ) = sampleWithLogProb(options.batchSize, using: &rng)
            let l = (logQ - target.logDensity(x)).mean()
            let loss = l.item
            if loss.isFinite { l.backward() }
            return loss
        }
    }

    /// The training loop both objectives share: Adam with warm-up, a step
    /// that computes its loss and gradients, clipping, skipped non-finite
    /// steps, evaluation every `evaluateEvery` steps and at the end.
    private func optimize(_ options: TrainingOptions, using rng: inout RandomGenerator, evaluate: ((Int) -> Float)?,
                          progress: ((TrainingProgress) -> Void)?,
                          step lossAndGradients: (inout RandomGenerator) -> Float) -> TrainingHistory {
        let optimizer = Adam(parameters, schedule: .warmup(options.learningRate, steps: options.warmupSteps))
        var history = TrainingHistory()
        guard options.steps > 0 else { return history }
        for step in 1...options.steps {
            optimizer.zeroGrad()
            let loss = lossAndGradients(&rng)
            history.trainLoss.append(applyUpdate(loss, optimizer, options, &history) ? loss : .nan)
            var testValue: Float? = nil
            if let evaluate, step % Swift.max(options.evaluateEvery, 1) == 0 || step == options.steps {
                testValue = evaluate(step)
                history.testNLL.append((step, testValue!))
            }
            progress?(TrainingProgress(step: step, totalSteps: options.steps, loss: loss, testNLL: testValue))
        }
        return history
    }

    /// An importance-sampling estimate of the normaliser `Z = ∫ p*(x) dx` of
    /// an unnormalised density, with the flow as the proposal:
    /// `Z ≈ (1/N) Σ p*(x_i) / q(x_i)`, `x_i ~ q`. Computed in log space.
    ///
    /// The estimate is unbiased for `Z` when q covers p* (q > 0 wherever
    /// p* > 0); a mode-seeking q that misses mass underestimates it, and the
    /// effective sample size `(Σw)² / Σw²` (out of N) says how far to trust it.
    public func estimateLogNormalizer(_ target: any UnnormalizedDensity, samples: Int = 10_000,
                                      using rng: inout RandomGenerator) -> (logZ: Double, effectiveSampleSize: Double) {
        precondition(samples > 0, "estimateLogNormalizer: needs at least one sample")
        var logWeights: [Double] = []
        logWeights.reserveCapacity(samples)
        withoutGrad {
            var left = samples
            while left > 0 {
                let m = Swift.min(left, 4096)
                let (x, logQ) = sampleWithLogProb(m, using: &rng)
                logWeights += (target.logDensity(x) - logQ).doubles
                left -= m
            }
        }
        let top = logWeights.max()!
        guard top.isFinite else { return (top, 0) }
        let w = logWeights.map { exp($0 - top) }
        let sum = w.reduce(0, +), sumSquares = w.reduce(0) { $0 + $1 * $1 }
        return (top + log(sum / Double(samples)), sum * sum / sumSquares)
    }

    /// One data-parallel step of a conditional flow: the batch and its
    /// conditions travel as one `[n, D + K]` tensor through
    /// `Tensor.meanLossBackward`, so each piece keeps its own conditions.
    private func conditionedShardedStep(_ batch: Tensor, _ condition: Tensor, shards: Int) -> Float {
        let n = batch.shape[0]
        let sampleShape = Array(batch.shape.dims.dropFirst()), conditionShape = Array(condition.shape.dims.dropFirst())
        let d = sampleShape.reduce(1, *), k = conditionShape.reduce(1, *)
        let packed = concat([batch.reshaped([n, d]), condition.reshaped([n, k])], axis: 1)
        return Tensor.meanLossBackward(packed, shards: shards) { piece in
            let m = piece.shape[0]
            let parts = piece.split(axis: 1, sizes: [d, k])
            return -self.logProb(parts[0].reshaped([m] + sampleShape), condition: parts[1].reshaped([m] + conditionShape))
        }
    }

    /// Clips and applies an update unless the loss or the gradient is not finite.
    private func applyUpdate(_ loss: Float, _ optimizer: Adam, _ options: TrainingOptions, _ history: inout TrainingHistory) -> Bool {
        guard loss.isFinite else {
            history.skippedSteps += 1
            optimizer.zeroGrad()
            return false
        }
        let norm = clipGradientNorm(parameters, maxNorm: options.clipNorm ?? .infinity)
        guard norm.isFinite else {
            history.skippedSteps += 1
            optimizer.zeroGrad()
            return false
        }
        optimizer.update()
        return true
    }

    /// The mean NLL of `data` in nats per sample, computed in batches without recording.
    public func evaluateNLL(_ data: Tensor, condition: Tensor? = nil, batchSize: Int = 1024) -> Float {
        withoutGrad {
            let n = data.shape[0]
            var total: Double = 0
            var start = 0
            while start < n {
                let end = Swift.min(n, start + batchSize)
                let lp = logProb(data.slice(axis: 0, start..<end), condition: condition?.slice(axis: 0, start..<end))
                total -= Double(lp.sum().item)
                start = end
            }
            return Float(total / Double(Swift.max(n, 1)))
        }
    }
}
