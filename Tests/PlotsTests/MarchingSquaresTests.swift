#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import Plots

/// x^2 + y^2 sampled on an n x n grid over [-2, 2]^2 (sample j at -2 + 4j/(n-1)).
func circleField(_ n: Int) -> [Double] {
    (0..<(n * n)).map { i in
        let x = -2 + 4 * Double(i % n) / Double(n - 1), y = -2 + 4 * Double(i / n) / Double(n - 1)
        return x * x + y * y
    }
}

@Test func circleContourIsOneClosedCircle() {
    let n = 41, h = 4 / Double(n - 1)
    let lines = MarchingSquares.contours(values: circleField(n), rows: n, columns: n, level: 1)
    #expect(lines.count == 1)
    let line = lines[0]
    #expect(line.first == line.last, "a circle's contour is closed")
    #expect(line.count > 20)
    for p in line {
        let x = -2 + p.column * h, y = -2 + p.row * h
        // Linear interpolation of r^2 along a cell edge is off by at most h^2/4 in r^2.
        #expect(abs(sqrt(x * x + y * y) - 1) < h * h / 2, "(\(x), \(y)) is not on the unit circle")
    }
    // The enclosed area (shoelace) approaches pi.
    var area = 0.0
    for i in 0..<(line.count - 1) {
        area += (line[i].column * line[i + 1].row - line[i + 1].column * line[i].row) * h * h
    }
    #expect(abs(abs(area) / 2 - Double.pi) < 0.05)
}

@Test func levelsOutsideTheFieldGiveNothing() {
    #expect(MarchingSquares.contours(values: circleField(11), rows: 11, columns: 11, level: 100).isEmpty)
    #expect(MarchingSquares.contours(values: circleField(11), rows: 11, columns: 11, level: -1).isEmpty)
}

@Test func contourRunningOffTheGridIsOpen() {
    // A level crossing the grid's edge: a circle of radius 2.5 around the centre
    // of [-2, 2]^2 leaves four open arcs at the corners.
    let lines = MarchingSquares.contours(values: circleField(21), rows: 21, columns: 21, level: 6.25)
    #expect(lines.count == 4)
    for l in lines { #expect(l.first != l.last) }
}

@Test func saddleIsResolvedByTheCentre() {
    // Corners 00 and 11 high, 01 and 10 low; centre mean 0.6 above 0.5: the highs connect.
    let lines = MarchingSquares.contours(values: [1, 0, 0.4, 1], rows: 2, columns: 2, level: 0.5)
    #expect(lines.count == 2)
    // Each segment cuts off one low corner: (0, 1) and (1, 0) in (row, column).
    let cutsLowCorner = lines.map { l in l.allSatisfy { $0.row + (1 - $0.column) <= 1 } || l.allSatisfy { (1 - $0.row) + $0.column <= 1 } }
    #expect(cutsLowCorner == [true, true])
}

@Test func nanCellsAreSkipped() {
    var v = circleField(21)
    v[10 * 21 + 15] = .nan
    let lines = MarchingSquares.contours(values: v, rows: 21, columns: 21, level: 1)
    #expect(!lines.isEmpty)
    for l in lines { for p in l { #expect(p.column.isFinite && p.row.isFinite) } }
}
