/// Hypercall argument structs, read and written whole: a handler copies the
/// guest's struct once (so the guest cannot change a field between the
/// check and the use), and works on the copy with the C header's field
/// names, never byte offsets. The sizes are the C structs' own, checked by
/// Kernel/Public/AbiLayoutChecks.c; the copy goes through the same checked,
/// translated byte copy as every other guest access, so a bad pointer is
/// EFAULT and nothing is copied in part.
extension GuestMemory {
    func read<T: BitwiseCopyable>(_ type: T.Type, at linear: UInt64) throws(HypercallError) -> T {
        let bytes = try read(from: linear, count: MemoryLayout<T>.size)
        return bytes.withUnsafeBytes { $0.loadUnaligned(as: T.self) }
    }

    func write<T: BitwiseCopyable>(_ value: T, to linear: UInt64) throws(HypercallError) {
        let bytes = withUnsafeBytes(of: value) { Array($0) }
        try write(bytes, to: linear)
    }

    /// An array of C values the guest gave room for, in one copy (the
    /// errs[] of add_to_physmap_batch). A distinct label: an overload of
    /// write(_:to:) would take an array literal meant as bytes for [Int].
    func write<T: BitwiseCopyable>(contentsOf values: [T], to linear: UInt64) throws(HypercallError) {
        let bytes = values.withUnsafeBytes { Array($0) }
        try write(bytes, to: linear)
    }
}
