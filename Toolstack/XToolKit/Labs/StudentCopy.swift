import Foundation

/// Writes a student's copy of the project: every file of the tree, with the
/// marked regions of lab N and of the later labs replaced by their stubs
/// (LabMarkers), and the lab's text as LAB.md at the top.
///
/// A file is written only when its bytes differ from what the destination
/// holds, and files the tree no longer has are removed: so a copy made again
/// into the same folder keeps the modification times of what did not
/// change, and a build there (or with the same scratch path) recompiles only
/// the files whose stubs changed. That is what keeps CI's check of every
/// lab affordable (LabTests).
public struct StudentCopy {
    /// Not copied: build products, version control, editor droppings.
    /// `build/` holds downloads and images, which the checks do not need.
    public static let excludedTopLevel: Set<String> = [".git", ".build", "build", ".swiftpm"]
    /// Files whose markers are processed; the rest are copied byte for byte.
    public static let markedExtensions: Set<String> = ["swift", "c", "h"]

    public var root: URL
    public init(root: URL) { self.root = root }

    /// Every marked region of the tree, by file (relative path): the check
    /// that the markers are well formed, and what `xtool lab list` counts.
    public func regions() throws -> [String: [LabRegion]] {
        var result: [String: [LabRegion]] = [:]
        for path in try files() where Self.isMarked(path) {
            let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
            let found = try LabMarkers.parse(text, file: path, knownLabs: LabCatalog.knownLabs)
            if !found.isEmpty { result[path] = found }
        }
        return result
    }

    /// - Parameter lab: the lab handed out; nil copies the full tree, stubbing nothing.
    /// - Returns: how many files had a region replaced.
    @discardableResult
    public func write(to destination: URL, lab: Lab?) throws -> Int {
        let fileManager = FileManager.default
        try fileManager.createDirectory(at: destination, withIntermediateDirectories: true)
        let sources = try files()
        var stubbedFiles = 0
        var written: Set<String> = []
        for path in sources {
            var data = try Data(contentsOf: root.appendingPathComponent(path))
            if Self.isMarked(path), let text = String(data: data, encoding: .utf8) {
                let student = try LabMarkers.studentText(of: text, file: path, firstStubbedLab: lab?.number,
                                                         knownLabs: LabCatalog.knownLabs)
                if student != text { stubbedFiles += 1 }
                data = Data(student.utf8)
            }
            try Self.writeIfChanged(data, to: destination.appendingPathComponent(path))
            try Self.copyPermissions(from: root.appendingPathComponent(path), to: destination.appendingPathComponent(path))
            written.insert(path)
        }
        var labText = Data()
        if let lab {
            labText = try Data(contentsOf: root.appendingPathComponent(lab.textFile))
            labText = Data("<!-- The student copy of lab \(lab.number): labs \(lab.number) to \(LabCatalog.labs.count) are stubs here. Check with: swift run xtool lab check \(lab.number) -->\n\n".utf8) + labText
            try Self.writeIfChanged(labText, to: destination.appendingPathComponent("LAB.md"))
            written.insert("LAB.md")
        }
        for path in try StudentCopy(root: destination).files() where !written.contains(path) {
            try fileManager.removeItem(at: destination.appendingPathComponent(path))
        }
        return stubbedFiles
    }

    /// The tree's regular files, relative to the root, sorted.
    func files() throws -> [String] {
        let fileManager = FileManager.default
        var result: [String] = []
        var folders = [""]
        while let folder = folders.popLast() {
            let url = folder.isEmpty ? root : root.appendingPathComponent(folder)
            for name in try fileManager.contentsOfDirectory(atPath: url.path) {
                if folder.isEmpty, Self.excludedTopLevel.contains(name) || name.hasPrefix(".build") { continue }
                if name.hasSuffix(".swp") { continue }
                let path = folder.isEmpty ? name : folder + "/" + name
                let values = try root.appendingPathComponent(path).resourceValues(forKeys: [.isDirectoryKey, .isRegularFileKey, .isSymbolicLinkKey])
                if values.isSymbolicLink == true { continue }
                if values.isDirectory == true {
                    folders.append(path)
                } else if values.isRegularFile == true {
                    result.append(path)
                }
            }
        }
        return result.sorted()
    }

    static func isMarked(_ path: String) -> Bool {
        markedExtensions.contains((path as NSString).pathExtension)
    }

    /// Keeps scripts executable (.ci/run).
    static func copyPermissions(from source: URL, to destination: URL) throws {
        let fileManager = FileManager.default
        let wanted = try fileManager.attributesOfItem(atPath: source.path)[.posixPermissions]
        let have = try fileManager.attributesOfItem(atPath: destination.path)[.posixPermissions]
        if let wanted, (wanted as? NSNumber) != (have as? NSNumber) {
            try fileManager.setAttributes([.posixPermissions: wanted], ofItemAtPath: destination.path)
        }
    }

    static func writeIfChanged(_ data: Data, to url: URL) throws {
        if let old = try? Data(contentsOf: url), old == data { return }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }
}
