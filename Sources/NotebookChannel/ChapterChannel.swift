/// What a compiled chapter and the chapter runner say to each other: one
/// definition, used by the chapter's runtime (`NotebookRuntime`, which writes)
/// and the runner (`ChapterExecution`, which reads), so neither side spells a
/// file name or a record's shape of its own.
///
/// The runner names a folder in the environment; the chapter appends records
/// to files in it, one record a line:
/// - `control`: ``ControlLine``s: a cell begins, an expected failure ended, the program ends;
/// - `cell-<n>.out`, `cell-<n>.err`: the cell's standard output and error
///   (the runtime points file descriptors 1 and 2 at them, so C code's output
///   and the Swift runtime's trap messages land in the right cell);
/// - `displays.jsonl` and `glue.jsonl`: ``DisplayLine``s;
/// - `progress`: the latest progress line, rewritten in place.
public enum ChapterChannel {
    /// The variable naming the folder; without it a chapter runs as a plain program.
    public static let directoryVariable = "NBRUN_OUTPUT_DIR"
    /// The variable holding the chapter's seed.
    public static let seedVariable = "NBRUN_SEED"
    /// The variable holding the flow library's thread count.
    public static let threadsVariable = "NBFLOWS_THREADS"

    public static let controlFile = "control"
    public static let displaysFile = "displays.jsonl"
    public static let glueFile = "glue.jsonl"
    public static let progressFile = "progress"

    /// The file holding cell `index`'s standard output.
    public static func stdoutFile(cell index: Int) -> String { "cell-\(index).out" }
    /// The file holding cell `index`'s standard error.
    public static func stderrFile(cell index: Int) -> String { "cell-\(index).err" }

    /// A record of the `control` file.
    public enum ControlLine: Hashable, Sendable {
        /// Cell `index` starts.
        case begin(cell: Int)
        /// A `raises-exception` cell, run in a child process, ended with `status`.
        case expected(cell: Int, status: Int32)
        /// The program reached its end.
        case end

        /// The line as written, newline included.
        public var text: String {
            switch self {
            case .begin(let cell): "begin \(cell)\n"
            case .expected(let cell, let status): "expected \(cell) \(status)\n"
            case .end: "end\n"
            }
        }

        /// Reads one line (without its newline); nil for anything else.
        public init?<S: StringProtocol>(_ line: S) {
            let fields = line.split(separator: " ")
            switch (fields.first, fields.count) {
            case ("begin"?, 2):
                guard let cell = Int(fields[1]) else { return nil }
                self = .begin(cell: cell)
            case ("expected"?, 3):
                guard let cell = Int(fields[1]), let status = Int32(fields[2]) else { return nil }
                self = .expected(cell: cell, status: status)
            case ("end"?, 1):
                self = .end
            default:
                return nil
            }
        }

        /// Every record of a `control` file's text, in order.
        public static func all(in text: String) -> [ControlLine] {
            text.split(separator: "\n").compactMap { ControlLine($0) }
        }
    }

    /// A record of `displays.jsonl` (no name) or `glue.jsonl` (a name): what a
    /// cell showed, as a MIME type and its payload.
    public struct DisplayLine: Hashable, Sendable, Codable {
        public var cell: Int
        public var name: String?
        public var mime: String
        public var data: String

        public init(cell: Int, name: String? = nil, mime: String, data: String) {
            self.cell = cell; self.name = name; self.mime = mime; self.data = data
        }

        /// The record as one JSON line, newline included, keys in a fixed order.
        public var text: String {
            var out = "{\"cell\":\(cell),"
            if let name { out += "\"name\":" + Self.jsonString(name) + "," }
            return out + "\"mime\":" + Self.jsonString(mime) + ",\"data\":" + Self.jsonString(data) + "}\n"
        }

        /// A JSON string literal (quotes included) for `s`.
        public static func jsonString(_ s: String) -> String {
            var out = "\""
            for u in s.unicodeScalars {
                switch u {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case "\n": out += "\\n"
                case "\r": out += "\\r"
                case "\t": out += "\\t"
                default:
                    if u.value < 0x20 {
                        let hex = String(u.value, radix: 16)
                        out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                    } else {
                        out.unicodeScalars.append(u)
                    }
                }
            }
            return out + "\""
        }
    }
}
