import Foundation

/// The grades of a class: per student, per exercise, per check.
///
/// Written as JSON (everything) and CSV (a row per student: total and points
/// per exercise). Partial gradebooks of a sharded run merge into one.
public struct Gradebook: Sendable, Hashable, Codable {
    public struct ExerciseColumn: Sendable, Hashable, Codable {
        public var label: String
        public var name: String
        public var points: Int

        public init(label: String, name: String, points: Int) {
            self.label = label; self.name = name; self.points = points
        }
    }

    public struct Student: Sendable, Hashable, Codable {
        public var student: String
        public var reports: [CheckReport]

        public init(student: String, reports: [CheckReport]) {
            self.student = student; self.reports = reports
        }

        public var earned: Int { reports.reduce(0) { $0 + $1.earned } }
        public var possible: Int { reports.reduce(0) { $0 + $1.possible } }
    }

    public var exercises: [ExerciseColumn]
    public var students: [Student]

    public init(exercises: [ExerciseColumn], students: [Student]) {
        self.exercises = exercises
        self.students = students.sorted { $0.student < $1.student }
    }

    /// Joins partial gradebooks of the same exercises (from `--shard` runs).
    public static func merge(_ parts: [Gradebook]) throws -> Gradebook {
        guard let first = parts.first else { throw GradingError("nothing to merge") }
        var seen: [String: Int] = [:]
        var students: [Student] = []
        for (k, part) in parts.enumerated() {
            guard part.exercises == first.exercises else {
                throw GradingError("partial gradebook \(k + 1) has other exercises than the first; grade every shard from the same chapters")
            }
            for s in part.students {
                if let other = seen[s.student] {
                    throw GradingError("student '\(s.student)' is in partial gradebooks \(other + 1) and \(k + 1); the shards overlap")
                }
                seen[s.student] = k
                students.append(s)
            }
        }
        return Gradebook(exercises: first.exercises, students: students)
    }

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    public static func read(json data: Data) throws -> Gradebook {
        try JSONDecoder().decode(Gradebook.self, from: data)
    }

    /// `student,total,possible,<label>...`; a row per student.
    public func csv() -> String {
        var out = (["student", "total", "possible"] + exercises.map(\.label)).map(Self.field).joined(separator: ",") + "\n"
        for s in students {
            var row = [s.student, String(s.earned), String(exercises.reduce(0) { $0 + $1.points })]
            for e in exercises { row.append(String(s.reports.first { $0.exercise == e.label }?.earned ?? 0)) }
            out += row.map(Self.field).joined(separator: ",") + "\n"
        }
        return out
    }

    /// A CSV field: quoted where needed, and never the start of a formula in
    /// a spreadsheet (a leading `=`, `+`, `-`, `@`, tab or carriage return gets
    /// a `'` before it, as OWASP recommends).
    static func field(_ s: String) -> String {
        var s = s
        if let first = s.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { s = "'" + s }
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// A student's feedback: every exercise's report, hidden checks as passed or failed only.
    public func feedback(_ s: Student) -> String {
        var out = "Feedback for \(TerminalText.line(s.student)): \(s.earned)/\(exercises.reduce(0) { $0 + $1.points }) points\n\n"
        for e in exercises {
            if let r = s.reports.first(where: { $0.exercise == e.label }) {
                out += r.text(title: e.name) + "\n"
            }
        }
        return out
    }
}

public struct GradingError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Which students a shard grades: the i-th of n slices of the sorted names
/// (1-based), every n-th student, so slices are balanced and deterministic.
public struct Shard: Sendable, Hashable {
    public var index: Int
    public var count: Int

    public init(_ text: String) throws {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 1, i <= n else {
            throw GradingError("--shard takes i/n with 1 <= i <= n, e.g. 2/8; got '\(text)'")
        }
        index = i; count = n
    }

    public func select(_ students: [String]) -> [String] {
        students.sorted().enumerated().filter { $0.offset % count == index - 1 }.map(\.element)
    }
}
