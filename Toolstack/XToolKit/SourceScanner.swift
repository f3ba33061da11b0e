import Foundation

/// Lists source files in a folder tree, in a stable order so command lines
/// (and therefore the incremental-build records) do not change between runs.
public enum SourceScanner {
    /// Files under `folder` (recursively) whose names end in one of `extensions`
    /// (given without the dot), sorted by path. A missing folder gives no files.
    public static func files(under folder: URL, extensions: [String]) -> [URL] {
        guard let walker = FileManager.default.enumerator(
            at: folder, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]
        ) else { return [] }
        var found: [URL] = []
        for case let url as URL in walker {
            let isFile = (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile ?? false
            if isFile && extensions.contains(where: { url.lastPathComponent.hasSuffix("." + $0) }) {
                found.append(url.standardizedFileURL)
            }
        }
        return found.sorted { $0.path < $1.path }
    }

    /// Immediate subfolders of `folder`, sorted by name.
    public static func subfolders(of folder: URL) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.sorted().compactMap { name in
            var isFolder: ObjCBool = false
            let url = folder.appendingPathComponent(name, isDirectory: true)
            let exists = FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder)
            return exists && isFolder.boolValue && !name.hasPrefix(".") ? url : nil
        }
    }

    /// Whether a folder exists.
    public static func folderExists(_ folder: URL) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder) && isFolder.boolValue
    }
}
