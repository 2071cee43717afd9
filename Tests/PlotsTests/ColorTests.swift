import Testing
@testable import Plots

@Test func viridisEndpointsMatchThePublishedTable() {
    let v = Colormap.viridis
    #expect(v.count == 256)
    let lo = v.color(at: 0), hi = v.color(at: 1)
    #expect(lo.red == 0.267004 && lo.green == 0.004874 && lo.blue == 0.329415)
    #expect(hi.red == 0.993248 && hi.green == 0.906157 && hi.blue == 0.143936)
    #expect(lo.hexString == "#440154")
    #expect(hi.hexString == "#fde725")
    // Entry 128, matplotlib's viridis(0.5).
    #expect(v.color(at: 0.5).hexString == "#21918c")
    // Clamped outside 0...1; NaN is transparent.
    #expect(v.color(at: -3) == lo && v.color(at: 7) == hi)
    #expect(v.color(at: .nan).alpha == 0)
}

@Test func viridisLightnessIncreases() {
    // Perceptually uniform maps are monotone in lightness; check relative luminance.
    func luminance(_ c: Color) -> Double { 0.2126 * c.red + 0.7152 * c.green + 0.0722 * c.blue }
    let values = (0..<256).map { luminance(Colormap.viridis.color(at: (Double($0) + 0.5) / 256)) }
    for i in 1..<256 { #expect(values[i] > values[i - 1]) }
}

@Test func paletteIsTab10AndCycles() {
    #expect(Palette.tab10.map(\.hexString) == ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                                "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"])
    #expect(Palette.color(10) == Palette.color(0))
    #expect(Palette.color(-1) == Palette.color(9))
}

@Test func greyMaps() {
    #expect(Colormap.gray.color(at: 0).hexString == "#000000")
    #expect(Colormap.gray.color(at: 1).hexString == "#ffffff")
    #expect(Colormap.grayReversed.color(at: 0).hexString == "#ffffff")
}
