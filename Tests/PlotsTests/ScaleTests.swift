#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import Plots

@Test func niceStepsAreOneTwoFive() {
    #expect(Ticks.niceStep(span: 1, target: 5) == 0.2)
    #expect(Ticks.niceStep(span: 10, target: 5) == 2)
    #expect(Ticks.niceStep(span: 7, target: 5) == 2)
    #expect(Ticks.niceStep(span: 20, target: 5) == 5)
    #expect(Ticks.niceStep(span: 0.03, target: 3) == 0.01)
    #expect(Ticks.niceStep(span: 900, target: 5) == 200)
    for span in [0.0013, 0.7, 3.3, 42.0, 1e6] {
        let step = Ticks.niceStep(span: span, target: 5)
        let mantissa = step / pow10(Int((log10(step) + 1e-9).rounded(.down)))
        #expect([1.0, 2.0, 5.0].contains { abs($0 - mantissa) < 1e-9 }, "step \(step) for span \(span)")
    }
}

@Test func linearTicks() {
    #expect(Ticks.linear(0, 1) == [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1])
    #expect(Ticks.linearLabels(Ticks.linear(0, 1)) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    #expect(Ticks.linear(-3.2, 7.9) == [-2, 0, 2, 4, 6])
    // A narrow panel asks for three ticks: at least two must remain.
    #expect(Ticks.linear(-4, 4, target: 3) == [-4, -2, 0, 2, 4])
    #expect(Ticks.linear(-1.5, 1.5, target: 3) == [-1, 0, 1])
    #expect(Ticks.linear(-0.9, 0.9, target: 2).count >= 2)
    #expect(Ticks.linearLabels(Ticks.linear(-3.2, 7.9)) == ["\u{2212}2", "0", "2", "4", "6"])
    #expect(Ticks.linearLabels(Ticks.linear(-0.5, 0.5)) == ["\u{2212}0.4", "\u{2212}0.2", "0.0", "0.2", "0.4"])
    #expect(Ticks.linearLabels(Ticks.linear(0, 2000)) == ["0", "500", "1000", "1500", "2000"])
}

@Test func logTicks() {
    let wide = Ticks.log(1e-3, 10)
    #expect(wide.filter { $0.major }.map { Ticks.logLabel($0.value) } == ["10⁻³", "0.01", "0.1", "1", "10"])
    #expect(wide.filter { !$0.major }.count == 8 * 4)
    let narrow = Ticks.log(0.09, 2.5).map { Ticks.logLabel($0.value) }
    #expect(narrow == ["0.1", "0.2", "0.5", "1", "2"])
    let huge = Ticks.log(1, 1e12).filter { $0.major }
    #expect(huge.count <= 7 && huge.count >= 4)
}

@Test func numberFormattingIsFixed() {
    #expect(NumberFormat.coord(1.5) == "1.5")
    #expect(NumberFormat.coord(2) == "2")
    #expect(NumberFormat.coord(-0.001) == "0")
    #expect(NumberFormat.coord(-12.345) == "-12.35" || NumberFormat.coord(-12.345) == "-12.34")
    #expect(NumberFormat.coord(0.125) == "0.13")
    #expect(NumberFormat.fixed(3.14159, decimals: 3) == "3.142")
    #expect(NumberFormat.fixed(0.05, decimals: 2) == "0.05")
    #expect(NumberFormat.label(-0.5, decimals: 1) == "\u{2212}0.5")
    #expect(NumberFormat.superscript(-12) == "⁻¹²")
}

@Test func axisLimitsHaveMarginsButRespectStickyEdges() {
    var ax = Axes()
    ax.scatter(x: [0.0, 10.0], y: [1.0, 2.0])
    var (ex, ey) = ax.extents()
    #expect(Axes.limits(ex, scale: .linear, fixed: nil) == -0.5...10.5)
    #expect(Axes.limits(ey, scale: .linear, fixed: nil) == 0.95...2.05)

    var hist = Axes()
    hist.histogram([1.0, 2.0, 2.0, 3.0], bins: 2, range: 0...4)
    (ex, ey) = hist.extents()
    #expect(Axes.limits(ey, scale: .linear, fixed: nil).lowerBound == 0)

    var heat = Axes()
    heat.heatmap([0.0, 1, 2, 3], rows: 2, columns: 2, x: -1...1, y: 0...5)
    (ex, ey) = heat.extents()
    #expect(Axes.limits(ex, scale: .linear, fixed: nil) == -1...1)
    #expect(Axes.limits(ey, scale: .linear, fixed: nil) == 0...5)
}

@Test func narrowLogAxisFallsBackToPlainTicks() {
    let ax = Axes()
    let t = ax.ticks(0.28...0.63, scale: .log, target: 5)
    #expect(t.major.count >= 3)
    #expect(t.major.map(\.1) == ["0.3", "0.4", "0.5", "0.6"])
}
