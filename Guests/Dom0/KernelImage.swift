/// A PVH kernel in ELF form (32- or 64-bit), checked the way the hypervisor
/// checks dom0's before anything of it is loaded: the image is just bytes
/// from a boot module, so every offset, size and address is verified before
/// it is used, and overflow counts as an error. What remains is a list of
/// what to copy where, and the entry point from the Xen note
/// XEN_ELFNOTE_PHYS32_ENTRY (the note is what makes an image PVH).
/// Field offsets: the System V ABI's ELF chapter.
struct KernelImage {
    struct Segment {
        let fileOffset: UInt64
        let fileSize: UInt64
        let memorySize: UInt64
        /// Where it goes: PVH loads at the physical address (p_paddr).
        let address: UInt64

        var end: UInt64 { address + memorySize }
    }

    let file: UnsafeRawBufferPointer
    let segments: [Segment]
    /// Where the vCPU starts, in 32-bit protected mode.
    let entryPoint: UInt32

    /// The first byte after the highest segment.
    var end: UInt64 { segments.reduce(0) { max($0, $1.end) } }

    /// More program headers than any kernel has: a limit on the work a
    /// hostile image can cause.
    static let maximumProgramHeaders = 64
    static let maximumNoteBytes: UInt64 = 64 * 1024

    private static let executable: UInt16 = 2          // ET_EXEC
    private static let machine386: UInt16 = 3          // EM_386
    private static let machineX86_64: UInt16 = 62      // EM_X86_64
    private static let loadable: UInt32 = 1            // PT_LOAD
    private static let note: UInt32 = 4                // PT_NOTE
    private static let phys32EntryNote: UInt32 = 18    // XEN_ELFNOTE_PHYS32_ENTRY

    init(_ file: UnsafeRawBufferPointer) throws(KernelImageError) {
        let reader = LittleEndianBytes(bytes: file)
        guard file.count >= 52 else { throw .truncated("\(file.count) bytes is shorter than an ELF header") }
        guard reader.u8(0) == 0x7F, reader.u8(1) == UInt8(ascii: "E"), reader.u8(2) == UInt8(ascii: "L"),
              reader.u8(3) == UInt8(ascii: "F") else { throw .notELF }
        let is64Bit: Bool
        switch reader.u8(4) {
        case 1: is64Bit = false
        case 2: is64Bit = true
        default: throw .unsupported("class \(reader.u8(4))")
        }
        guard reader.u8(5) == 1 else { throw .unsupported("big-endian") }
        guard !is64Bit || file.count >= 64 else { throw .truncated("the ELF64 header is cut short") }
        let type = reader.u16(16)
        guard type == Self.executable else { throw .unsupported("type \(type), only executables (ET_EXEC) boot") }
        let machine = reader.u16(18)
        guard machine == Self.machine386 || machine == Self.machineX86_64 else {
            throw .unsupported("machine \(machine), not x86")
        }

        var segments: [Segment] = []
        var entry: UInt32? = nil
        for header in try Self.programHeaders(reader, is64Bit: is64Bit) {
            if header.type == Self.loadable && header.memorySize > 0 {
                segments.append(try Self.checkedSegment(header, fileSize: UInt64(file.count)))
            } else if header.type == Self.note, let found = try Self.phys32Entry(in: header, reader) {
                entry = found
            }
        }
        guard !segments.isEmpty else { throw .noLoadableSegment }
        guard let entry else { throw .notPVH }
        guard segments.contains(where: { UInt64(entry) >= $0.address && UInt64(entry) < $0.end }) else {
            throw .entryOutsideImage(entry)
        }
        self.file = file
        self.segments = segments
        self.entryPoint = entry
    }

