/// Hypercall argument structs, read and written whole: a handler copies the
/// guest's struct once (so the guest cannot change a field between the
/// check and the use), and works on the copy with the C header's field
/// names, never byte offsets. The sizes are the C structs' own, checked by
/// Kernel/Public/AbiLayoutChecks.c; the copy goes through the same checked
/// translation as every other guest access, so a bad pointer is EFAULT and
/// nothing is copied in part.
///
/// A struct is at most a page, so it spans at most two: both are translated
/// before a byte moves, and the bytes go straight between the guest's page
/// and the value, with no array in between (allocating one costs more than
/// the rest of a small hypercall).
extension GuestMemory {
    func read<T: BitwiseCopyable>(_ type: T.Type, at linear: UInt64) throws(HypercallError) -> T {
        let size = MemoryLayout<T>.size
        guard size <= 4096 else {
            let bytes = try read(from: linear, count: size)
            return bytes.withUnsafeBytes { $0.loadUnaligned(as: T.self) }
        }
        let (first, second) = try translateWithinTwoPages(linear, count: size, forWrite: false)
        return withUnsafeTemporaryAllocation(byteCount: size, alignment: MemoryLayout<T>.alignment) { buffer in
            let base = buffer.baseAddress!
            base.copyMemory(from: memory.physicalMemory.pointer(first.host), byteCount: first.count)
            if let second {
                (base + first.count).copyMemory(from: memory.physicalMemory.pointer(second.host), byteCount: second.count)
            }
            return base.load(as: T.self)
        }
    }

    func write<T: BitwiseCopyable>(_ value: T, to linear: UInt64) throws(HypercallError) {
        let size = MemoryLayout<T>.size
        guard size <= 4096 else {
            let bytes = withUnsafeBytes(of: value) { Array($0) }
            return try write(bytes, to: linear)
        }
        let (first, second) = try translateWithinTwoPages(linear, count: size, forWrite: true)
        withUnsafeBytes(of: value) { source in
            let base = source.baseAddress!
            memory.physicalMemory.pointer(first.host).copyMemory(from: base, byteCount: first.count)
            if let second {
                memory.physicalMemory.pointer(second.host).copyMemory(from: base + first.count, byteCount: second.count)
            }
        }
    }

    /// An array of C values the guest gave room for, in one copy (the
    /// errs[] of add_to_physmap_batch). A distinct label: an overload of
    /// write(_:to:) would take an array literal meant as bytes for [Int].
    func write<T: BitwiseCopyable>(contentsOf values: [T], to linear: UInt64) throws(HypercallError) {
        let bytes = values.withUnsafeBytes { Array($0) }
        try write(bytes, to: linear)
    }

    /// `translate` for 1 to 4096 bytes, which lie in one page or two: the
    /// same checks, the pieces in two values rather than an array.
    private func translateWithinTwoPages(_ linear: UInt64, count: Int,
                                         forWrite: Bool) throws(HypercallError) -> (Piece, Piece?) {
        let (_, overflow) = linear.addingReportingOverflow(UInt64(count))
        guard !overflow else { throw .badAddress }
        let inFirstPage = min(count, Int(4096 - (linear & 0xFFF)))
        let first = Piece(host: try hostAddress(linear, forWrite: forWrite), count: inFirstPage)
        guard inFirstPage < count else { return (first, nil) }
        let next = linear + UInt64(inFirstPage)
        return (first, Piece(host: try hostAddress(next, forWrite: forWrite), count: count - inFirstPage))
    }

    private func hostAddress(_ linear: UInt64, forWrite: Bool) throws(HypercallError) -> UInt64 {
        guard let host = memory.hostAddress(of: try linearToPhysical(linear, forWrite: forWrite)) else {
            throw .badAddress
        }
        return host
    }
}
