/// A copy of a guest's argument struct, read in one go and written back in
/// one go: the handler never touches guest memory field by field, so the
/// guest cannot change a field between the check and the use.
struct GuestRecord {
    var bytes: [UInt8]

    static func read(_ count: Int, at address: UInt64, from guest: GuestMemory) throws(HypercallError) -> GuestRecord {
        GuestRecord(bytes: try guest.read(from: address, count: count))
    }

    func write(to address: UInt64, in guest: GuestMemory) throws(HypercallError) {
        try guest.write(bytes, to: address)
    }

    func u16(_ offset: Int) -> UInt16 { load(offset) }
    func u32(_ offset: Int) -> UInt32 { load(offset) }
    func u64(_ offset: Int) -> UInt64 { load(offset) }
    func slice(_ offset: Int, _ count: Int) -> [UInt8] { Array(bytes[offset..<(offset + count)]) }

    mutating func set<T: FixedWidthInteger>(_ offset: Int, _ value: T) {
        bytes.withUnsafeMutableBytes { $0.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self) }
    }

    mutating func set(_ offset: Int, bytes newBytes: [UInt8]) {
        for (index, byte) in newBytes.enumerated() { bytes[offset + index] = byte }
    }

    private func load<T: FixedWidthInteger>(_ offset: Int) -> T {
        bytes.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self)) }
    }
}
