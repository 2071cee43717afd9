import Yams

extension MetadataValue {
    /// Reads a YAML document (a project's `myst.yml`, say) into metadata.
    /// Throws with the YAML parser's message, which names the line.
    public static func parseYAML(_ text: String) throws -> MetadataValue {
        guard let node = try Yams.compose(yaml: text) else { return .null }
        return FrontMatterReader.convert(node)
    }
}
