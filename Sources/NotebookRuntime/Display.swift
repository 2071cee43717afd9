import StableText

/// A rich output: a payload and its MIME type (`text/plain`, `image/svg+xml`,
/// `text/html`, `image/png` as base64).
public struct Display: Sendable, Equatable {
    public let mime: String
    public let data: String
    public init(mime: String, data: String) { self.mime = mime; self.data = data }
}

/// Values that know how to display themselves in a notebook.
public protocol Displayable {
    var display: Display { get }
}

extension String: Displayable {
    public var display: Display { Display(mime: "text/plain", data: self) }
}

extension Float: Displayable {
    public var display: Display { Display(mime: "text/plain", data: "\(self)") }
}

extension Double: Displayable {
    public var display: Display { Display(mime: "text/plain", data: "\(self)") }
}

extension Int: Displayable {
    public var display: Display { Display(mime: "text/plain", data: "\(self)") }
}

extension Tensor: Displayable {
    public var display: Display { Display(mime: "text/plain", data: description) }
}

/// A table of strings with an optional header row, shown as an HTML table.
public struct Table: Displayable {
    public let header: [String]?
    public let rows: [[String]]
    public init(header: [String]? = nil, rows: [[String]]) { self.header = header; self.rows = rows }

    public var display: Display {
        var html = "<table>"
        if let header { html += "<thead><tr>" + header.map { "<th>\(Markup.escapeXML($0))</th>" }.joined() + "</tr></thead>" }
        html += "<tbody>" + rows.map { "<tr>" + $0.map { "<td>\(Markup.escapeXML($0))</td>" }.joined() + "</tr>" }.joined() + "</tbody></table>"
        return Display(mime: "text/html", data: html)
    }
}

/// Raw SVG markup, shown as a figure.
public struct SVG: Displayable {
    public let markup: String
    public init(_ markup: String) { self.markup = markup }
    public var display: Display { Display(mime: "image/svg+xml", data: markup) }
}


/// Shows a value below the current cell: a figure, a tensor, a table, a string.
public func show(_ value: any Displayable) {
    Notebook.emit(value.display)
}

/// Names a value (a number, text or figure) so that the chapter's prose can
/// insert it with `{glue}`.
public func glue(_ name: String, _ value: any Displayable) {
    Notebook.emitGlue(name, value.display)
}
