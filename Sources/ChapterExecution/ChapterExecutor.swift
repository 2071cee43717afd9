import Foundation
import NotebookChannel
import Plumbing

/// Runs chapters: cells -> one Swift program -> compiled against the flow
/// library -> run as a child process under limits -> outputs per cell.
///
/// A compile error in cell k: the cells before k still run (a second program
/// without k and what follows), cell k carries every diagnostic of its own, and
/// later cells say why they did not run. A trap, a timeout or an output flood
/// stops the program in the cell where it happens; later cells do not run.
public final class ChapterExecutor: @unchecked Sendable {
    public let toolchain: Toolchain
    public let limits: ExecutionLimits
    /// Scratch space: one folder per chapter run.
    public let workDirectory: URL
    /// Receives the live progress lines of running chapters (`Notebook.progress`):
    /// the chapter's path and the line.
    public var onProgress: (@Sendable (_ path: String, _ cell: Int?, _ line: String) -> Void)?

    public init(toolchain: Toolchain, limits: ExecutionLimits = .default, workDirectory: URL) {
        self.toolchain = toolchain
        self.limits = limits
        self.workDirectory = workDirectory
    }

    /// Compiles and runs a chapter. Throws only when the runner itself cannot
    /// work (no compiler, no library); problems of the cells are in the result.
    ///
    /// - Parameter threads: the flow library's thread count in the chapter's
    ///   process (`NBFLOWS_THREADS`); nil for all cores.
    /// - Parameter explorers: where explorer cells' runs are cached, the
    ///   toolchain's fingerprint and the chapter's data files (their keys).
    public func run(_ chapter: ChapterSource, limits override: ExecutionLimits? = nil, threads: Int? = nil,
                    explorers: ExplorerCache? = nil) throws -> ChapterResult {
        let limits = override ?? chapter.limits ?? self.limits
        var outputs = chapter.cells.map { cell -> CellOutput in
            var o = CellOutput()
            o.skipped = cell.skip
            return o
        }
        let runnable = chapter.cells.indices.filter { !chapter.cells[$0].skip }
        var result = ChapterResult(cells: outputs, glue: [:], compileSeconds: 0, runSeconds: 0)
        guard !runnable.isEmpty else { return result }

        let dir = workDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let builder = ProgramBuilder(chapter: chapter)

        // Compile everything; on errors, find the first failing cell.
        let t0 = Date()
        var compiled = try compile(builder.source(cells: runnable), in: dir, builder: builder)
        var toRun = runnable
        if let failing = compiled.firstFailingCell {
            outputs[failing].error = .compile(compiled.diagnostics[failing] ?? [])
            let line = chapter.cells[failing].line
            for i in runnable where i > failing {
                outputs[i].error = .notRun(reason: "cell \(failing + 1) (line \(line)) failed to compile")
            }
            let warnings = compiled.warnings
            toRun = runnable.filter { $0 < failing }
            if !toRun.isEmpty {
                compiled = try compile(builder.source(cells: toRun), in: dir, builder: builder)
                guard compiled.firstFailingCell == nil else {
                    throw ExecutionError("cells before cell \(failing + 1) do not compile without it:\n" + compiled.log)
                }
            } else {
                compiled = Compiled()
            }
            for (i, ws) in warnings where i >= failing { outputs[i].warnings = ws }
        }
        for (i, ws) in compiled.warnings { outputs[i].warnings = ws }
        if let unplaced = compiled.unplacedErrors { throw ExecutionError("the generated program does not compile:\n" + unplaced) }
        result.compileSeconds = Date().timeIntervalSince(t0)

        if !toRun.isEmpty {
            let t1 = Date()
            var runner = Runner(executable: dir.appendingPathComponent("chapter"), directory: dir,
                                limits: limits, seed: chapter.seed, threads: threads)
            runner.exploreJobs = threads ?? ProcessInfo.processInfo.activeProcessorCount
            let explorerPlan = try planExplorers(chapter, cells: toRun, limits: limits, in: dir, cache: explorers, jobs: runner.exploreJobs)
            runner.cellTimeScale = explorerPlan.timeScale
            if let onProgress { runner.onProgress = { onProgress(chapter.path, $0, $1) } }
            let run = try runner.run()
            result.runSeconds = Date().timeIntervalSince(t1)
            collect(run, cells: toRun, chapter: chapter, into: &outputs, glue: &result.glue)
            collectExplorers(explorerPlan, run: run, chapter: chapter, into: &outputs, glue: &result.glue, cache: explorers)
        }
        result.cells = outputs
        return result
    }

