#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Evaluation measures for density models.
public enum Metrics {
    /// Bits per dimension of discrete data with `levels` values per dimension,
    /// from a continuous model's NLL (nats per sample) on dequantised data.
    ///
    /// Data in `{0, ..., k-1}^D` is dequantised as `y = (x + u)/k` with uniform
    /// `u`, so it lives in `[0, 1)^D` where each discrete point owns a cell of
    /// volume `k^-D`. The discrete model's log-probability is then bounded by
    /// `log p(y) - D log k`, and
    ///
    ///     bpd = (NLL/D + ln k) / ln 2
    ///
    /// Forgetting the `ln k` term (or using 256 levels for data that has fewer)
    /// is the common mistake. If the data was shifted (for example `y - 0.5`),
    /// nothing changes: a shift has unit Jacobian. If it was scaled by `a`, add
    /// `ln a` to the per-dimension NLL first.
    public static func bitsPerDimension(nll: Float, dimensions: Int, levels: Int) -> Float {
        precondition(dimensions > 0 && levels > 1, "bitsPerDimension: needs dimensions > 0 and levels > 1")
        return (nll / Float(dimensions) + logf(Float(levels))) / logf(2)
    }

    /// The area under the ROC curve of `scores` (higher means more anomalous)
    /// for binary `labels` (true = anomalous), by the Mann-Whitney rank statistic
    /// with ties counted half.
    public static func rocAUC(scores: [Float], labels: [Bool]) -> Float {
        precondition(scores.count == labels.count, "rocAUC: \(scores.count) scores for \(labels.count) labels")
        let positives = labels.filter { $0 }.count, negatives = labels.count - positives
        precondition(positives > 0 && negatives > 0, "rocAUC: needs both anomalous and normal examples")
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var rankSum = 0.0
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            let averageRank = Double(i + j) / 2 + 1
            for k in i...j where labels[order[k]] { rankSum += averageRank }
            i = j + 1
        }
        let u = rankSum - Double(positives) * Double(positives + 1) / 2
        return Float(u / (Double(positives) * Double(negatives)))
    }
}

extension Flow {
    /// Anomaly scores: the negative log-density of each sample (higher = more unusual).
    public func anomalyScores(_ x: Tensor, condition: Tensor? = nil) -> [Float] {
        withoutGrad { (-logProb(x, condition: condition)).scalars }
    }
}
