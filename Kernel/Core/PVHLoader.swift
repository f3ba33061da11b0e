import XenPublic

/// Puts a PVH kernel into a domain's memory the way the PVH boot protocol
/// describes: the ELF segments at their physical addresses, then one page
/// with the `hvm_start_info` (and the command line, the memory map and the
/// module list it points to), then the modules, each page-aligned.
///
/// Guest-physical layout, low to high:
///
///     0 ......... RAM, the image's segments at their p_paddr
///     image end   start-info page: hvm_start_info | memmap | modlist | strings
///     +4 KiB      with `processorCount`: one page of ACPI tables (ACPITables),
///                 marked ACPI in the memory map, rsdp_paddr pointing at it
///     next page   module 0, module 1, ... (page-aligned)
///     ...         free RAM up to the domain's size
///
/// The ACPI page sits in the middle of RAM, not at its end, so the RAM's
/// end is still the memory's end: a guest that looks for the top of its
/// RAM finds the last page it has (the memory map has three entries then:
/// RAM, ACPI, RAM).
struct PVHLoader {
    struct Module {
        var bytes: UnsafeRawBufferPointer
        var commandLine: [UInt8]
    }

    struct Layout {
        var entryPoint: UInt32
        var startInfoAddress: UInt64
        var imageRange: MemoryRange
        var modulesEnd: UInt64
        /// The page of ACPI tables, when the loader wrote one.
        var acpiTables: MemoryRange?
    }

    static let maximumCommandLine = 1023
    static let maximumModules = 16

    // Offsets inside the start-info page.
    private static let memoryMapOffset: UInt64 = 64
    private static let moduleListOffset: UInt64 = 256
    private static let commandLineOffset: UInt64 = 2048
    private static let moduleStringsOffset: UInt64 = 3072

    /// Loads `image` with `commandLine` and `modules` into `memory`, and
    /// with a `processorCount` ACPI tables describing that many vCPUs. Any
    /// problem is reported before the guest can run: nothing is half-built
    /// in a way that matters, since the caller discards the memory on error.
    static func load(image: ElfImage, file: UnsafeRawBufferPointer, into memory: DomainMemory,
                     commandLine: [UInt8], modules: [Module],
                     processorCount: Int? = nil) throws(LoadError) -> Layout {
        guard commandLine.count <= maximumCommandLine else { throw .commandLineTooLong(commandLine.count) }
        guard modules.count <= maximumModules else { throw .tooManyModules(modules.count) }
        let moduleStrings = modules.reduce(0) { $0 + $1.commandLine.count + 1 }
        guard moduleStrings <= 1024 else { throw .commandLineTooLong(moduleStrings) }

        for segment in image.segments {
            guard segment.end <= memory.byteCount else {
                throw .imageTooLarge(needed: segment.end, available: memory.byteCount)
            }
            guard memory.write(segment.bytes(in: file), at: segment.physicalAddress),
                  memory.zero(at: segment.physicalAddress + segment.fileSize,
                              count: segment.memorySize - segment.fileSize) else {
                throw .imageTooLarge(needed: segment.end, available: memory.byteCount)
            }
        }

        let startInfo = pageAlignedUp(image.highestAddress)
        var next = startInfo + 4096
        var acpiTables: ACPITables? = nil
        if let processorCount {
            acpiTables = ACPITables(base: next, processorCount: processorCount)
            next += 4096
        }
        // Dom0's RAM is not zeroed at boot (FramePool.allocateDomain0BootFrames):
        // the pages written below are, so what the guest reads past the
        // structs is zeros, not what the RAM held before.
        guard next <= memory.byteCount, memory.zero(at: startInfo, count: next - startInfo) else {
            throw .modulesTooLarge(needed: next, available: memory.byteCount)
        }
        var moduleEntries: [hvm_modlist_entry] = []
        var stringsAt = startInfo + moduleStringsOffset
        for module in modules {
            let size = UInt64(module.bytes.count)
            guard next + size <= memory.byteCount, memory.write(module.bytes, at: next) else {
                throw .modulesTooLarge(needed: next + size, available: memory.byteCount)
            }
            _ = memory.write(module.commandLine + [0], at: stringsAt)
            moduleEntries.append(hvm_modlist_entry(paddr: next, size: size, cmdline_paddr: stringsAt, reserved: 0))
            stringsAt += UInt64(module.commandLine.count + 1)
            next = pageAlignedUp(next + size)
        }
        guard next <= memory.byteCount else { throw .modulesTooLarge(needed: next, available: memory.byteCount) }

        let acpiPage = acpiTables.map { MemoryRange(start: $0.base, length: 4096) }
        if let acpiTables { _ = memory.write(acpiTables.bytes(), at: acpiTables.base) }

        // The memory map: the domain's RAM, less the ACPI page (at most
        // three entries, room for eight).
        let memoryMap = DomainMemoryMap(ramEnd: memory.byteCount, acpiTables: acpiPage).startInfoEntries
        for (index, var entry) in memoryMap.enumerated() {
            _ = withUnsafeBytes(of: &entry) {
                memory.write($0, at: startInfo + memoryMapOffset + UInt64(index * MemoryLayout<hvm_memmap_table_entry>.stride))
            }
        }
        for (index, var entry) in moduleEntries.enumerated() {
            _ = withUnsafeBytes(of: &entry) {
                memory.write($0, at: startInfo + moduleListOffset + UInt64(index * 32))
            }
        }
        _ = memory.write(commandLine + [0], at: startInfo + commandLineOffset)

        var info = hvm_start_info()
        info.magic = UInt32(XEN_HVM_START_MAGIC_VALUE)
        info.version = 1
        info.flags = 0
        info.nr_modules = UInt32(modules.count)
        info.modlist_paddr = modules.isEmpty ? 0 : startInfo + moduleListOffset
        info.cmdline_paddr = startInfo + commandLineOffset
        info.rsdp_paddr = acpiTables?.rsdpAddress ?? 0
        info.memmap_paddr = startInfo + memoryMapOffset
        info.memmap_entries = UInt32(memoryMap.count)
        _ = withUnsafeBytes(of: &info) { memory.write($0, at: startInfo) }

        return Layout(entryPoint: image.entryPoint, startInfoAddress: startInfo,
                      imageRange: MemoryRange(start: image.lowestAddress, end: image.highestAddress),
                      modulesEnd: next, acpiTables: acpiPage)
    }

    /// Marks the start info as the privileged, initial domain's (dom0).
    static func markPrivileged(startInfo: UInt64, in memory: DomainMemory) {
        var flags = UInt32(SIF_PRIVILEGED | SIF_INITDOMAIN)
        _ = withUnsafeBytes(of: &flags) { memory.write($0, at: startInfo + 8) }
    }

    static func pageAlignedUp(_ address: UInt64) -> UInt64 { (address + 4095) & ~4095 }

    enum LoadError: Error, Equatable {
        case imageTooLarge(needed: UInt64, available: UInt64)
        case modulesTooLarge(needed: UInt64, available: UInt64)
        case commandLineTooLong(Int)
        case tooManyModules(Int)

        var message: String {
            switch self {
            case .imageTooLarge(let needed, let available):
                "the image needs memory up to \(hex(needed)), the domain has \(byteCount(available))"
            case .modulesTooLarge(let needed, let available):
                "the image and its modules need \(byteCount(needed)), the domain has \(byteCount(available))"
            case .commandLineTooLong(let count): "command line of \(count) bytes is too long"
            case .tooManyModules(let count): "\(count) modules (at most \(PVHLoader.maximumModules))"
            }
        }
    }
}
