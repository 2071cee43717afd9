@_exported import Diagnostics

/// The problems the parser reports, and the site's that concern the document.
extension Diagnostic.Code {
    public static let unknownDirective = Self(.myst, "unknown-directive")
    public static let unknownRole = Self(.myst, "unknown-role")
    public static let unknownOption = Self(.myst, "unknown-option")
    public static let badOptionValue = Self(.myst, "bad-option-value")
    public static let unclosedFence = Self(.myst, "unclosed-fence")
    public static let unclosedMath = Self(.myst, "unclosed-math")
    public static let unclosedRole = Self(.myst, "unclosed-role")
    public static let invalidFrontMatter = Self(.myst, "invalid-front-matter")
    public static let duplicateLabel = Self(.myst, "duplicate-label")
    public static let invalidMath = Self(.myst, "invalid-math")
    public static let nonSwiftCell = Self(.myst, "non-swift-cell")
    public static let unknownTag = Self(.myst, "unknown-tag")
    public static let missingArgument = Self(.myst, "missing-argument")
    public static let tooDeep = Self(.myst, "nesting-too-deep")
    public static let malformedDirective = Self(.myst, "malformed-directive")
    public static let badExplore = Self(.myst, "bad-explore")

    /// A reference to a label no page defines.
    public static let unresolvedReference = Self(.site, "unresolved-reference")
    /// A `{glue}` key no cell glued.
    public static let missingGlue = Self(.site, "missing-glue")
    /// An image or file the page names that does not exist.
    public static let missingFile = Self(.site, "missing-file")
    /// An image the page would load from the web.
    public static let remoteImage = Self(.site, "remote-image")
    /// A figure with neither a caption nor alt text.
    public static let missingAltText = Self(.site, "missing-alt-text")
    /// A cell's display that cannot be turned into a file (bad base64).
    public static let badDisplay = Self(.site, "bad-display")

    /// Every code the parser and the site use, for tests that their names are unique.
    public static let documentCodes: [Self] = [
        unknownDirective, unknownRole, unknownOption, badOptionValue, unclosedFence, unclosedMath, unclosedRole,
        invalidFrontMatter, duplicateLabel, invalidMath, nonSwiftCell, unknownTag, missingArgument, tooDeep,
        malformedDirective, badExplore, unresolvedReference, missingGlue, missingFile, remoteImage, missingAltText, badDisplay,    ]
}
