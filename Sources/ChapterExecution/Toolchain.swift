import Foundation
import Plumbing
import StableText

/// Where the compiler and the flow library are, and how to build the library.
///
/// The library is the `NBFlows` product of the nbrun package, built in release
/// mode. The package is found from `NBRUN_HOME`, else by walking up from the
/// running executable (`swift run`, `.build/release/nbrun`), else from the
/// current directory; the library is (re)built when it is missing or older
/// than its sources, in the package's `.build` folder (or `NBRUN_SCRATCH_PATH`).
public struct Toolchain: Sendable {
    /// The nbrun package's root folder.
    public let packageRoot: URL
    /// The `swiftc` to compile chapters with.
    public let swiftc: String
    /// The package's build folder (SwiftPM's scratch path), relative to the root.
    public let scratchPath: String

    public var buildDirectory: URL { packageRoot.appendingPathComponent(scratchPath).appendingPathComponent("release") }
    public var libraryFile: URL { buildDirectory.appendingPathComponent("libNBFlows.so") }
    public var modulesDirectory: URL { buildDirectory.appendingPathComponent("Modules") }

    /// Folders with the module maps of the C modules the library imports.
    public var cModuleDirectories: [URL] {
        ["Sources/CBLAS", "Sources/CKernels/include", "Sources/CZlib"].map { packageRoot.appendingPathComponent($0) }
    }

    /// The compiler's module cache for programs compiled in `workDirectory`:
    /// a folder named by the work folder's absolute path, because clang's
    /// precompiled modules record the cache path they were built in and fail
    /// ("was compiled with module cache path ...") once the folder is moved
    /// or copied. A moved project therefore starts a fresh cache.
    public func moduleCachePath(in workDirectory: URL) -> String {
        var hash = StableHash()
        hash.add(workDirectory.standardizedFileURL.path)
        return workDirectory.appendingPathComponent("module-cache").appendingPathComponent(String(hash.hex.prefix(16))).path
    }

    /// The flow library's source folders (and `Package.swift`), relative to
    /// the package: their changes make the library stale.
    public static let librarySourceFolders = [
        "Sources/Tensors", "Sources/Flows", "Sources/NotebookRuntime", "Sources/Plots", "Sources/CheckRuntime",
        "Sources/CheckReports", "Sources/NotebookChannel", "Sources/StableText", "Sources/CKernels", "Sources/CBLAS", "Package.swift",
    ]

    /// Source folders whose changes make the library stale.
    var librarySources: [URL] { Self.librarySourceFolders.map { packageRoot.appendingPathComponent($0) } }

    public init(packageRoot: URL, swiftc: String, scratchPath: String = ".build") {
        self.packageRoot = packageRoot
        self.swiftc = swiftc
        self.scratchPath = scratchPath
    }

    /// Finds the package and the compiler.
    public static func locate() throws -> Toolchain {
        let fm = FileManager.default
        var candidates: [URL] = []
        if let home = ProcessInfo.processInfo.environment["NBRUN_HOME"] { candidates.append(URL(fileURLWithPath: home)) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent())
        candidates.append(URL(fileURLWithPath: fm.currentDirectoryPath))
        for start in candidates {
            var dir = start.standardizedFileURL
            while true {
                let manifest = dir.appendingPathComponent("Package.swift")
                if let text = try? String(contentsOf: manifest, encoding: .utf8), text.contains("name: \"nbrun\"") {
                    let scratch = ProcessInfo.processInfo.environment["NBRUN_SCRATCH_PATH"] ?? ".build"
                    return Toolchain(packageRoot: dir, swiftc: findSwiftc(), scratchPath: scratch)
                }
                let parent = dir.deletingLastPathComponent()
                if parent.path == dir.path { break }
                dir = parent
            }
        }
        throw ExecutionError("cannot find the nbrun package (its Package.swift) above the nbrun executable or the current folder; set NBRUN_HOME to its folder")
    }

