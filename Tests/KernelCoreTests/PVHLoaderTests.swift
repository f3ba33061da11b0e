import XCTest
import XenPublic
@testable import KernelCore

final class PVHLoaderTests: XCTestCase {
    private var fake: FakePhysicalMemory!
    private var memory: DomainMemory!

    override func setUp() {
        fake = FakePhysicalMemory(frames: 300)
        memory = try! DomainMemory(bytes: 1 << 20, format: .npt, frames: FrameReferences(fake))
    }

    override func tearDown() {
        memory.release()
        XCTAssertEqual(fake.allocatedFrames, 0)
    }

    /// Text at 0x10000 (0x1800 file bytes, 0x3000 in memory: a .bss that
    /// crosses a page) and data at 0x20000; the entry in the text.
    private func kernel(is64Bit: Bool = true) -> (TestElfWriter, [UInt8]) {
        var writer = TestElfWriter(is64Bit: is64Bit)
        writer.addLoad(at: 0x1_0000, bytes: TestElfWriter.pattern(0x1800, seed: 3), memorySize: 0x3000)
        writer.addPhys32EntryNote(0x1_0020)
        writer.addLoad(at: 0x2_0000, bytes: TestElfWriter.pattern(0x10, seed: 9), memorySize: 0x10)
        return (writer, writer.build())
    }

