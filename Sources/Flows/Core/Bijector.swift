@_exported import Tensors

/// An invertible map with a tractable log-determinant: the building block of a flow.
///
/// Directions follow nflows and FrEIA: **forward is data -> latent** (the
/// normalizing direction, used for density evaluation and maximum likelihood)
/// and **inverse is latent -> data** (the generating direction, used for
/// sampling). Both work on a batch: the first axis indexes samples, and the
/// log-determinant is returned per sample, shape `[batch]`.
///
/// - `forward(x)` returns `(y, log|det dy/dx|)`.
/// - `inverse(y)` returns `(x, log|det dx/dy|)`, so the two log-dets of a
///   round trip cancel.
///
/// A `condition` (for example a one-hot class label `[batch, classes]`) is
/// passed to bijectors that use one and ignored by the others.
public protocol Bijector: Module {
    func forward(_ x: Tensor, condition: Tensor?) -> (y: Tensor, logDet: Tensor)
    func inverse(_ y: Tensor, condition: Tensor?) -> (x: Tensor, logDet: Tensor)
    /// A short name for printouts and error messages.
    var name: String { get }
}

extension Bijector {
    /// data -> latent: `(y, log|det dy/dx|)` with `logDet` of shape `[batch]`.
    public func forward(_ x: Tensor) -> (y: Tensor, logDet: Tensor) { forward(x, condition: nil) }
    /// latent -> data: `(x, log|det dx/dy|)` with `logDet` of shape `[batch]`.
    public func inverse(_ y: Tensor) -> (x: Tensor, logDet: Tensor) { inverse(y, condition: nil) }
    public var name: String { String(describing: type(of: self)) }
}

/// A layer whose parameters can be set from a batch of its inputs (ActNorm,
/// Scaling) so that its outputs start normalised.
public protocol DataInitializable: Bijector {
    func initialize(from x: Tensor)
}

/// A per-sample zero log-determinant for a batch of `x`.
func zeroLogDet(_ x: Tensor) -> Tensor { Tensor.zeros([x.shape[0]]) }

/// Sums every axis but the first: `[batch, ...] -> [batch]`.
func sumPerSample(_ t: Tensor) -> Tensor {
    t.rank == 1 ? t : t.reshaped([t.shape[0], -1]).sum(axis: 1)
}
