import Foundation

/// `xtool boot`: build if needed, pick the machine, boot, stream the console,
/// decide the status. Used by the command line and by the boot tests alike.
public enum BootRunner {
    public static func run(_ request: BootRequest) throws -> BootResult {
        let root = try request.projectRoot ?? ProjectRoot.findFromCurrentDirectory()
        return try ProjectLock.shared.withLock(root: root, reporter: request.reporter) {
            try run(request, root: root)
        }
    }

    private static func run(_ request: BootRequest, root: URL) throws -> BootResult {
        var request = request

        let choice = MachineSelector.choose(request.machine, facts: request.machine == .auto ? HostFacts.read() : .notProbed)
        request.reporter.line(choice.line)

        let images = try ImageBuilder.build(root: root, reporter: request.reporter)
        let modules = request.modules ?? images.guests.map { BootModule(file: $0) }
        for module in modules where !FileManager.default.fileExists(atPath: module.file.path) {
            throw XToolError.moduleNotFound(module.file.path)
        }
        request.modules = modules

        let setup = HostSetup(reporter: request.reporter, mayInstall: request.mayInstallPackages)
        let timeout = request.timeout ?? choice.machine.defaultTimeout
        let result: BootResult
        switch choice.machine {
        case .qemu, .kvm, .auto:
            try setup.ensure(HostRequirement.qemu)
            result = try QEMUBoot(root: root, kernel: images.hypervisor, request: request, useKVM: choice.machine == .kvm, timeout: timeout).run()
        case .bochs:
            try setup.ensure(HostRequirement.bochs)
            result = try BochsBoot(root: root, kernel: images.hypervisor, request: request, timeout: timeout).run()
        }
        for warning in result.warnings {
            request.reporter.line("xtool: warning: \(warning)")
        }
        return result
    }
}
