/// Builds small ELF images in memory for the loader tests: an ELF header,
/// the program header table right after it, then each segment's file bytes
/// (16-byte aligned), in the order the segments were added. Little-endian,
/// ET_EXEC, x86 unless a test changes the fields.
struct TestElfWriter {
    struct Segment {
        var type: UInt32
        var physicalAddress: UInt64
        var bytes: [UInt8]
        var memorySize: UInt64
    }

    enum Field { case type, offset, physicalAddress, fileSize, memorySize }

    static let loadType: UInt32 = 1
    static let noteType: UInt32 = 4
    static let phys32EntryNote: UInt32 = 18

    var is64Bit: Bool
    var elfType: UInt16 = 2
    var machine: UInt16
    var segments: [Segment] = []

    init(is64Bit: Bool) {
        self.is64Bit = is64Bit
        machine = is64Bit ? 62 : 3
    }

    /// A PVH kernel: one PT_LOAD of `code` at `loadAddress` (with
    /// `memorySize` bytes in memory) and a PHYS32_ENTRY note for `entry`.
    static func pvh(is64Bit: Bool = true, loadAddress: UInt64 = 0x10_0000, code: [UInt8] = pattern(0x100),
                    memorySize: UInt64? = nil, entry: UInt32 = 0x10_0000) -> TestElfWriter {
        var writer = TestElfWriter(is64Bit: is64Bit)
        writer.addLoad(at: loadAddress, bytes: code, memorySize: memorySize)
        writer.addPhys32EntryNote(entry)
        return writer
    }

    mutating func addLoad(at address: UInt64, bytes: [UInt8], memorySize: UInt64? = nil) {
        segments.append(Segment(type: Self.loadType, physicalAddress: address, bytes: bytes,
                                memorySize: memorySize ?? UInt64(bytes.count)))
    }

    mutating func addNote(_ bytes: [UInt8]) {
        segments.append(Segment(type: Self.noteType, physicalAddress: 0, bytes: bytes, memorySize: 0))
    }

    mutating func addPhys32EntryNote(_ entry: UInt32) {
        addNote(Self.note(name: Array("Xen".utf8) + [0], type: Self.phys32EntryNote, descriptor: le(entry)))
    }

    /// One note: namesz, descsz, type, then name and descriptor, each padded
    /// to 4 bytes.
    static func note(name: [UInt8], type: UInt32, descriptor: [UInt8]) -> [UInt8] {
        var bytes = le(UInt32(name.count)) + le(UInt32(descriptor.count)) + le(type)
        bytes += padded(name) + padded(descriptor)
        return bytes
    }

    var headerSize: Int { is64Bit ? 64 : 52 }
    var programHeaderSize: Int { is64Bit ? 56 : 32 }

    func programHeaderOffset(_ index: Int) -> Int { headerSize + index * programHeaderSize }

    /// Where segment `index`'s bytes start in the file.
    func dataOffset(_ index: Int) -> Int {
        var offset = align16(programHeaderOffset(segments.count))
        for segment in segments[..<index] { offset = align16(offset + segment.bytes.count) }
        return offset
    }

    func build() -> [UInt8] {
        var file = [UInt8](repeating: 0, count: dataOffset(segments.count))
        file[0] = 0x7F; file[1] = 0x45; file[2] = 0x4C; file[3] = 0x46
        file[4] = is64Bit ? 2 : 1          // class
        file[5] = 1                         // little-endian
        file[6] = 1                         // version
        file.put16(elfType, at: 16)
        file.put16(machine, at: 18)
        file.put32(1, at: 20)
        if is64Bit {
            file.put64(UInt64(programHeaderOffset(0)), at: 32)
            file.put16(UInt16(headerSize), at: 52)
            file.put16(UInt16(programHeaderSize), at: 54)
            file.put16(UInt16(segments.count), at: 56)
        } else {
            file.put32(UInt32(programHeaderOffset(0)), at: 28)
            file.put16(UInt16(headerSize), at: 40)
            file.put16(UInt16(programHeaderSize), at: 42)
            file.put16(UInt16(segments.count), at: 44)
        }
        for (index, segment) in segments.enumerated() {
            let values: [(Field, UInt64)] = [
                (.type, UInt64(segment.type)), (.offset, UInt64(dataOffset(index))),
                (.physicalAddress, segment.physicalAddress), (.fileSize, UInt64(segment.bytes.count)),
                (.memorySize, segment.memorySize),
            ]
            for (field, value) in values { patch(&file, segment: index, field, value) }
            file.replaceSubrange(dataOffset(index)..<dataOffset(index) + segment.bytes.count, with: segment.bytes)
        }
        return file
    }

    /// Overwrites one field of program header `segment` in a built file.
    func patch(_ file: inout [UInt8], segment: Int, _ field: Field, _ value: UInt64) {
        let at = programHeaderOffset(segment)
        if is64Bit {
            switch field {
            case .type: file.put32(UInt32(value), at: at)
            case .offset: file.put64(value, at: at + 8)
            case .physicalAddress: file.put64(value, at: at + 16); file.put64(value, at: at + 24)
            case .fileSize: file.put64(value, at: at + 32)
            case .memorySize: file.put64(value, at: at + 40)
            }
        } else {
            switch field {
            case .type: file.put32(UInt32(value), at: at)
            case .offset: file.put32(UInt32(value), at: at + 4)
            case .physicalAddress: file.put32(UInt32(value), at: at + 8); file.put32(UInt32(value), at: at + 12)
            case .fileSize: file.put32(UInt32(value), at: at + 16)
            case .memorySize: file.put32(UInt32(value), at: at + 20)
            }
        }
    }

    /// Bytes 0, 1, 2, ... (mod 251), so misplaced copies show.
    static func pattern(_ count: Int, seed: Int = 0) -> [UInt8] {
        (0..<count).map { UInt8(($0 + seed) % 251) }
    }

    private static func padded(_ bytes: [UInt8]) -> [UInt8] {
        bytes + [UInt8](repeating: 0, count: (4 - bytes.count % 4) % 4)
    }

    private func align16(_ value: Int) -> Int { (value + 15) & ~15 }
}

func le<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    withUnsafeBytes(of: value.littleEndian) { Array($0) }
}

extension Array where Element == UInt8 {
    mutating func put16(_ value: UInt16, at offset: Int) { replaceSubrange(offset..<offset + 2, with: le(value)) }
    mutating func put32(_ value: UInt32, at offset: Int) { replaceSubrange(offset..<offset + 4, with: le(value)) }
    mutating func put64(_ value: UInt64, at offset: Int) { replaceSubrange(offset..<offset + 8, with: le(value)) }
}
