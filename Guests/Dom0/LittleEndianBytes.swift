/// Little-endian reads from an untrusted blob (a kernel image). Callers
/// check ranges with `contains` before reading; a read that is out of range
/// anyway gives 0 instead of touching memory outside the blob.
struct LittleEndianBytes {
    let bytes: UnsafeRawBufferPointer

    /// Whether [offset, offset + count) lies inside the blob, without
    /// overflowing on hostile offsets.
    func contains(offset: UInt64, count: UInt64) -> Bool {
        let (end, overflow) = offset.addingReportingOverflow(count)
        return !overflow && end <= UInt64(bytes.count)
    }

    func u8(_ offset: UInt64) -> UInt8 { read(offset) }
    func u16(_ offset: UInt64) -> UInt16 { read(offset) }
    func u32(_ offset: UInt64) -> UInt32 { read(offset) }
    func u64(_ offset: UInt64) -> UInt64 { read(offset) }

    private func read<Value: FixedWidthInteger>(_ offset: UInt64) -> Value {
        guard contains(offset: offset, count: UInt64(MemoryLayout<Value>.size)) else { return 0 }
        return Value(littleEndian: bytes.loadUnaligned(fromByteOffset: Int(offset), as: Value.self))
    }
}
