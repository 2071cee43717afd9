/// The latent layout that the multi-scale image flows (`Glow`, `RealNVP`)
/// share: after every level but the last, the second half of the channels is
/// factored out; the latent is those halves, flattened, level 0 first, then
/// the last level's output, flattened: `[batch, C*H*W]` in all.
enum MultiScaleLatent {
    /// Factors the second half of `h`'s channels out into `parts`; `h` keeps the first half.
    static func factorOut(_ h: inout Tensor, into parts: inout [Tensor]) {
        let halves = h.chunked(2, axis: 1)
        parts.append(halves[1].flattened())
        h = halves[0]
    }

    /// The latent: the flattened parts side by side.
    static func join(_ parts: [Tensor]) -> Tensor {
        parts.count == 1 ? parts[0] : concat(parts, axis: 1)
    }

    /// `latent` cut back into parts of `sizes` entries per sample. A latent of
    /// any other shape with `sizes.sum` entries per sample is read as flattened;
    /// anything else stops with a message naming `layer`.
    static func split(_ latent: Tensor, sizes: [Int], layer: String) -> [Tensor] {
        let dimension = sizes.reduce(0, +)
        precondition(latent.rank >= 2 && latent.count == latent.shape[0] * dimension,
                     "\(layer): latent \(latent.shape) does not match [batch, \(dimension)]")
        let z = latent.rank == 2 ? latent : latent.reshaped([latent.shape[0], dimension])
        return sizes.count == 1 ? [z] : z.split(axis: 1, sizes: sizes)
    }

    /// Undoes `factorOut`: `h` with the factored `part` (flattened) put back
    /// as the second half of its channels.
    static func restore(_ h: Tensor, _ part: Tensor) -> Tensor {
        concat([h, part.reshaped(h.shape.dims)], axis: 1)
    }
}
