import ArgumentParser
import XToolKit

/// `xtool fetch linux`
struct FetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download a third-party guest kernel into build/third-party/ and print its path.",
        discussion: """
        linux: Debian's current amd64 kernel (the package linux-image-amd64 depends on), \
        a Xen PVH kernel built elsewhere. Boot it as dom0 with \
        --dom0 "PATH earlyprintk=xen console=hvc0" and --cmdline "dom0_mem=160M".
        """
    )

    enum Kernel: String, ExpressibleByArgument, CaseIterable {
        case linux
    }

    @Argument(help: "What to fetch.")
    var kernel: Kernel

    func run() throws {
        try ExitCodes.translatingErrors {
            let root = try ProjectRoot.findFromCurrentDirectory()
            let image = try DebianKernel.fetch(root: root, reporter: .standardError)
            Reporter.standardOutput.line(image.path)
        }
    }
}
