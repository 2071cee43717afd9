/// A position in a source file: 1-based line and 1-based column (in UTF-8 bytes).
public struct SourceLocation: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    /// 1-based line number.
    public var line: Int
    /// 1-based column, counted in UTF-8 bytes as libcmark does.
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }

    public var description: String { "\(line):\(column)" }
}

/// The span of a node in its file: from `start` to `end`, both inclusive.
public struct SourceRange: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The file the node came from, as given to the parser.
    public var file: String
    public var start: SourceLocation
    public var end: SourceLocation

    public init(file: String, start: SourceLocation, end: SourceLocation) {
        self.file = file
        self.start = start
        self.end = end
    }

    /// The empty range at one line and column.
    public init(file: String, line: Int, column: Int) {
        let at = SourceLocation(line: line, column: column)
        self.init(file: file, start: at, end: at)
    }

    /// A range covering lines `first` through `last` entirely.
    public init(file: String, lines first: Int, _ last: Int, column: Int = 1) {
        self.init(file: file, start: .init(line: first, column: column),
                  end: .init(line: max(first, last), column: column))
    }

    /// `file:line:col`, the form compilers and editors use.
    public var description: String { "\(file):\(start.line):\(start.column)" }
}
