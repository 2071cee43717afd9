extension Tensor {
    /// Uniform draws in `[low, high)`.
    public static func uniform(_ shape: Shape, low: Float = 0, high: Float = 1, using rng: inout RandomGenerator) -> Tensor {
        let n = shape.elementCount
        var r = rng
        let t = Tensor.make(shape) { p in for i in 0..<n { p[i] = low + (high - low) * r.nextUniform() } }
        rng = r
        return t
    }

    /// Normal draws with the given mean and standard deviation.
    public static func normal(_ shape: Shape, mean: Float = 0, std: Float = 1, using rng: inout RandomGenerator) -> Tensor {
        let n = shape.elementCount
        var r = rng
        let t = Tensor.make(shape) { p in for i in 0..<n { p[i] = mean + std * r.nextNormal() } }
        rng = r
        return t
    }

    /// PyTorch's default initialisation of Linear and Conv2d weights and biases:
    /// uniform in `±1/sqrt(fanIn)` (Kaiming-uniform with `a = sqrt(5)`).
    public static func kaimingUniform(_ shape: Shape, fanIn: Int, using rng: inout RandomGenerator) -> Tensor {
        let bound = 1 / Float(fanIn).squareRoot()
        return uniform(shape, low: -bound, high: bound, using: &rng)
    }

    /// Glorot (Xavier) uniform initialisation.
    public static func glorotUniform(_ shape: Shape, fanIn: Int, fanOut: Int, using rng: inout RandomGenerator) -> Tensor {
        let bound = (6 / Float(fanIn + fanOut)).squareRoot()
        return uniform(shape, low: -bound, high: bound, using: &rng)
    }
}
