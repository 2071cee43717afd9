import Testing
@testable import Tensors
@Test func placeholder() { #expect(Tensor([1,2]).count == 2) }
