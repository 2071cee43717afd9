import ArgumentParser
import Foundation
import MyST

extension NBRun {
    /// `nbrun parse`: shows what the engine understood of a chapter.
    public struct Parse: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "parse",
            abstract: "Parse a MyST chapter and print its mdast or its diagnostics.",
            discussion: """
                With --format mdast (the default) prints the document as MyST's mdast JSON \
                on standard output and the diagnostics on standard error. With --format \
                diagnostics prints only the diagnostics, as file:line:col: severity: message, \
                and exits with status 1 if any is an error.
                """
        )

        /// What `parse` prints.
        public enum Format: String, ExpressibleByArgument, CaseIterable, Sendable {
            case mdast, diagnostics
        }

        @Option(help: "What to print: mdast or diagnostics.")
        public var format: Format = .mdast

        @Flag(help: "Include source positions in the mdast.")
        public var positions = false

        @Argument(help: "The markdown file to parse, or - for standard input.")
        public var file: String

        public init() {}

        public func validate() throws {
            if file != "-" && !FileManager.default.isReadableFile(atPath: file) {
                throw ValidationError("cannot read '\(file)': no such readable file")
            }
        }

        public func run() throws {
            let data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile()
                                   : try Data(contentsOf: URL(fileURLWithPath: file))
            let result = Self.render([UInt8](data), file: file == "-" ? "<stdin>" : file,
                                     format: format, positions: positions)
            FileHandle.standardOutput.write(Data(result.output.utf8))
            if !result.errors.isEmpty { FileHandle.standardError.write(Data(result.errors.utf8)) }
            if format == .diagnostics && result.hasErrors { throw ExitCode(1) }
        }

        /// The text `parse` prints for `bytes`: standard output, standard error, and whether there were errors.
        public static func render(_ bytes: [UInt8], file: String, format: Format,
                                  positions: Bool = false) -> (output: String, errors: String, hasErrors: Bool) {
            let document = Document.parse(bytes: bytes, file: file)
            let hasErrors = document.diagnostics.contains { $0.severity == .error }
            let diagnostics = document.diagnostics.map { $0.description + "\n" }.joined()
            switch format {
            case .mdast:
                let json = MDASTExporter(includePositions: positions).export(document).serialized(indent: 2)
                return (json + "\n", diagnostics, hasErrors)
            case .diagnostics:
                return (diagnostics, "", hasErrors)
            }
        }
    }
}
