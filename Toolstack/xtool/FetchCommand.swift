import ArgumentParser
import XToolKit

/// `xtool fetch linux`, `xtool fetch busybox`
struct FetchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Download a third-party guest kernel or program into build/third-party/ and print its path.",
        discussion: """
        linux: Debian's current amd64 kernel (the package linux-image-amd64 depends on), \
        a Xen PVH kernel built elsewhere. Boot it as dom0 with \
        --dom0 "PATH earlyprintk=xen console=hvc0" and --cmdline "dom0_mem=160M". \
        busybox: Debian's busybox-static, for `xtool initramfs`. A file that is there already is kept.
        """
    )

    enum Download: String, ExpressibleByArgument, CaseIterable {
        case linux
        case busybox
    }

    @Argument(help: "What to fetch.")
    var download: Download

    func run() throws {
        try ExitCodes.translatingErrors {
            let root = try ProjectRoot.findFromCurrentDirectory()
            let file = switch download {
            case .linux: try DebianKernel.fetch(root: root, reporter: .standardError)
            case .busybox: try DebianBusybox.fetch(root: root, reporter: .standardError)
            }
            Reporter.standardOutput.line(file.path)
        }
    }
}
