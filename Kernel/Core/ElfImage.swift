/// A PVH kernel image in ELF format, checked before anything is loaded.
///
/// One parser for both loaders: the hypervisor's (dom0's image) and dom0's
/// domain builder (domU images) — xtool compiles this file into the guests
/// too (BuildFlags.guestSharedSwiftSources), so it uses nothing from Core
/// but `hex` (Hex.swift, shared the same way).
///
/// The image comes from a boot module or from dom0: untrusted. Every offset
/// and size is checked against the file before it is used, and every
/// segment against address overflow; the result only describes what to
/// copy where. Both ELF classes are accepted (PVH kernels are often 32-bit
/// ELF even when they run 64-bit code). Layout: the System V ABI's ELF
/// specification; the PVH entry comes from the note XEN_ELFNOTE_PHYS32_ENTRY.
struct ElfImage {
    struct Segment: Equatable {
        var fileOffset: UInt64
        var fileSize: UInt64
        var memorySize: UInt64
        /// Where the segment goes in the guest: PVH loads at p_paddr.
        var physicalAddress: UInt64

        var end: UInt64 { physicalAddress + memorySize }

        /// The segment's bytes in the file it was checked against.
        func bytes(in file: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
            UnsafeRawBufferPointer(rebasing: file[Int(fileOffset)..<Int(fileOffset + fileSize)])
        }
    }

    var is64Bit: Bool
    var segments: [Segment]
    /// The 32-bit entry point from the PHYS32_ENTRY note.
    var entryPoint: UInt32

    /// The first byte past the highest segment.
    var highestAddress: UInt64 { segments.map { $0.end }.max() ?? 0 }
    var lowestAddress: UInt64 { segments.map { $0.physicalAddress }.min() ?? 0 }

    static let maximumProgramHeaders = 64
    static let maximumNoteBytes: UInt64 = 64 * 1024

    private static let loadSegment: UInt32 = 1
    private static let noteSegment: UInt32 = 4
    private static let physical32EntryNote: UInt32 = 18

    init(_ file: UnsafeRawBufferPointer) throws(ElfError) {
        let reader = ByteReader(file)
        guard file.count >= 52 else { throw .truncated("the file is \(file.count) bytes, shorter than an ELF header") }
        guard reader.u8(0) == 0x7F, reader.u8(1) == 0x45, reader.u8(2) == 0x4C, reader.u8(3) == 0x46 else {
            throw .notElf
        }
        switch reader.u8(4) {
        case 1: is64Bit = false
        case 2: is64Bit = true
        default: throw .unsupported("ELF class \(reader.u8(4))")
        }
        guard reader.u8(5) == 1 else { throw .unsupported("big-endian data") }
        guard !is64Bit || file.count >= 64 else { throw .truncated("the ELF64 header is cut short") }

        let type = reader.u16(16)
        guard type == 2 else { throw .unsupported("ELF type \(type) (only executables, ET_EXEC, boot)") }
        let machine = reader.u16(18)
        guard machine == 3 || machine == 62 else { throw .unsupported("machine \(machine) (not x86)") }

        let headers = try Self.programHeaders(reader, is64Bit: is64Bit)
        var segments: [Segment] = []
        var entry: UInt32? = nil
        for header in headers {
            if header.type == Self.loadSegment && header.memorySize > 0 {
                segments.append(try Self.checkedSegment(header, fileSize: UInt64(file.count)))
            } else if header.type == Self.noteSegment {
                if let found = try Self.phys32Entry(in: header, reader: reader) { entry = found }
            }
        }
        guard !segments.isEmpty else { throw .noLoadableSegments }
        guard let entry else { throw .notPVH }
        guard segments.contains(where: { UInt64(entry) >= $0.physicalAddress && UInt64(entry) < $0.end }) else {
            throw .entryOutsideImage(entry)
        }
        self.segments = segments
        self.entryPoint = entry
    }

    struct ProgramHeader {
        var type: UInt32
        var offset: UInt64
        var physicalAddress: UInt64
        var fileSize: UInt64
        var memorySize: UInt64
    }

    private static func programHeaders(_ reader: ByteReader, is64Bit: Bool) throws(ElfError) -> [ProgramHeader] {
        let tableOffset = is64Bit ? reader.u64(32) : UInt64(reader.u32(28))
        let entrySize = UInt64(reader.u16(is64Bit ? 54 : 42))
        let count = Int(reader.u16(is64Bit ? 56 : 44))
        guard entrySize >= (is64Bit ? 56 : 32) else { throw .malformed("program header size \(entrySize)") }
        guard count <= maximumProgramHeaders else { throw .malformed("\(count) program headers (at most \(maximumProgramHeaders))") }
        guard reader.contains(offset: tableOffset, count: entrySize * UInt64(count)) else {
            throw .truncated("the program header table lies outside the file")
        }
        var headers: [ProgramHeader] = []
        for index in 0..<count {
            let at = tableOffset + UInt64(index) * entrySize
            if is64Bit {
                headers.append(ProgramHeader(type: reader.u32(at), offset: reader.u64(at + 8),
                                             physicalAddress: reader.u64(at + 24),
                                             fileSize: reader.u64(at + 32), memorySize: reader.u64(at + 40)))
            } else {
                headers.append(ProgramHeader(type: reader.u32(at), offset: UInt64(reader.u32(at + 4)),
                                             physicalAddress: UInt64(reader.u32(at + 12)),
                                             fileSize: UInt64(reader.u32(at + 16)),
                                             memorySize: UInt64(reader.u32(at + 20))))
            }
        }
        return headers
    }

