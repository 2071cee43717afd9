import Foundation
import Testing
@testable import MyST

/// The folder of this test target's fixtures.
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

/// Reads a fixture as text.
func fixture(_ name: String) throws -> String {
    try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
}

/// Compares `actual` with the golden file `name`; `RECORD_SNAPSHOTS=1` rewrites it.
func assertGolden(_ actual: String, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
    let url = fixtures.appendingPathComponent(name)
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil || !FileManager.default.fileExists(atPath: url.path) {
        try actual.write(to: url, atomically: true, encoding: .utf8)
    }
    let expected = try String(contentsOf: url, encoding: .utf8)
    #expect(actual == expected, "differs from \(name); rerun with RECORD_SNAPSHOTS=1 to accept", sourceLocation: sourceLocation)
}

/// The diagnostics of `source` with code `code`.
func diagnostics(_ source: String, _ code: Diagnostic.Code) -> [Diagnostic] {
    Document.parse(source, file: "t.md").diagnostics.filter { $0.code == code }
}
