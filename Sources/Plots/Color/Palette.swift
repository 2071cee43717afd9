/// Qualitative palettes for colouring series and classes.
///
/// The default is matplotlib's `tab10` (Tableau 10): mid-lightness hues that
/// stay distinguishable on white and on dark page backgrounds.
public enum Palette {
    /// Tableau 10, in matplotlib's order: blue, orange, green, red, purple,
    /// brown, pink, grey, olive, cyan.
    public static let tab10: [Color] = [
        0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
        0x8c564b, 0xe377c2, 0x7f7f7f, 0xbcbd22, 0x17becf,
    ].map { Color(hex: $0) }

    /// The `index`-th colour of `tab10`, cycling.
    public static func color(_ index: Int) -> Color {
        tab10[((index % tab10.count) + tab10.count) % tab10.count]
    }
}
