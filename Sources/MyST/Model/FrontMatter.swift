/// A YAML value from front matter or a directive's YAML option block.
public indirect enum MetadataValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([MetadataValue])
    /// A mapping, keys in source order.
    case mapping([(key: String, value: MetadataValue)])

    public static func == (a: MetadataValue, b: MetadataValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.double(x), .double(y)): return x == y
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.mapping(x), .mapping(y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(String(describing: self))
    }

    /// The value under `key` of a mapping.
    public subscript(key: String) -> MetadataValue? {
        if case .mapping(let pairs) = self { return pairs.first { $0.key == key }?.value }
        return nil
    }

    /// A scalar as text; nil for collections and null.
    public var text: String? {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .bool(let b): return String(b)
        default: return nil
        }
    }
}

/// The YAML between `---` lines at the top of a chapter.
///
/// Jupyter notebooks saved as MyST by jupytext carry a `jupytext` and a
/// `kernelspec` section; both are read into typed fields.
public struct FrontMatter: Hashable, Sendable {
    /// The YAML text, verbatim.
    public var raw: String
    /// The parsed mapping (empty when the YAML was invalid).
    public var values: MetadataValue
    public var range: SourceRange

    public init(raw: String, values: MetadataValue, range: SourceRange) {
        self.raw = raw
        self.values = values
        self.range = range
    }

    /// `title:`.
    public var title: String? { values["title"]?.text }

    /// `kernelspec:` from a jupytext header.
    public var kernelspec: Kernelspec? {
        guard let spec = values["kernelspec"] ?? values["jupyter"]?["kernelspec"] else { return nil }
        return Kernelspec(name: spec["name"]?.text ?? "", language: spec["language"]?.text,
                          displayName: spec["display_name"]?.text)
    }

    /// `jupytext:` (or `jupyter: jupytext:`) text-representation metadata.
    public var jupytext: Jupytext? {
        guard let j = values["jupytext"] ?? values["jupyter"]?["jupytext"] else { return nil }
        let rep = j["text_representation"]
        return Jupytext(formatName: rep?["format_name"]?.text, formatVersion: rep?["format_version"]?.text,
                        jupytextVersion: rep?["jupytext_version"]?.text, extension: rep?["extension"]?.text)
    }
}

/// A notebook's kernel: `kernelspec: {name, language, display_name}`.
public struct Kernelspec: Hashable, Sendable {
    public var name: String
    public var language: String?
    public var displayName: String?
}

/// jupytext's `text_representation`.
public struct Jupytext: Hashable, Sendable {
    public var formatName: String?
    public var formatVersion: String?
    public var jupytextVersion: String?
    public var `extension`: String?
}
