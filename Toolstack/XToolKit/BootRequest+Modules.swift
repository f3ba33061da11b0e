import Foundation

extension BootRequest {
    /// Where xtool writes the manifest module, relative to the project root.
    public static let manifestPath = "build/manifest.txt"

    /// The multiboot modules, in order: dom0; with domain configs, the
    /// manifest and each distinct kernel; then the extra modules.
    public func modules(root: URL) -> [BootModule] {
        var modules = [dom0 ?? BootModule(file: root.appendingPathComponent(Self.defaultDom0))]
        if let manifest {
            modules += manifest.modules(manifestFile: root.appendingPathComponent(Self.manifestPath))
        }
        return modules + extraModules
    }

    /// The manifest for the domain configs; nil when there are none. Its
    /// disk positions are QEMU's: see `manifest(on:)`.
    public var manifest: DomainManifest? {
        manifest(on: .qemu)
    }

    /// The manifest with the disk positions of `machine`.
    public func manifest(on machine: Machine) -> DomainManifest? {
        domains.isEmpty ? nil : DomainManifest(domains: domains, firstDiskPosition: ATADiskLayout.firstPosition(on: machine))
    }
}
