/// Why dom0 could not build a domain from its manifest line. Whatever had
/// been created for it is destroyed again before this is reported.
enum BuildError: Error {
    case noSuchModule(Int, moduleCount: Int)
    case manifestIsNoKernel
    case noSuchRamdiskModule(Int, moduleCount: Int)
    case manifestIsNoRamdisk
    case badImage(module: Int, ElfError)
    case doesNotFit(needed: UInt64, available: UInt64)
    case commandLineTooLong(Int)
    case notEnoughMemory(neededPages: UInt64, freePages: UInt64)
    case hypercall(StaticString, HypercallFailure)
    case populatedTooFew(done: UInt64, wanted: UInt64)
    /// A service of dom0's (the store) refused the domain: its error name.
    case service(StaticString, String)
    /// A disk the manifest names cannot be given to the domain.
    case disk(String)

    var message: String {
        switch self {
        case .noSuchModule(let index, let count):
            "kernel=\(index): there is no boot module \(index) (there are \(count))"
        case .manifestIsNoKernel:
            "kernel=0 is the manifest, not a kernel"
        case .noSuchRamdiskModule(let index, let count):
            "ramdisk=\(index): there is no boot module \(index) (there are \(count))"
        case .manifestIsNoRamdisk:
            "ramdisk=0 is the manifest, not a ramdisk"
        case .badImage(let module, let error):
            "module \(module): \(error.message)"
        case .doesNotFit(let needed, let available):
            "the image, its start info, ACPI tables and ramdisk need \(kibibytes(needed)) KiB, the domain has \(kibibytes(available)) KiB"
        case .commandLineTooLong(let count):
            "the command line has \(count) bytes, at most \(StartInfoPage.maximumCommandLine) fit"
        case .notEnoughMemory(let needed, let free):
            "not enough free memory: needs about \(needed) pages, \(free) are free"
        case .hypercall(let step, let error):
            "\(step) failed: \(error.name) (\(error.result))"
        case .populatedTooFew(let done, let wanted):
            "populate_physmap gave \(done) of \(wanted) pages"
        case .service(let step, let error):
            "\(step) failed: \(error)"
        case .disk(let problem):
            "disk: \(problem)"
        }
    }

    private func kibibytes(_ bytes: UInt64) -> UInt64 { (bytes + 1023) / 1024 }
}
