import Foundation

/// Turns the source tree into build steps (it runs nothing).
///
/// Layout it expects (paths relative to the project root):
/// - hypervisor: *.S under Kernel/Arch, *.c under Kernel/Support, *.swift under
///   Kernel/Core, Kernel/Arch and Kernel/Main; linked with Linker/hypervisor.ld
///   into build/hypervisor.elf.
/// - guests: each folder Guests/<Name> except GuestKit, plus Guests/GuestKit
///   and the hypervisor files in BuildFlags.guestSharedSwiftSources;
///   linked with Linker/guest.ld into build/guests/<name>.elf.
public struct BuildPlanner: Sendable {
    public let root: URL
    public let toolchain: Toolchain

    public static let guestKitFolder = "GuestKit"
    /// The privileged guest, booted as the first module.
    public static let dom0Name = "dom0"

    public init(root: URL, toolchain: Toolchain) {
        self.root = root.standardizedFileURL
        self.toolchain = toolchain
    }

    public var buildFolder: URL { root.appendingPathComponent("build", isDirectory: true) }

    // MARK: hypervisor

    public func hypervisor() throws -> ImageRecipe {
        let kernel = root.appendingPathComponent("Kernel")
        let sources = SourceSet(
            assembly: SourceScanner.files(under: kernel.appendingPathComponent("Arch"), extensions: ["S"]),
            c: SourceScanner.files(under: kernel.appendingPathComponent("Support"), extensions: ["c"]),
            swift: ["Core", "Arch", "Main"].flatMap {
                SourceScanner.files(under: kernel.appendingPathComponent($0), extensions: ["swift"])
            }
        ).sorted()
        guard !sources.isEmpty else {
            throw XToolError.missingInput("no hypervisor sources under Kernel/ (Arch/*.S, Support/*.c, Core|Arch|Main/*.swift)")
        }
        return try recipe(
            name: "hypervisor.elf",
            moduleName: "Hypervisor",
            sources: sources,
            includes: BuildFlags.hypervisorIncludes,
            linkerScript: BuildFlags.hypervisorLinkerScript,
            objectFolder: buildFolder.appendingPathComponent("obj/kernel", isDirectory: true),
            output: buildFolder.appendingPathComponent("hypervisor.elf")
        )
    }

    // MARK: guests

    /// The guest folders: every folder under Guests/ except GuestKit, Dom0 first.
    public func guestFolders() -> [URL] {
        let folders = SourceScanner.subfolders(of: root.appendingPathComponent("Guests"))
            .filter { $0.lastPathComponent != Self.guestKitFolder }
        return Self.dom0First(folders) { $0.lastPathComponent }
    }

    /// One recipe per guest folder that holds any source, Dom0 first.
    public func guests() throws -> [ImageRecipe] {
        let guestKit = root.appendingPathComponent("Guests/\(Self.guestKitFolder)")
        var recipes: [ImageRecipe] = []
        for folder in guestFolders() {
            let own = SourceSet(in: folder)
            guard !own.isEmpty else { continue }
            let shared = SourceSet(assembly: [], c: [], swift: BuildFlags.guestSharedSwiftSources.map {
                root.appendingPathComponent($0)
            })
            let sources = own.adding(SourceSet(in: guestKit)).adding(shared)
            let name = folder.lastPathComponent.lowercased()
            recipes.append(try recipe(
                name: "\(name).elf",
                moduleName: folder.lastPathComponent,
                sources: sources,
                includes: BuildFlags.guestIncludes,
                linkerScript: BuildFlags.guestLinkerScript,
                objectFolder: buildFolder.appendingPathComponent("obj/guests/\(name)", isDirectory: true),
                output: buildFolder.appendingPathComponent("guests/\(name).elf")
            ))
        }
        return recipes
    }

    /// Sort by name, but put dom0 first: it is the privileged domain the
    /// hypervisor starts, and it receives the other modules.
    public static func dom0First<T>(_ items: [T], name: (T) -> String) -> [T] {
        let sorted = items.sorted { name($0) < name($1) }
        var first: [T] = []
        var rest: [T] = []
        for item in sorted {
            // "Dom0" (a folder) and "dom0.elf" (an image) both count.
            let stem = name(item).lowercased().split(separator: ".").first.map(String.init)
            if stem == dom0Name { first.append(item) } else { rest.append(item) }
        }
        return first + rest
    }

    // MARK: shared

    private func recipe(
        name: String, moduleName: String, sources: SourceSet, includes: [String],
        linkerScript: String, objectFolder: URL, output: URL
    ) throws -> ImageRecipe {
        let script = root.appendingPathComponent(linkerScript)
        guard FileManager.default.fileExists(atPath: script.path) else {
            throw XToolError.missingInput("\(linkerScript) is missing: it is needed to link \(name)")
        }
        let includeFolders = includes.filter { SourceScanner.folderExists(root.appendingPathComponent($0)) }
        let includeFlags = includeFolders.flatMap { ["-I", $0] }
        let headers = includeFolders.flatMap {
            SourceScanner.files(under: root.appendingPathComponent($0), extensions: BuildFlags.headerExtensions)
        }

        var names = ObjectNamer()
        var steps: [BuildStep] = []
        for file in sources.assembly + sources.c {
            let object = objectFolder.appendingPathComponent(names.name(for: relative(file)))
            let extra = file.pathExtension == "c" ? BuildFlags.clangC : []
            steps.append(BuildStep(
                summary: "compile \(relative(file))",
                tool: toolchain.clang,
                arguments: BuildFlags.clangCommon + extra + includeFlags + ["-c", relative(file), "-o", relative(object)],
                inputs: [file] + headers,
                output: object
            ))
        }
        if !sources.swift.isEmpty {
            let object = objectFolder.appendingPathComponent("swift.o")
            steps.append(BuildStep(
                summary: "compile \(moduleName) (\(sources.swift.count) Swift file\(sources.swift.count == 1 ? "" : "s"))",
                tool: toolchain.swiftc,
                arguments: BuildFlags.swiftc + ["-module-name", moduleName] + includeFlags
                    + ["-c"] + sources.swift.map(relative) + ["-o", relative(object)],
                inputs: sources.swift + headers,
                output: object
            ))
        }
        let objects = steps.map(\.output)
        let link = BuildStep(
            summary: "link \(relative(output))",
            tool: toolchain.lld,
            arguments: BuildFlags.linker + ["-T", linkerScript, "-o", relative(output)] + objects.map(relative),
            inputs: objects + [script],
            output: output
        )
        return ImageRecipe(name: name, compileSteps: steps, linkStep: link)
    }

    /// A path relative to the project root (tools run there, so messages stay short).
    public func relative(_ url: URL) -> String {
        let path = url.standardizedFileURL.path
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }
}
