import Foundation

/// The site's stylesheets, script and math font, shipped with nbrun as
/// package resources (`Sources/Publishing/Assets`) and copied to `_static/`.
public enum SiteAssets {
    /// Every asset by its path under `_static/`, read once.
    public static func files() -> [String: Data] { cached }

    private static let cached: [String: Data] = {
        guard let root = Bundle.module.url(forResource: "Assets", withExtension: nil) else { return [:] }
        var files: [String: Data] = [:]
        let base = root.resolvingSymlinksInPath().path
        guard let walker = FileManager.default.enumerator(atPath: base) else { return [:] }
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") || name == "README.md" { continue }
            var isDirectory: ObjCBool = false
            let path = base + "/" + relative
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  let data = FileManager.default.contents(atPath: path) else { continue }
            files[relative] = data
        }
        return files
    }()
}
