import Foundation

/// `xtool boot`: build if needed, pick the machine, boot, stream the console,
/// decide the status. Used by the command line and by the boot tests alike.
public enum BootRunner {
    /// The line printed for --icount.
    public static let icountLine = "icount: QEMU runs with -icount shift=0: the guest TSC advances one tick per instruction"

    public static func run(_ request: BootRequest) throws -> BootResult {
        let root = try request.projectRoot ?? ProjectRoot.findFromCurrentDirectory()
        return try ProjectLock.shared.withLock(root: root, reporter: request.reporter) {
            try run(request, root: root)
        }
    }

    private static func run(_ request: BootRequest, root: URL) throws -> BootResult {
        let reporter = request.reporter
        if let problem = BootRequest.memoryProblem(request.memoryMB) {
            throw XToolError.invalidRequest(problem)
        }
        let facts = request.machine == .auto && !request.icount ? HostFacts.read() : .notProbed
        let choice = MachineSelector.choose(request.machine, facts: facts, needsTCG: request.icount)
        if let problem = BootRequest.icountProblem(icount: request.icount, machine: choice.machine) {
            throw XToolError.invalidRequest(problem)
        }
        reporter.line(choice.line)
        if request.icount {
            reporter.line(icountLine)
        }

        let images = try ImageBuilder.build(root: root, reporter: reporter)
        // After the build: a config may name an image the build just made.
        try DomainConfigLoader.checkKernelFiles(request.domains)
        try DomainConfigLoader.checkDiskFiles(request.domains)
        let disks = try ATADiskLayout(domains: request.domains, machine: choice.machine)
        if let manifest = request.manifest(on: choice.machine) {
            try writeManifest(manifest, root: root, reporter: reporter)
        }
        var modules = request.modules(root: root)
        try BootModule.checkFiles(modules)
        modules = try modules.map { try KernelUnpacker.prepare($0, root: root, reporter: reporter) }

        let setup = HostSetup(reporter: reporter, mayInstall: request.mayInstallPackages)
        let timeout = request.timeout ?? choice.machine.defaultTimeout
        var result: BootResult
        switch choice.machine {
        case .qemu, .kvm, .auto:
            try setup.ensure(HostRequirement.qemu)
            result = try QEMUBoot(
                root: root, kernel: images.hypervisor, modules: modules, request: request,
                useKVM: choice.machine == .kvm, disks: disks, timeout: timeout
            ).run()
        case .bochs:
            try setup.ensure(HostRequirement.bochs)
            result = try BochsBoot(root: root, kernel: images.hypervisor, modules: modules, request: request, disks: disks, timeout: timeout).run()
        }
        if let manifest = request.manifest(on: choice.machine) {
            result.requireDomainsBuilt(manifest)
        }
        for warning in result.warnings {
            reporter.line("xtool: warning: \(warning)")
        }
        return result
    }

    /// Writes build/manifest.txt, only when its text changed (its time stamp
    /// feeds the Bochs ISO's up-to-date check).
    private static func writeManifest(_ manifest: DomainManifest, root: URL, reporter: Reporter) throws {
        let file = root.appendingPathComponent(BootRequest.manifestPath)
        let text = manifest.text
        if (try? String(contentsOf: file, encoding: .utf8)) != text {
            try text.write(to: file, atomically: true, encoding: .utf8)
        }
        let count = manifest.domains.count
        reporter.line("manifest: \(BootRequest.manifestPath), \(count) domain\(count == 1 ? "" : "s"), \(manifest.files.count) file\(manifest.files.count == 1 ? "" : "s")")
    }
}
