/// Contour lines of a scalar field on a regular grid, by marching squares.
///
/// Each grid cell's four corners are classified as above (>= level) or below
/// the level; the 16 cases give 0, 1 or 2 segments whose ends lie on the
/// cell's edges, placed by linear interpolation of the corner values. The two
/// ambiguous saddle cases are resolved by the mean of the four corners.
/// Segments sharing an edge crossing are then joined into polylines, closed
/// ones ending at their start point. Cells with a NaN corner are skipped.
///
/// - Complexity: O(rows x columns) per level.
public enum MarchingSquares {
    /// A point in grid coordinates: `column` and `row` are fractional indices
    /// (column 0 is the first value of a row; row 0 is the first row).
    public struct GridPoint: Hashable, Sendable {
        public var column: Double
        public var row: Double
    }

    /// The polylines where `values` (row-major, `rows x columns`) crosses `level`.
    /// A closed contour repeats its first point at the end.
    public static func contours(values: [Double], rows: Int, columns: Int, level: Double) -> [[GridPoint]] {
        precondition(values.count == rows * columns,
                     "contours: \(rows)x\(columns) grid needs \(rows * columns) values, got \(values.count)")
        guard rows >= 2 && columns >= 2 else { return [] }
        // Edge ids: horizontal edge from (r, c) to (r, c+1) is 2*(r*columns+c); vertical (r, c)-(r+1, c) is +1.
        func hEdge(_ r: Int, _ c: Int) -> Int { 2 * (r * columns + c) }
        func vEdge(_ r: Int, _ c: Int) -> Int { 2 * (r * columns + c) + 1 }
        func v(_ r: Int, _ c: Int) -> Double { values[r * columns + c] }
        func crossing(_ edge: Int) -> GridPoint {
            let node = edge / 2, r = node / columns, c = node % columns
            let a = v(r, c)
            let b = edge % 2 == 0 ? v(r, c + 1) : v(r + 1, c)
            let t = b == a ? 0.5 : min(max((level - a) / (b - a), 0), 1)
            return edge % 2 == 0 ? GridPoint(column: Double(c) + t, row: Double(r))
                                 : GridPoint(column: Double(c), row: Double(r) + t)
        }

        var segments: [(Int, Int)] = []
        for r in 0..<(rows - 1) {
            for c in 0..<(columns - 1) {
                let v00 = v(r, c), v01 = v(r, c + 1), v11 = v(r + 1, c + 1), v10 = v(r + 1, c)
                if v00.isNaN || v01.isNaN || v11.isNaN || v10.isNaN { continue }
                let bottom = hEdge(r, c), top = hEdge(r + 1, c), left = vEdge(r, c), right = vEdge(r, c + 1)
                var index = 0
                if v00 >= level { index |= 1 }
                if v01 >= level { index |= 2 }
                if v11 >= level { index |= 4 }
                if v10 >= level { index |= 8 }
                switch index {
                case 0, 15: break
                case 1, 14: segments.append((left, bottom))
                case 2, 13: segments.append((bottom, right))
                case 3, 12: segments.append((left, right))
                case 4, 11: segments.append((right, top))
                case 6, 9: segments.append((bottom, top))
                case 7, 8: segments.append((left, top))
                case 5, 10:
                    let centreAbove = (v00 + v01 + v11 + v10) / 4 >= level
                    // Case 5: corners 00 and 11 above. Centre above joins them: cut off 01 and 10.
                    if (index == 5) == centreAbove {
                        segments.append((bottom, right)); segments.append((left, top))
                    } else {
                        segments.append((left, bottom)); segments.append((right, top))
                    }
                default: break
                }
            }
        }
        return join(segments).map { $0.map(crossing) }
    }

    /// Chains segments that share an edge crossing into polylines of edge ids.
    static func join(_ segments: [(Int, Int)]) -> [[Int]] {
        var byEdge: [Int: [Int]] = [:]
        for (i, s) in segments.enumerated() {
            byEdge[s.0, default: []].append(i)
            byEdge[s.1, default: []].append(i)
        }
        var used = [Bool](repeating: false, count: segments.count)
        func next(from edge: Int) -> Int? {
            guard let list = byEdge[edge] else { return nil }
            for i in list where !used[i] {
                used[i] = true
                let s = segments[i]
                return s.0 == edge ? s.1 : s.0
            }
            return nil
        }
        var lines: [[Int]] = []
        for i in segments.indices where !used[i] {
            used[i] = true
            var line = [segments[i].0, segments[i].1]
            while let e = next(from: line[line.count - 1]) { line.append(e) }
            if line.first != line.last {
                var head: [Int] = []
                while let e = next(from: head.last ?? line[0]) { head.append(e) }
                line = head.reversed() + line
            }
            lines.append(line)
        }
        return lines
    }
}