    /// The file bytes of `segment` (checked to lie inside the file).
    func bytes(of segment: Segment) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: file[Int(segment.fileOffset)..<Int(segment.fileOffset + segment.fileSize)])
    }

    private struct ProgramHeader {
        let type: UInt32
        let offset: UInt64
        let address: UInt64
        let fileSize: UInt64
        let memorySize: UInt64
    }

    private static func programHeaders(_ reader: LittleEndianBytes, is64Bit: Bool) throws(KernelImageError) -> [ProgramHeader] {
        let tableOffset = is64Bit ? reader.u64(32) : UInt64(reader.u32(28))
        let entrySize = UInt64(reader.u16(is64Bit ? 54 : 42))
        let count = UInt64(reader.u16(is64Bit ? 56 : 44))
        guard entrySize >= (is64Bit ? 56 : 32) else { throw .malformed("program header size \(entrySize)") }
        guard count <= UInt64(maximumProgramHeaders) else {
            throw .malformed("\(count) program headers, at most \(maximumProgramHeaders)")
        }
        guard reader.contains(offset: tableOffset, count: entrySize * count) else {
            throw .truncated("the program headers lie outside the file")
        }
        var headers: [ProgramHeader] = []
        for index in 0..<count {
            let at = tableOffset + index * entrySize
            if is64Bit {
                headers.append(ProgramHeader(type: reader.u32(at), offset: reader.u64(at + 8),
                                             address: reader.u64(at + 24), fileSize: reader.u64(at + 32),
                                             memorySize: reader.u64(at + 40)))
            } else {
                headers.append(ProgramHeader(type: reader.u32(at), offset: UInt64(reader.u32(at + 4)),
                                             address: UInt64(reader.u32(at + 12)), fileSize: UInt64(reader.u32(at + 16)),
                                             memorySize: UInt64(reader.u32(at + 20))))
            }
        }
        return headers
    }

    private static func checkedSegment(_ header: ProgramHeader, fileSize: UInt64) throws(KernelImageError) -> Segment {
        guard header.fileSize <= header.memorySize else {
            throw .malformed("a segment has more file bytes (\(header.fileSize)) than memory bytes (\(header.memorySize))")
        }
        let (fileEnd, fileOverflow) = header.offset.addingReportingOverflow(header.fileSize)
        guard !fileOverflow && fileEnd <= fileSize else { throw .truncated("a segment's bytes lie outside the file") }
        let (_, addressOverflow) = header.address.addingReportingOverflow(header.memorySize)
        guard !addressOverflow else { throw .malformed("a segment wraps around the address space") }
        return Segment(fileOffset: header.offset, fileSize: header.fileSize,
                       memorySize: header.memorySize, address: header.address)
    }

    /// Looks through one PT_NOTE segment for the Xen PHYS32_ENTRY note.
    /// Each note: name size, descriptor size, type, then the name and the
    /// descriptor, each padded to 4 bytes.
    private static func phys32Entry(in header: ProgramHeader, _ reader: LittleEndianBytes) throws(KernelImageError) -> UInt32? {
        guard header.fileSize <= maximumNoteBytes, reader.contains(offset: header.offset, count: header.fileSize) else {
            throw .truncated("a note segment lies outside the file")
        }
        let end = header.offset + header.fileSize
        var at = header.offset
        while at + 12 <= end {
            let nameSize = UInt64(reader.u32(at))
            let descriptorSize = UInt64(reader.u32(at + 4))
            let type = reader.u32(at + 8)
            guard nameSize <= 256 && descriptorSize <= 4096 else { throw .malformed("a note is too large") }
            let name = at + 12
            let descriptor = name + ((nameSize + 3) & ~3)
            let next = descriptor + ((descriptorSize + 3) & ~3)
            guard next <= end else { throw .malformed("a note runs past its segment") }
            let isXen = nameSize == 4 && reader.u8(name) == UInt8(ascii: "X") && reader.u8(name + 1) == UInt8(ascii: "e")
                && reader.u8(name + 2) == UInt8(ascii: "n") && reader.u8(name + 3) == 0
            if isXen && type == phys32EntryNote {
                guard descriptorSize == 4 || descriptorSize == 8 else {
                    throw .malformed("the PHYS32_ENTRY note holds \(descriptorSize) bytes")
                }
                return reader.u32(descriptor)
            }
            at = next
        }
        return nil
    }
}
