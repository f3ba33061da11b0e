import Foundation

/// Finds the project: the nearest folder, from a start folder upward, holding Package.swift.
public enum ProjectRoot {
    public static let markerFile = "Package.swift"

    /// - Parameter start: a folder or a file inside the project (a test passes #filePath).
    public static func find(startingAt start: URL) throws -> URL {
        var folder = start.standardizedFileURL
        if !isDirectory(folder) {
            folder = folder.deletingLastPathComponent()
        }
        while true {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(markerFile).path) {
                return folder
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path {
                throw XToolError.projectRootNotFound(searchedFrom: start.path)
            }
            folder = parent
        }
    }

    /// From the current working directory.
    public static func findFromCurrentDirectory() throws -> URL {
        try find(startingAt: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true))
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) && isFolder.boolValue
    }
}