    // MARK: - Compiling

    struct Compiled {
        var diagnostics: [Int: [Diagnostic]] = [:]
        var warnings: [Int: [Diagnostic]] = [:]
        var firstFailingCell: Int?
        var unplacedErrors: String?
        var log = ""
    }

    func compile(_ source: String, in dir: URL, builder: ProgramBuilder) throws -> Compiled {
        let main = dir.appendingPathComponent("main.swift")
        try source.write(to: main, atomically: true, encoding: .utf8)
        let args = toolchain.compilerArguments(moduleCache: toolchain.moduleCachePath(in: workDirectory))
            + [main.path, "-o", dir.appendingPathComponent("chapter").path]
        let (status, output) = try Subprocess.capture(toolchain.swiftc, args, directory: dir)
        var c = Compiled()
        c.log = output
        for d in Diagnostic.parseCompilerOutput(output) {
            guard d.file == builder.chapter.path, let cell = builder.cell(atLine: d.line) else {
                if d.severity == .error { c.unplacedErrors = (c.unplacedErrors ?? "") + d.description + "\n" }
                continue
            }
            if d.severity == .warning { c.warnings[cell, default: []].append(d); continue }
            c.diagnostics[cell, default: []].append(d)
            if d.severity == .error { c.firstFailingCell = Swift.min(c.firstFailingCell ?? cell, cell) }
        }
        if status != 0 && c.firstFailingCell == nil && c.unplacedErrors == nil {
            c.unplacedErrors = output
        }
        return c
    }

    // MARK: - Collecting outputs

    func collect(_ run: Runner.Outcome, cells: [Int], chapter: ChapterSource,
                 into outputs: inout [CellOutput], glue: inout [String: DisplayRecord]) {
        for i in cells {
            outputs[i].stdout = run.text(of: ChapterChannel.stdoutFile(cell: i))
            outputs[i].stderr = cleanTrapOutput(run.text(of: ChapterChannel.stderrFile(cell: i)), path: chapter.path)
        }
        for record in run.displayLines(ChapterChannel.displaysFile) where record.cell >= 0 && record.cell < outputs.count {
            outputs[record.cell].displays.append(DisplayRecord(mime: record.mime, data: record.data, name: nil))
        }
        for record in run.displayLines(ChapterChannel.glueFile) {
            guard let name = record.name else { continue }
            glue[name] = DisplayRecord(mime: record.mime, data: record.data, name: name)
        }
        // Expected failures, reported by the forking parent.
        for (cell, status) in run.expectedFailures where cell < outputs.count {
            outputs[cell].errorExpected = true
            if status != 0 {
                outputs[cell].error = .runtime(message: trapMessage(outputs[cell].stderr) ?? "the cell stopped (status \(status))",
                                               line: trapLine(outputs[cell].stderr, chapter.path))
            }
        }
        guard let stopped = run.stoppedCell ?? (run.finished ? nil : run.lastBegun) else { return }
        let error: CellError
        switch run.stop {
        case .timeout(let s): error = .timeout(seconds: s)
        case .outputLimit(let b): error = .outputLimit(bytes: b)
        case .crashed(let status), .none(let status):
            error = .runtime(message: trapMessage(outputs[stopped].stderr) ?? "the program stopped (status \(status))",
                             line: trapLine(outputs[stopped].stderr, chapter.path))
        }
        outputs[stopped].error = error
        let line = chapter.cells[stopped].line
        for i in cells where i > stopped {
            outputs[i].error = .notRun(reason: "cell \(stopped + 1) (line \(line)) stopped the chapter")
        }
    }
}