    package static func findSwiftc() -> String {
        if let s = ProcessInfo.processInfo.environment["SWIFTC"] { return s }
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":") {
            let p = "\(dir)/swiftc"
            if FileManager.default.isExecutableFile(atPath: p) { return p }
        }
        return "swiftc"
    }

    /// True when the built library is missing or older than any of its sources.
    public var libraryIsStale: Bool {
        guard let built = modificationDate(libraryFile) else { return true }
        return librarySources.contains { newestModification(under: $0).map { $0 > built } ?? false }
    }

    /// Builds the library in release mode if it is missing or stale; `log`
    /// receives a line saying so.
    public func ensureLibrary(log: (String) -> Void) throws {
        guard libraryIsStale else { return }
        log("building the flow library (swift build -c release --product NBFlows)...")
        let result = try Subprocess.capture("/usr/bin/env", ["swift", "build", "-c", "release", "--product", "NBFlows",
                                                     "--scratch-path", scratchPath],
                                    directory: packageRoot)
        guard result.status == 0 else {
            throw ExecutionError("building the flow library failed:\n\(result.output)")
        }
        // A build that had nothing to relink (a manifest edit, say) leaves the
        // library's date alone; mark it current so the next run does not build
        // again. Only then: the date is part of `fingerprint()`, and a second
        // nbrun that waited for another's build must not invalidate the
        // outputs the first one is caching.
        if libraryIsStale {
            try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: libraryFile.path)
        }
    }

    /// A short fingerprint of the library build and compiler, for cache keys.
    public func fingerprint() throws -> String {
        let version = try compilerVersion()
        let stamp = modificationDate(libraryFile)?.timeIntervalSince1970 ?? 0
        let size = (try? FileManager.default.attributesOfItem(atPath: libraryFile.path)[.size] as? Int) ?? 0
        return "\(version.trimmingCharacters(in: .whitespacesAndNewlines))|\(stamp)|\(size)"
    }
}

extension Toolchain {
    /// `swiftc --version`, remembered in the build folder for as long as the
    /// compiler file is unchanged: asking costs a tenth of a second, which a
    /// no-change rebuild of the course should not pay.
    func compilerVersion() throws -> String {
        let compiler = URL(fileURLWithPath: swiftc).resolvingSymlinksInPath()
        let attributes = try? FileManager.default.attributesOfItem(atPath: compiler.path)
        let stamp = "\(compiler.path)|\((attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)|\(attributes?[.size] as? Int ?? 0)"
        let memo = packageRoot.appendingPathComponent(scratchPath).appendingPathComponent("nbrun-compiler-version")
        if let text = try? String(contentsOf: memo, encoding: .utf8), let newline = text.firstIndex(of: "\n"),
           text[..<newline] == stamp, attributes != nil {
            return String(text[text.index(after: newline)...])
        }
        let version = try Subprocess.capture(swiftc, ["--version"], directory: packageRoot).output
        if attributes != nil { try? (stamp + "\n" + version).write(to: memo, atomically: true, encoding: .utf8) }
        return version
    }
}

func modificationDate(_ url: URL) -> Date? {
    (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
}

func newestModification(under url: URL) -> Date? {
    var newest = modificationDate(url)
    if let e = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.contentModificationDateKey]) {
        for case let f as URL in e {
            if let d = modificationDate(f), d > (newest ?? .distantPast) { newest = d }
        }
    }
    return newest
}

/// An error of the runner's own machinery (not of a cell).
public struct ExecutionError: Error, CustomStringConvertible {
    public let description: String
    public init(_ d: String) { description = d }
}

extension Toolchain {
    /// The arguments of every swiftc run nbrun makes against the flow
    /// library (a chapter, an exercise's setup, a student's file, a check):
    /// Swift 5 mode, no optimisation (compiling is most of a cell's time),
    /// diagnostics in the one-line form the runner reads, the library's
    /// modules and C module maps, and the library linked with its path
    /// remembered. Inputs, outputs and the kind of product are the caller's.
    ///
    /// - Parameters:
    ///   - moduleCache: the clang module cache (one per work folder).
    ///   - moduleName: the module's name, when it matters.
    ///   - searchPaths: more folders of Swift modules.
    ///   - libraries: more libraries to link, each with its folder.
    public func compilerArguments(moduleCache: String, moduleName: String? = nil, searchPaths: [String] = [],
                                  libraries: [(folder: String, name: String)] = []) -> [String] {
        var args = ["-swift-version", "5", "-Onone", "-diagnostic-style=llvm"]
        if let moduleName { args += ["-module-name", moduleName] }
        args += ["-module-cache-path", moduleCache, "-I", modulesDirectory.path]
        for d in cModuleDirectories { args += ["-I", d.path] }
        for p in searchPaths { args += ["-I", p] }
        for (folder, name) in libraries + [(buildDirectory.path, "NBFlows")] {
            args += ["-L", folder, "-l\(name)", "-Xlinker", "-rpath", "-Xlinker", folder]
        }
        return args
    }
}
