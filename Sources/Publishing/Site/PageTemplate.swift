import StableText

/// A page of the site in its frame: header with search and theme toggle,
/// the chapter list, the article, the in-page contents, previous/next links.
struct PageTemplate {
    struct Link {
        var page: String
        var title: String
        var chapter: Int?
        var part: String?
    }

    var project: Project
    var pages: [Link]
    /// Index of this page in `pages`.
    var current: Int
    var outline: [PageNumbering.Heading]
    var description: String?

    func html(body: String) -> String {
        let page = pages[current]
        let fullTitle = page.page == "index.html" ? project.title : "\(page.title) · \(project.title)"
        var out = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(Markup.escape(fullTitle))</title>

        """
        if let d = description ?? project.description { out += "<meta name=\"description\" content=\"\(Markup.escape(d))\">\n" }
        out += """
        <meta name="generator" content="nbrun">
        <link rel="stylesheet" href="_static/nbrun.css">
        <link rel="stylesheet" href="_static/math.css">
        <script>try{var t=localStorage.getItem("nbrun-theme");if(t)document.documentElement.dataset.theme=t}catch(e){}</script>
        <script src="_static/nbrun.js" defer></script>
        </head>
        <body>
        <a class="skip-link" href="#content">Skip to the text</a>
        <header class="topbar">
        <button class="menu-toggle" type="button" aria-controls="sidebar" aria-expanded="false" aria-label="Show the chapters"><span aria-hidden="true">☰</span></button>
        <a class="site-title" href="index.html">\(Markup.escape(project.title))</a>
        <div class="search" role="search">
        <input type="search" id="search-input" placeholder="Search" aria-label="Search the course" autocomplete="off">
        <div id="search-results" class="search-results" hidden></div>
        </div>
        <button class="theme-toggle" type="button" aria-label="Switch between light and dark theme"><span aria-hidden="true">◐</span></button>

        """
        if let repo = project.repository {
            out += "<a class=\"repository\" href=\"\(Markup.escape(repo))\">Source</a>\n"
        }
        out += "</header>\n<div class=\"layout\">\n" + sidebar()
        out += "<main id=\"content\">\n<article class=\"page\">\n\(body)</article>\n\(prevNext())</main>\n"
        out += pageContents()
        out += "</div>\n<footer class=\"footer\">\n<p>"
        if !project.authors.isEmpty { out += "By " + Markup.escape(project.authors.joined(separator: ", ")) + ". " }
        out += "Built with nbrun from executable Swift chapters.</p>\n</footer>\n</body>\n</html>\n"
        return out
    }

    func sidebar() -> String {
        var out = "<nav class=\"sidebar\" id=\"sidebar\" aria-label=\"Chapters\">\n<ul>\n"
        for (i, link) in pages.enumerated() {
            if let part = link.part { out += "</ul>\n<p class=\"part-title\">\(Markup.escape(part))</p>\n<ul>\n" }
            let current = i == self.current ? " aria-current=\"page\"" : ""
            let number = link.chapter.map { "<span class=\"chapter-number\">\($0).</span> " } ?? ""
            out += "<li><a href=\"\(link.page)\"\(current)>\(number)\(Markup.escape(link.title))</a></li>\n"
        }
        return out.replacingOccurrences(of: "<ul>\n</ul>\n", with: "") + "</ul>\n</nav>\n"
    }

    func prevNext() -> String {
        var out = "<nav class=\"prev-next\" aria-label=\"Previous and next page\">\n"
        if current > 0 {
            let p = pages[current - 1]
            out += "<a class=\"prev\" href=\"\(p.page)\" rel=\"prev\"><span class=\"direction\">Previous</span> \(Markup.escape(p.title))</a>\n"
        }
        if current + 1 < pages.count {
            let n = pages[current + 1]
            out += "<a class=\"next\" href=\"\(n.page)\" rel=\"next\"><span class=\"direction\">Next</span> \(Markup.escape(n.title))</a>\n"
        }
        return out + "</nav>\n"
    }

    func pageContents() -> String {
        let entries = outline.filter { $0.level == 2 || $0.level == 3 }
        guard entries.count > 1 else { return "" }
        var out = "<nav class=\"page-toc\" aria-label=\"On this page\">\n<p class=\"page-toc-title\">On this page</p>\n<ul>\n"
        for h in entries {
            let number = h.number.map { "<span class=\"section-number\">\($0)</span> " } ?? ""
            out += "<li class=\"level-\(h.level)\"><a href=\"#\(h.id)\">\(number)\(Markup.escape(h.text))</a></li>\n"
        }
        return out + "</ul>\n</nav>\n"
    }
}
