/// MyST markdown: chapters parsed into a typed document with source ranges.
///
/// Entry point: ``Document/parse(_:file:)`` turns a chapter's text into a ``Document``.
/// Parsing never fails; problems become ``Diagnostic``s on the document.
extension Document {
    /// The version of the document model and its mdast export.
    public static let formatVersion = 1

    /// Parses MyST markdown into a document.
    ///
    /// - Parameters:
    ///   - source: the chapter's text (any bytes; invalid UTF-8 is replaced by U+FFFD).
    ///   - file: the path used in source ranges and diagnostics.
    /// - Complexity: linear in the size of `source` for all inputs.
    public static func parse(_ source: String, file: String = "<stdin>") -> Document {
        DocumentParser(file: file).parse(source)
    }

    /// Parses raw bytes, replacing invalid UTF-8 and NUL bytes by U+FFFD.
    public static func parse(bytes: [UInt8], file: String = "<stdin>") -> Document {
        parse(String(decoding: bytes, as: UTF8.self), file: file)
    }
}
