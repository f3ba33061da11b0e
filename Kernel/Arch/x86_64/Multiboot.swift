/// Reads the multiboot (version 1) information structure that QEMU's
/// `-kernel` and GRUB's `multiboot` command hand over in EBX.
/// Layout: Multiboot Specification 0.6.96, section 3.3.
///
/// The loader is trusted to place it, but not to be tidy: every count is
/// capped and every string is bounded.
enum Multiboot {
    static let bootloaderMagic: UInt32 = 0x2BADB002

    private static let flagCommandLine: UInt32 = 1 << 2
    private static let flagModules: UInt32 = 1 << 3
    private static let flagMemoryMap: UInt32 = 1 << 6
    private static let flagLoaderName: UInt32 = 1 << 9

    private static let maximumModules = 64
    private static let maximumMemoryMapEntries = 256
    private static let maximumStringLength = 4096

    static func read(magic: UInt32, infoAddress: UInt64) -> BootInformation? {
        guard magic == bootloaderMagic, infoAddress != 0 else { return nil }
        var boot = BootInformation()
        let flags: UInt32 = load(infoAddress, 0)

        if flags & flagCommandLine != 0 {
            boot.commandLine = cString(at: UInt64(load(infoAddress, 16) as UInt32))
        }
        if flags & flagModules != 0 {
            boot.modules = modules(count: load(infoAddress, 20), at: load(infoAddress, 24))
        }
        if flags & flagMemoryMap != 0 {
            boot.memoryMap = memoryMap(length: load(infoAddress, 44), at: load(infoAddress, 48))
        }
        if flags & flagLoaderName != 0 {
            let name = cString(at: UInt64(load(infoAddress, 64) as UInt32))
            boot.loaderName = String(decoding: name, as: UTF8.self)
        }
        return boot
    }

    /// Each module entry: start, end (exclusive), string address, reserved.
    private static func modules(count: UInt32, at address: UInt32) -> [BootModule] {
        var modules: [BootModule] = []
        for index in 0..<min(Int(count), maximumModules) {
            let entry = UInt64(address) + UInt64(index * 16)
            let start = UInt64(load(entry, 0) as UInt32)
            let end = UInt64(load(entry, 4) as UInt32)
            let text = cString(at: UInt64(load(entry, 8) as UInt32))
            guard end >= start else { continue }
            modules.append(BootModule(range: MemoryRange(start: start, end: end),
                                      commandLine: String(decoding: text, as: UTF8.self)))
        }
        return modules
    }

    /// Each entry: size (of the rest of the entry), base, length, type. The
    /// size field comes first and does not count itself.
    private static func memoryMap(length: UInt32, at address: UInt32) -> [MemoryRegion] {
        var regions: [MemoryRegion] = []
        var offset: UInt64 = 0
        while offset + 24 <= UInt64(length) && regions.count < maximumMemoryMapEntries {
            let entry = UInt64(address) + offset
            let size = UInt64(load(entry, 0) as UInt32)
            let base: UInt64 = load(entry, 4)
            let bytes: UInt64 = load(entry, 12)
            let type: UInt32 = load(entry, 20)
            let (end, overflow) = base.addingReportingOverflow(bytes)
            regions.append(MemoryRegion(range: MemoryRange(start: base, end: overflow ? UInt64.max : end),
                                        kind: MemoryRegionKind(multibootType: type)))
            guard size >= 20 else { break }
            offset += size + 4
        }
        return regions
    }

    private static func cString(at address: UInt64) -> [UInt8] {
        guard address != 0 else { return [] }
        var bytes: [UInt8] = []
        var pointer = UnsafePointer<UInt8>(bitPattern: UInt(address))!
        while pointer.pointee != 0 && bytes.count < maximumStringLength {
            bytes.append(pointer.pointee)
            pointer += 1
        }
        return bytes
    }

    /// An unaligned load from identity-mapped physical memory.
    private static func load<T: FixedWidthInteger>(_ base: UInt64, _ offset: UInt64) -> T {
        UnsafeRawPointer(bitPattern: UInt(base + offset))!.loadUnaligned(as: T.self)
    }
}
