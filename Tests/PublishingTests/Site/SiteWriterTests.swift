import Foundation
import Testing
@testable import Publishing

/// The site appears whole or not at all, and only over a folder nbrun wrote.
@Suite struct SiteWriterTests {
    func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("site-writer-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    func read(_ url: URL) -> String? { try? String(contentsOf: url, encoding: .utf8) }

    @Test func replacesAPreviousSiteWhole() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let site = dir.appendingPathComponent("Site")
        try SiteWriter.write(["index.html": Data("one".utf8), "old.html": Data("x".utf8), ".nbrun-site": Data()], to: site)
        try SiteWriter.write(["index.html": Data("two".utf8), "_static/a.css": Data("a".utf8), ".nbrun-site": Data()], to: site)
        #expect(read(site.appendingPathComponent("index.html")) == "two")
        #expect(read(site.appendingPathComponent("_static/a.css")) == "a")
        #expect(read(site.appendingPathComponent("old.html")) == nil)
        // Nothing is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["Site"])
    }

    @Test func aFailedWriteLeavesThePreviousSite() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let site = dir.appendingPathComponent("Site")
        try SiteWriter.write(["index.html": Data("good".utf8), ".nbrun-site": Data()], to: site)
        // "a" is a file and a folder at once: the write fails midway.
        #expect(throws: (any Error).self) {
            try SiteWriter.write(["a": Data("1".utf8), "a/b.html": Data("2".utf8), ".nbrun-site": Data()], to: site)
        }
        #expect(read(site.appendingPathComponent("index.html")) == "good")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["Site"])
    }

    @Test func refusesToReplaceAFolderItDidNotWrite() throws {
        let dir = try scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        let mine = dir.appendingPathComponent("Documents")
        try FileManager.default.createDirectory(at: mine, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: mine.appendingPathComponent("thesis.tex"))
        #expect(throws: SiteWriter.WriteError.self) { try SiteWriter.write(["index.html": Data()], to: mine) }
        #expect(read(mine.appendingPathComponent("thesis.tex")) == "keep")
    }
}
