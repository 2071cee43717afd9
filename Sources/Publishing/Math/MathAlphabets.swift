/// Letters and digits in the Unicode Mathematical Alphanumeric Symbols block.
///
/// MathML Core leaves `mathvariant` values other than `normal` to the author:
/// Chromium ignores them, so `\mathbf{x}` must be written as 𝐱 itself.
enum MathAlphabets {
    /// The styled form of `c`, or nil if the alphabet has none (the caller
    /// then keeps `c`).
    static func styled(_ c: Character, _ variant: String) -> Character? {
        guard let scalar = c.unicodeScalars.first, c.unicodeScalars.count == 1 else { return nil }
        let v = scalar.value
        if let hole = holes[variant]?[c] { return hole }
        var code: UInt32?
        switch v {
        case 0x41...0x5A: code = latin[variant].map { $0 + v - 0x41 }
        case 0x61...0x7A: code = latin[variant].map { $0 + 26 + v - 0x61 }
        case 0x30...0x39: code = digits[variant].map { $0 + v - 0x30 }
        default:
            if let i = greekIndex(v) { code = greek[variant].map { $0 + i } }
        }
        return code.flatMap(Unicode.Scalar.init).map(Character.init)
    }

    /// Where the capital A (then a, 26 on) of each alphabet is.
    static let latin: [String: UInt32] = [
        "bold": 0x1D400, "italic": 0x1D434, "bold-italic": 0x1D468, "script": 0x1D49C, "bold-script": 0x1D4D0,
        "fraktur": 0x1D504, "double-struck": 0x1D538, "bold-fraktur": 0x1D56C, "sans-serif": 0x1D5A0,
        "bold-sans-serif": 0x1D5D4, "sans-serif-italic": 0x1D608, "sans-serif-bold-italic": 0x1D63C, "monospace": 0x1D670,
    ]

    /// Where the digit zero of each alphabet is.
    static let digits: [String: UInt32] = [
        "bold": 0x1D7CE, "double-struck": 0x1D7D8, "sans-serif": 0x1D7E2, "bold-sans-serif": 0x1D7EC, "monospace": 0x1D7F6,
    ]

    /// Where the capital Alpha of each Greek alphabet is; its 58 letters
    /// follow the order that `greekIndex` gives.
    static let greek: [String: UInt32] = [
        "bold": 0x1D6A8, "italic": 0x1D6E2, "bold-italic": 0x1D71C, "bold-sans-serif": 0x1D756, "sans-serif-bold-italic": 0x1D790,
    ]

    /// Capitals Α–Ω (ϴ in the gap), ∇, small α–ω, then ∂ ϵ ϑ ϰ ϕ ϱ ϖ.
    static func greekIndex(_ v: UInt32) -> UInt32? {
        switch v {
        case 0x391...0x3A9 where v != 0x3A2: return v - 0x391
        case 0x3F4: return 17
        case 0x2207: return 25
        case 0x3B1...0x3C9: return 26 + v - 0x3B1
        case 0x2202: return 51
        case 0x3F5: return 52
        case 0x3D1: return 53
        case 0x3F0: return 54
        case 0x3D5: return 55
        case 0x3F1: return 56
        case 0x3D6: return 57
        default: return nil
        }
    }

    /// Letters encoded before the block was made, in the Letterlike Symbols.
    static let holes: [String: [Character: Character]] = [
        "italic": ["h": "ℎ"],
        "script": ["B": "ℬ", "E": "ℰ", "F": "ℱ", "H": "ℋ", "I": "ℐ", "L": "ℒ", "M": "ℳ", "R": "ℛ",
                   "e": "ℯ", "g": "ℊ", "o": "ℴ"],
        "fraktur": ["C": "ℭ", "H": "ℌ", "I": "ℑ", "R": "ℜ", "Z": "ℨ"],
        "double-struck": ["C": "ℂ", "H": "ℍ", "N": "ℕ", "P": "ℙ", "Q": "ℚ", "R": "ℝ", "Z": "ℤ"],
    ]
}
