/// MyST markdown: chapters parsed into a typed document with source ranges.
public enum MyST {
    /// The version of the document model and its mdast export.
    public static let formatVersion = 1
}