    private func load(_ file: [UInt8], commandLine: String = "console=hvc0", modules: [([UInt8], String)] = [],
                      processorCount: Int? = nil) -> Result<PVHLoader.Layout, PVHLoader.LoadError> {
        guard case .success(let image) = parseElf(file) else {
            XCTFail("the test image must parse")
            return .failure(.tooManyModules(-1))
        }
        var buffers: [UnsafeMutableRawBufferPointer] = []
        defer { buffers.forEach { $0.deallocate() } }
        var loaderModules: [PVHLoader.Module] = []
        for (bytes, line) in modules {
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 8)
            buffer.copyBytes(from: bytes)
            buffers.append(buffer)
            loaderModules.append(PVHLoader.Module(bytes: UnsafeRawBufferPointer(buffer), commandLine: Array(line.utf8)))
        }
        return file.withUnsafeBytes { fileBytes in
            do throws(PVHLoader.LoadError) {
                return .success(try PVHLoader.load(image: image, file: fileBytes, into: memory,
                                                   commandLine: Array(commandLine.utf8), modules: loaderModules,
                                                   processorCount: processorCount))
            } catch {
                return .failure(error)
            }
        }
    }

    private func string(at guestPhysical: UInt64) -> String {
        var bytes: [UInt8] = []
        var address = guestPhysical
        while let byte = memory.bytes(at: address, count: 1).first, byte != 0, bytes.count < 4096 {
            bytes.append(byte)
            address += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    func testStartInfoWithoutModules() throws {
        let (_, file) = kernel()
        let layout = try load(file, commandLine: "console=hvc0 loglevel=8").get()
        XCTAssertEqual(layout.entryPoint, 0x1_0020)
        XCTAssertEqual(layout.startInfoAddress, 0x2_1000)
        XCTAssertEqual(layout.imageRange, MemoryRange(start: 0x1_0000, end: 0x2_0010))
        XCTAssertEqual(layout.modulesEnd, 0x2_2000)
        XCTAssertNil(layout.acpiTables)

        let info = memory.load(hvm_start_info.self, at: layout.startInfoAddress)
        XCTAssertEqual(info.magic, UInt32(XEN_HVM_START_MAGIC_VALUE))
        XCTAssertEqual(info.magic, 0x336E_C578)
        XCTAssertEqual(info.version, 1)
        XCTAssertEqual(info.flags, 0)
        XCTAssertEqual(info.nr_modules, 0)
        XCTAssertEqual(info.modlist_paddr, 0)
        XCTAssertEqual(info.rsdp_paddr, 0)
        XCTAssertEqual(string(at: info.cmdline_paddr), "console=hvc0 loglevel=8")
        XCTAssertEqual(info.memmap_entries, 1)
        let ram = memory.load(hvm_memmap_table_entry.self, at: info.memmap_paddr)
        XCTAssertEqual(ram.addr, 0)
        XCTAssertEqual(ram.size, 1 << 20)
        XCTAssertEqual(ram.type, UInt32(XEN_HVM_MEMMAP_TYPE_RAM))
        XCTAssertEqual(ram.reserved, 0)
    }

    /// With ACPI tables: one page after the start info, before the
    /// modules, cut out of the RAM in the memory map as ACPI, and
    /// rsdp_paddr at its start.
    func testACPITablesGetAPageOfTheirOwn() throws {
        let (_, file) = kernel()
        let layout = try load(file, modules: [([7, 7, 7], "m")], processorCount: 1).get()
        XCTAssertEqual(layout.startInfoAddress, 0x2_1000)
        XCTAssertEqual(layout.acpiTables, MemoryRange(start: 0x2_2000, end: 0x2_3000))
        XCTAssertEqual(layout.modulesEnd, 0x2_4000)

        let info = memory.load(hvm_start_info.self, at: layout.startInfoAddress)
        XCTAssertEqual(info.rsdp_paddr, 0x2_2000)
        let module = memory.load(hvm_modlist_entry.self, at: info.modlist_paddr)
        XCTAssertEqual(module.paddr, 0x2_3000, "the module after the ACPI page")
        XCTAssertEqual(memory.bytes(at: 0x2_3000, count: 3), [7, 7, 7])

        XCTAssertEqual(info.memmap_entries, 3)
        let map = (0..<3).map {
            memory.load(hvm_memmap_table_entry.self, at: info.memmap_paddr + UInt64($0 * 24))
        }
        XCTAssertEqual(map.map(\.addr), [0, 0x2_2000, 0x2_3000])
        XCTAssertEqual(map.map(\.size), [0x2_2000, 0x1000, (1 << 20) - 0x2_3000])
        XCTAssertEqual(map.map(\.type), [1, 3, 1], "RAM, ACPI, RAM")
        XCTAssertEqual(map.map(\.reserved), [0, 0, 0])

        let tables = ACPITables(base: 0x2_2000, processorCount: 1).bytes()
        XCTAssertEqual(memory.bytes(at: 0x2_2000, count: tables.count), tables)
    }

    /// Dom0's RAM is not zeroed at boot: the start-info and ACPI pages
    /// hold only what the loader wrote, and zeros.
    func testTheStartInfoAndACPIPagesAreZeroedOverOldContents() throws {
        XCTAssertTrue(memory.write([UInt8](repeating: 0xAA, count: 0x2000), at: 0x2_1000))
        let (_, file) = kernel()
        let layout = try load(file, commandLine: "x", processorCount: 1).get()
        let startInfo = memory.bytes(at: layout.startInfoAddress, count: 4096)
        XCTAssertEqual(Array(startInfo[2048..<2050]), [UInt8(ascii: "x"), 0])
        XCTAssertEqual(Array(startInfo[2050...]), [UInt8](repeating: 0, count: 2046), "past the command line")
        XCTAssertEqual(Array(startInfo[(64 + 3 * 24)..<256]), [UInt8](repeating: 0, count: 256 - 64 - 72),
                       "the memory map's unused slots")
        let tables = ACPITables(base: 0x2_2000, processorCount: 1).bytes()
        XCTAssertEqual(memory.bytes(at: 0x2_2000 + UInt64(tables.count), count: 4096 - tables.count),
                       [UInt8](repeating: 0, count: 4096 - tables.count), "past the ACPI tables")
    }

    func testSegmentsAreCopiedAndBssIsZeroed() throws {
        XCTAssertTrue(memory.write([UInt8](repeating: 0xAA, count: 0x4000), at: 0x1_0000))
        let (_, file) = kernel(is64Bit: false)
        _ = try load(file).get()
        assertBytesEqual(memory.bytes(at: 0x1_0000, count: 0x1800), TestElfWriter.pattern(0x1800, seed: 3))
        assertBytesEqual(memory.bytes(at: 0x1_1800, count: 0x1800), [UInt8](repeating: 0, count: 0x1800))
        XCTAssertEqual(memory.bytes(at: 0x1_3000, count: 4), [0xAA, 0xAA, 0xAA, 0xAA], "past the .bss: untouched")
        XCTAssertEqual(memory.bytes(at: 0x2_0000, count: 0x10), TestElfWriter.pattern(0x10, seed: 9))
    }

    func testModules() throws {
        let (_, file) = kernel()
        let first = TestElfWriter.pattern(5000, seed: 1)
        let second = TestElfWriter.pattern(10, seed: 2)
        let layout = try load(file, modules: [(first, "initrd"), (second, "")]).get()
        let info = memory.load(hvm_start_info.self, at: layout.startInfoAddress)
        XCTAssertEqual(info.nr_modules, 2)
        XCTAssertNotEqual(info.modlist_paddr, 0)
        let entries = (0..<2).map {
            memory.load(hvm_modlist_entry.self, at: info.modlist_paddr + UInt64($0 * MemoryLayout<hvm_modlist_entry>.stride))
        }
        XCTAssertEqual(entries[0].paddr, 0x2_2000)
        XCTAssertEqual(entries[0].size, 5000)
        XCTAssertEqual(entries[1].paddr, 0x2_4000, "page-aligned after the first")
        XCTAssertEqual(entries[1].size, 10)
        assertBytesEqual(memory.bytes(at: entries[0].paddr, count: 5000), first)
        XCTAssertEqual(memory.bytes(at: entries[1].paddr, count: 10), second)
        XCTAssertEqual(string(at: entries[0].cmdline_paddr), "initrd")
        XCTAssertEqual(string(at: entries[1].cmdline_paddr), "")
        XCTAssertEqual(entries[0].reserved, 0)
        XCTAssertEqual(layout.modulesEnd, 0x2_5000)
        XCTAssertEqual(string(at: info.cmdline_paddr), "console=hvc0")
    }

    func testMarkPrivileged() throws {
        let (_, file) = kernel()
        let layout = try load(file).get()
        PVHLoader.markPrivileged(startInfo: layout.startInfoAddress, in: memory)
        let info = memory.load(hvm_start_info.self, at: layout.startInfoAddress)
        XCTAssertEqual(info.flags, 3)
        XCTAssertEqual(info.nr_modules, 0)
        XCTAssertEqual(info.magic, UInt32(XEN_HVM_START_MAGIC_VALUE))
    }

    func testImageLargerThanMemory() {
        let file = TestElfWriter.pvh(loadAddress: 0xF_F000, memorySize: 0x2000, entry: 0xF_F000).build()
        XCTAssertEqual(load(file).failure, .imageTooLarge(needed: 0x10_1000, available: 1 << 20))
    }

    func testNoRoomForTheStartInfoPage() {
        let file = TestElfWriter.pvh(loadAddress: 0xF_F000, memorySize: 0x1000, entry: 0xF_F000).build()
        XCTAssertEqual(load(file).failure, .modulesTooLarge(needed: 0x10_1000, available: 1 << 20))
    }

    func testModulesTooLarge() {
        let (_, file) = kernel()
        let big = [UInt8](repeating: 1, count: (1 << 20) - 0x2_2000 + 1)
        XCTAssertEqual(load(file, modules: [(big, "")]).failure,
                       .modulesTooLarge(needed: (1 << 20) + 1, available: 1 << 20))
        let fits = [UInt8](repeating: 1, count: (1 << 20) - 0x2_2000)
        XCTAssertNil(load(file, modules: [(fits, "")]).failure)
    }

    func testCommandLineTooLong() {
        let (_, file) = kernel()
        XCTAssertEqual(load(file, commandLine: String(repeating: "x", count: 1024)).failure, .commandLineTooLong(1024))
        XCTAssertNil(load(file, commandLine: String(repeating: "x", count: 1023)).failure)
        let line = String(repeating: "m", count: 600)
        XCTAssertEqual(load(file, modules: [([1], line), ([2], line)]).failure, .commandLineTooLong(1202))
    }

    func testTooManyModules() {
        let (_, file) = kernel()
        let modules = (0..<17).map { ([UInt8($0)], "") }
        XCTAssertEqual(load(file, modules: modules).failure, .tooManyModules(17))
        XCTAssertNil(load(file, modules: Array(modules.prefix(16))).failure)
    }

    func testABILayout() {
        XCTAssertEqual(MemoryLayout<hvm_start_info>.size, 56)
        XCTAssertEqual(MemoryLayout<hvm_start_info>.offset(of: \.flags), 8)
        XCTAssertEqual(MemoryLayout<hvm_start_info>.offset(of: \.modlist_paddr), 16)
        XCTAssertEqual(MemoryLayout<hvm_start_info>.offset(of: \.memmap_paddr), 40)
        XCTAssertEqual(MemoryLayout<hvm_start_info>.offset(of: \.memmap_entries), 48)
        XCTAssertEqual(MemoryLayout<hvm_modlist_entry>.size, 32)
        XCTAssertEqual(MemoryLayout<hvm_modlist_entry>.offset(of: \.cmdline_paddr), 16)
        XCTAssertEqual(MemoryLayout<hvm_memmap_table_entry>.size, 24)
        XCTAssertEqual(MemoryLayout<hvm_memmap_table_entry>.offset(of: \.type), 16)
        XCTAssertEqual(MemoryLayout<xen_hvm_param>.size, 16)
        XCTAssertEqual(MemoryLayout<xen_hvm_param>.offset(of: \.domid), 0)
        XCTAssertEqual(MemoryLayout<xen_hvm_param>.offset(of: \.index), 4)
        XCTAssertEqual(MemoryLayout<xen_hvm_param>.offset(of: \.value), 8)
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
