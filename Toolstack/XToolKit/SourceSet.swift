import Foundation

/// The three kinds of source an image is made of.
struct SourceSet: Sendable {
    var assembly: [URL]
    var c: [URL]
    var swift: [URL]

    init(assembly: [URL], c: [URL], swift: [URL]) {
        self.assembly = assembly
        self.c = c
        self.swift = swift
    }

    /// Everything in one folder tree (used for guests).
    init(in folder: URL) {
        self.init(
            assembly: SourceScanner.files(under: folder, extensions: ["S"]),
            c: SourceScanner.files(under: folder, extensions: ["c"]),
            swift: SourceScanner.files(under: folder, extensions: ["swift"])
        )
    }

    var isEmpty: Bool { assembly.isEmpty && c.isEmpty && swift.isEmpty }

    func adding(_ other: SourceSet) -> SourceSet {
        SourceSet(assembly: assembly + other.assembly, c: c + other.c, swift: swift + other.swift).sorted()
    }

    /// Every list sorted by path, so the command lines never depend on scan order.
    func sorted() -> SourceSet {
        let byPath = { (a: URL, b: URL) in a.path < b.path }
        return SourceSet(assembly: assembly.sorted(by: byPath), c: c.sorted(by: byPath), swift: swift.sorted(by: byPath))
    }
}