    private static func checkedSegment(_ header: ProgramHeader, fileSize: UInt64) throws(ElfError) -> Segment {
        guard header.fileSize <= header.memorySize else {
            throw .malformed("a segment has more file bytes (\(header.fileSize)) than memory (\(header.memorySize))")
        }
        let (fileEnd, fileOverflow) = header.offset.addingReportingOverflow(header.fileSize)
        guard !fileOverflow, fileEnd <= fileSize else {
            throw .truncated("a segment's bytes lie outside the file")
        }
        let (_, addressOverflow) = header.physicalAddress.addingReportingOverflow(header.memorySize)
        guard !addressOverflow else { throw .malformed("a segment wraps around the address space") }
        return Segment(fileOffset: header.offset, fileSize: header.fileSize,
                       memorySize: header.memorySize, physicalAddress: header.physicalAddress)
    }

    /// Walks the notes of one PT_NOTE segment: each is namesz, descsz, type,
    /// then the name and the descriptor, both padded to 4 bytes.
    private static func phys32Entry(in header: ProgramHeader, reader: ByteReader) throws(ElfError) -> UInt32? {
        guard header.fileSize <= maximumNoteBytes,
              reader.contains(offset: header.offset, count: header.fileSize) else {
            throw .truncated("a note segment lies outside the file")
        }
        var at = header.offset
        let end = header.offset + header.fileSize
        while at + 12 <= end {
            let nameSize = UInt64(reader.u32(at))
            let descriptorSize = UInt64(reader.u32(at + 4))
            let type = reader.u32(at + 8)
            let name = at + 12
            let descriptor = name + ((nameSize + 3) & ~3)
            let next = descriptor + ((descriptorSize + 3) & ~3)
            guard nameSize <= 256, descriptorSize <= 4096, next <= end else {
                throw .malformed("a note runs past its segment")
            }
            let isXen = nameSize == 4 && reader.u8(name) == 0x58 && reader.u8(name + 1) == 0x65
                && reader.u8(name + 2) == 0x6E && reader.u8(name + 3) == 0
            if isXen && type == physical32EntryNote {
                guard descriptorSize == 4 || descriptorSize == 8 else {
                    throw .malformed("the PHYS32_ENTRY note has \(descriptorSize) bytes")
                }
                return reader.u32(descriptor)
            }
            at = next
        }
        return nil
    }
}

enum ElfError: Error, Equatable {
    case notElf
    case truncated(String)
    case malformed(String)
    case unsupported(String)
    case noLoadableSegments
    case notPVH
    case entryOutsideImage(UInt32)

    var message: String {
        switch self {
        case .notElf: "not an ELF file (bad magic)"
        case .truncated(let why): "truncated ELF: " + why
        case .malformed(let why): "malformed ELF: " + why
        case .unsupported(let why): "unsupported ELF: " + why
        case .noLoadableSegments: "the ELF file has no loadable segment"
        case .notPVH: "not a PVH kernel: no Xen note XEN_ELFNOTE_PHYS32_ENTRY"
        case .entryOutsideImage(let entry): "the PVH entry \(hex(UInt64(entry), digits: 8)) is outside every loadable segment"
        }
    }
}

/// Little-endian reads from a byte buffer. Callers check ranges with
/// `contains` first; a read outside the buffer returns 0 rather than
/// trapping, as a second line of defence.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    func contains(offset: UInt64, count: UInt64) -> Bool {
        let (end, overflow) = offset.addingReportingOverflow(count)
        return !overflow && end <= UInt64(bytes.count)
    }

    func u8(_ offset: UInt64) -> UInt8 { read(offset) }
    func u16(_ offset: UInt64) -> UInt16 { read(offset) }
    func u32(_ offset: UInt64) -> UInt32 { read(offset) }
    func u64(_ offset: UInt64) -> UInt64 { read(offset) }

    private func read<T: FixedWidthInteger>(_ offset: UInt64) -> T {
        guard contains(offset: offset, count: UInt64(MemoryLayout<T>.size)) else { return 0 }
        return T(littleEndian: bytes.loadUnaligned(fromByteOffset: Int(offset), as: T.self))
    }
}