/// The message of a Swift runtime trap in a cell's standard error.
/// A trap's standard error made readable and reproducible: the runtime's
/// stack trace (addresses change from run to run) is dropped, and the
/// `#fileID` it names (`chapter/03-coupling.md`) becomes the chapter's path.
package func cleanTrapOutput(_ stderr: String, path: String) -> String {
    guard stderr.contains("Current stack trace:") || stderr.contains("chapter/") else { return stderr }
    let fileID = "chapter/" + (path as NSString).lastPathComponent + ":"
    var out: [Substring] = []
    var inTrace = false
    for line in stderr.split(separator: "\n", omittingEmptySubsequences: false) {
        if line == "Current stack trace:" { inTrace = true; continue }
        if inTrace {
            // "3    libswiftCore.so    0x00007f...  symbol + 221"
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count >= 3, Int(fields[0]) != nil, fields[2].hasPrefix("0x") { continue }
            inTrace = false
        }
        out.append(line)
    }
    return out.joined(separator: "\n").replacingOccurrences(of: fileID, with: path + ":")
}

package func trapMessage(_ stderr: String) -> String? {
    guard let line = stderr.split(separator: "\n").last(where: { $0.contains("Fatal error") || $0.contains("Precondition failed") || $0.contains("Assertion failed") }) else { return nil }
    if let r = line.range(of: "Fatal error: ") { return String(line[r.upperBound...]) }
    if let r = line.range(of: "Fatal error") { return String(line[r.lowerBound...]) }
    // "path:39: Precondition failed: demo": the location is reported apart.
    if let r = line.range(of: #"^[^ ]*:\d+: "#, options: .regularExpression) { return String(line[r.upperBound...]) }
    return String(line)
}

/// The markdown line a trap message names (`file:line: Fatal error: ...`).
func trapLine(_ stderr: String, _ path: String) -> Int? {
    for line in stderr.split(separator: "\n") where line.hasPrefix(path + ":") {
        let rest = line.dropFirst(path.count + 1)
        if let n = Int(rest.prefix { $0.isNumber }) { return n }
    }
    return nil
}

extension ChapterExecutor {
    /// Runs several chapters, up to `jobs` at a time, using `cache` when given.
    /// Each chapter's result (or the runner's own error) is independent: one
    /// chapter that fails or hangs does not stop the others. Results are in the
    /// order of `chapters`.
    ///
    /// A chapter's data files (`ChapterSource.dataFiles`) are read relative to `dataDirectory`.
    public func runAll(_ chapters: [ChapterSource], jobs: Int, cache: ExecutionCache?, force: Bool = false,
                       dataDirectory: URL? = nil, onDone: (@Sendable (Int, Result<ChapterResult, ExecutionError>, Bool) -> Void)? = nil) -> [Result<ChapterResult, ExecutionError>] {
        let fingerprint = (try? toolchain.fingerprint()) ?? "unknown"
        // Chapters running side by side share the cores instead of fighting over them.
        let concurrent = Swift.min(Swift.max(1, jobs), chapters.count)
        let threads: Int? = concurrent > 1 ? Swift.max(1, ProcessInfo.processInfo.activeProcessorCount / concurrent) : nil
        return Parallel.map(chapters.count, jobs: jobs) { i -> Result<ChapterResult, ExecutionError> in
            let chapter = chapters[i]
            let files = chapter.dataFiles.map { URL(fileURLWithPath: $0, relativeTo: dataDirectory) }
            let key = cache?.key(chapter, limits: chapter.limits ?? self.limits, fingerprint: fingerprint, dataFiles: files)
            if !force, let cache, let key, let hit = cache.lookup(key, chapter: chapter) {
                onDone?(i, .success(hit), true)
                return .success(hit)
            }
            let result: Result<ChapterResult, ExecutionError>
            do {
                let r = try self.run(chapter, threads: threads,
                                     explorers: cache.map { ExplorerCache(cache: $0, fingerprint: fingerprint, dataFiles: files, reuse: !force) })
                if let cache, let key { try? cache.store(key, chapter: chapter, result: r) }
                result = .success(r)
            } catch let e as ExecutionError {
                result = .failure(e)
            } catch {
                result = .failure(ExecutionError("\(error)"))
            }
            onDone?(i, result, false)
            return result
        }
    }
}
