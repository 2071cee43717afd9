import StableText

/// Swift source to HTML with `<span class="...">` around tokens, at build time.
///
/// Classes: `kw` keywords, `ty` type names (capitalised identifiers), `fn`
/// functions at a call or declaration, `str` string literals (with `interp`
/// around `\(...)` interpolations' delimiters), `num` numbers, `com` comments,
/// `attr` attributes (`@MainActor`), `dir` compiler directives (`#if`),
/// `op` operators. Everything else is plain escaped text. Stripping the
/// spans and unescaping gives back the source exactly, whatever the input
/// (unterminated strings and comments included).
public enum SwiftHighlighter {
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "precedencegroup", "protocol", "public", "rethrows", "static",
        "struct", "subscript", "typealias", "var", "break", "case", "catch", "continue", "default", "defer", "do",
        "else", "fallthrough", "for", "guard", "if", "in", "repeat", "return", "throw", "switch", "where", "while",
        "Any", "as", "await", "false", "is", "nil", "self", "Self", "super", "throws", "true", "try", "async",
        "mutating", "nonmutating", "override", "final", "lazy", "weak", "unowned", "some", "any", "convenience",
        "required", "dynamic", "indirect", "package", "consuming", "borrowing", "sending", "nonisolated", "isolated",
    ]

    public static func html(_ source: String) -> String {
        var out = ""
        out.reserveCapacity(source.utf8.count * 2)
        let s = Array(source.unicodeScalars)
        var i = 0
        var previousWord = ""

        // Scalars are escaped straight into `out`: no substring per token.
        func emit(_ cls: String?, _ from: Int, _ to: Int) {
            if let cls { out += "<span class=\""; out += cls; out += "\">" }
            for k in from..<to { Markup.appendEscaped(s[k], to: &out) }
            if cls != nil { out += "</span>" }
        }
        // ASCII first: Unicode property look-ups cost far more than the rest.
        func isIdentStart(_ c: Unicode.Scalar) -> Bool {
            if c.isASCII {
                let v = c.value
                return v == 95 || (v >= 65 && v <= 90) || (v >= 97 && v <= 122)
            }
            return c.properties.isAlphabetic
        }
        func isDigit(_ c: Unicode.Scalar) -> Bool {
            c.isASCII ? c.value >= 48 && c.value <= 57 : c.properties.numericType != nil
        }
        func isIdent(_ c: Unicode.Scalar) -> Bool { isIdentStart(c) || isDigit(c) }
        func isOperator(_ c: Unicode.Scalar) -> Bool {
            switch c {
            case "+", "-", "*", "/", "%", "=", "<", ">", "!", "&", "|", "^", "~", "?", ".": return true
            default: return false
            }
        }

        while i < s.count {
            let c = s[i]
            let next: Unicode.Scalar? = i + 1 < s.count ? s[i + 1] : nil
            // Comments.
            if c == "/" && next == "/" {
                var j = i
                while j < s.count && s[j] != "\n" { j += 1 }
                emit("com", i, j); i = j; continue
            }
            if c == "/" && next == "*" {
                var j = i + 2, level = 1
                while j < s.count && level > 0 {
                    if s[j] == "/" && j + 1 < s.count && s[j + 1] == "*" { level += 1; j += 2 }
                    else if s[j] == "*" && j + 1 < s.count && s[j + 1] == "/" { level -= 1; j += 2 }
                    else { j += 1 }
                }
                emit("com", i, j); i = j; continue
            }
            // Strings, with interpolation and multi-line literals.
            if c == "\"" || (c == "#" && next == "\"") {
                i = string(from: i, s, &out); previousWord = ""; continue
            }
            if c.isASCII && isDigit(c) {
                var j = i
                while j < s.count && (isIdent(s[j]) || s[j] == "." && j + 1 < s.count && isDigit(s[j + 1])) { j += 1 }
                emit("num", i, j); i = j; continue
            }
            if c == "@" || c == "#", i + 1 < s.count, isIdentStart(s[i + 1]) {
                var j = i + 1
                while j < s.count && isIdent(s[j]) { j += 1 }
                emit(c == "@" ? "attr" : "dir", i, j); i = j; continue
            }
            if isIdentStart(c) || c == "`" {
                var j = i + (c == "`" ? 1 : 0)
                while j < s.count && isIdent(s[j]) { j += 1 }
                if c == "`" && j < s.count && s[j] == "`" { j += 1 }
                let word = String(String.UnicodeScalarView(s[i..<j]))
                var k = j
                while k < s.count && s[k] == " " { k += 1 }
                let cls: String?
                if keywords.contains(word) && c != "`" { cls = "kw" }
                else if previousWord == "func" || (k < s.count && s[k] == "(" && !(word.first?.isUppercase ?? false)) { cls = "fn" }
                else if word.first?.isUppercase ?? false { cls = "ty" }
                else { cls = nil }
                emit(cls, i, j); i = j; previousWord = word; continue
            }
            if isOperator(c) {
                var j = i
                while j < s.count && isOperator(s[j]) {
                    if s[j] == "/" && j + 1 < s.count && (s[j + 1] == "/" || s[j + 1] == "*") { break }
                    j += 1
                }
                if j == i { j = i + 1 }
                let isDot = j == i + 1 && c == "."
                emit(isDot ? nil : "op", i, j); i = j; continue
            }
            let whitespace = c.isASCII ? c.value == 32 || (9...13).contains(c.value) : c.properties.isWhitespace
            if !whitespace { previousWord = "" }
            emit(nil, i, i + 1); i += 1
        }
        return out
    }

    /// A string literal from `start` (`"`, `"""` or raw `#"`), with interpolations highlighted inside.
    static func string(from start: Int, _ s: [Unicode.Scalar], _ out: inout String) -> Int {
        var i = start, hashes = 0
        while i < s.count && s[i] == "#" { hashes += 1; i += 1 }
        let multi = i + 2 < s.count && s[i] == "\"" && s[i + 1] == "\"" && s[i + 2] == "\""
        i += multi ? 3 : 1
        var segmentStart = start
        func flush(_ to: Int) {
            if to > segmentStart { out += "<span class=\"str\">" + Markup.escape(String(String.UnicodeScalarView(s[segmentStart..<to]))) + "</span>" }
        }
        while i < s.count {
            let c = s[i]
            if !multi && c == "\n" { break }   // unterminated single-line literal
            if c == "\\" {
                // An escape may carry the literal's hashes: \#( in #"..."#.
                var j = i + 1, h = 0
                while j < s.count && s[j] == "#" && h < hashes { h += 1; j += 1 }
                if h == hashes && j < s.count && s[j] == "(" {
                    flush(i)
                    out += "<span class=\"interp\">" + Markup.escape(String(String.UnicodeScalarView(s[i...j]))) + "</span>"
                    // The interpolated expression, up to its balancing parenthesis, highlighted as code.
                    var k = j + 1, depth = 1
                    while k < s.count && depth > 0 {
                        if s[k] == "(" { depth += 1 } else if s[k] == ")" { depth -= 1; if depth == 0 { break } }
                        if s[k] == "\n" && !multi { break }
                        k += 1
                    }
                    out += html(String(String.UnicodeScalarView(s[(j + 1)..<k])))
                    if k < s.count && s[k] == ")" {
                        out += "<span class=\"interp\">)</span>"
                        k += 1
                    }
                    i = k; segmentStart = k
                    continue
                }
                i = Swift.min(j + 1, s.count); continue
            }
            if c == "\"" {
                let closesMulti = !multi || (i + 2 < s.count && s[i + 1] == "\"" && s[i + 2] == "\"")
                if closesMulti {
                    var j = i + (multi ? 3 : 1), h = 0
                    while j < s.count && s[j] == "#" && h < hashes { h += 1; j += 1 }
                    if h == hashes { flush(j); return j }
                }
            }
            i += 1
        }
        flush(i)
        return i
    }
}
