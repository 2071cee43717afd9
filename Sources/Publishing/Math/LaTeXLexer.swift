/// A token of LaTeX math.
enum MathToken: Equatable {
    case command(String)        // \frac, \alpha, \{ (name without the backslash)
    case char(Character)        // a letter, digit, operator or punctuation
    case open, close            // { }
    case sup, sub               // ^ _
    case align                  // &
    case space                  // whitespace (significant only inside \text)
    case end
}

/// Splits LaTeX math into tokens, remembering each token's offset for diagnostics.
struct LaTeXLexer {
    let chars: [Character]
    init(_ source: String) { chars = Array(source) }

    func tokens() -> [(token: MathToken, offset: Int)] {
        var out: [(MathToken, Int)] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            let start = i
            switch c {
            case "\\":
                i += 1
                guard i < chars.count else { out.append((.char("\\"), start)); break }
                if chars[i].isLetter {
                    var name = ""
                    while i < chars.count, chars[i].isLetter { name.append(chars[i]); i += 1 }
                    if name == "operatorname" || name == "tag", i < chars.count, chars[i] == "*" { name += "*"; i += 1 }
                    out.append((.command(name), start))
                    continue
                }
                out.append((.command(String(chars[i])), start))   // \\ \{ \, \; \| ...
                i += 1
                continue
            case "{": out.append((.open, start))
            case "}": out.append((.close, start))
            case "^": out.append((.sup, start))
            case "_": out.append((.sub, start))
            case "&": out.append((.align, start))
            case "%":   // a comment runs to the end of the line
                while i < chars.count, chars[i] != "\n" { i += 1 }
                continue
            default:
                if c.isWhitespace { out.append((.space, start)) } else { out.append((.char(c), start)) }
            }
            i += 1
        }
        out.append((.end, chars.count))
        return out
    }
}
