import XenPublic

/// A run of another domain's frames, seen through a window in this
/// domain's own address space: how dom0's domain builder writes a new
/// domain's memory (its image, its start info).
///
/// The window is 512 guest-physical frames at 512 MiB: outside dom0's RAM,
/// where the hypervisor lets foreign frames be mapped, and inside the first
/// 1 GiB that GuestKit's page tables identity-map, so the window's
/// guest-physical address is also its virtual address. Mapping over a
/// frame that is still mapped replaces it; `unmap` clears the window again,
/// so that no mapping outlives the domain it shows.
struct ForeignMemoryWindow {
    static let windowAddress: UInt64 = 0x2000_0000
    static let windowFrames = MemoryOp.maximumBatch
    static let pageSize: UInt64 = 4096

    let domain: DomainID
    let firstFrame: UInt64
    let frameCount: Int

    /// The mapped frames, one after another.
    var bytes: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: UnsafeMutableRawPointer(bitPattern: UInt(Self.windowAddress)),
                                      count: frameCount * Int(Self.pageSize))
    }

    /// Maps frames `firstFrame ..< firstFrame + count` of `domain` at the
    /// start of the window. All or nothing: if any frame fails, the ones
    /// that did map are removed again and the first frame's error is thrown.
    static func map(_ domain: DomainID, firstFrame: UInt64, count: Int) throws(HypercallFailure) -> ForeignMemoryWindow {
        guard count > 0 && count <= windowFrames else { throw HypercallFailure(errno: XEN_EINVAL) }
        let windowFrame = windowAddress / pageSize
        // The three lists live on the stack: the guest heap never frees.
        let failure: Int32 = withUnsafeTemporaryAllocation(of: UInt64.self, capacity: count) { foreign in
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: count) { local in
                withUnsafeTemporaryAllocation(of: Int32.self, capacity: count) { errors in
                    for index in 0..<count {
                        foreign[index] = firstFrame + UInt64(index)
                        local[index] = windowFrame + UInt64(index)
                        errors[index] = 0
                    }
                    do throws(HypercallFailure) {
                        try MemoryOp.mapForeign(domain, foreignFrames: UnsafeBufferPointer(foreign),
                                                at: UnsafeBufferPointer(local), errors: errors)
                    } catch {
                        return -error.errno
                    }
                    guard let failed = errors.firstIndex(where: { $0 != 0 }) else { return 0 }
                    for index in 0..<count where errors[index] == 0 {
                        try? MemoryOp.removeFromPhysmap(local[index])
                    }
                    return errors[failed]
                }
            }
        }
        if failure != 0 { throw HypercallFailure(errno: -failure) }
        return ForeignMemoryWindow(domain: domain, firstFrame: firstFrame, frameCount: count)
    }

    /// Removes every frame of this mapping from the window. Tries them all;
    /// throws the first error.
    func unmap() throws(HypercallFailure) {
        let windowFrame = Self.windowAddress / Self.pageSize
        var firstError: HypercallFailure? = nil
        for index in 0..<frameCount {
            do { try MemoryOp.removeFromPhysmap(windowFrame + UInt64(index)) } catch {
                if firstError == nil { firstError = error }
            }
        }
        if let firstError { throw firstError }
    }

    /// Copies `source` into `domain`'s memory at guest-physical `address`,
    /// a window-full at a time.
    static func write(_ source: UnsafeRawBufferPointer, to domain: DomainID, at address: UInt64) throws(HypercallFailure) {
        try forEachChunk(of: domain, at: address, count: UInt64(source.count)) { destination, done in
            let chunk = UnsafeRawBufferPointer(rebasing: source[Int(done)..<Int(done) + destination.count])
            destination.copyMemory(from: chunk)
        }
    }

    /// Sets `count` bytes of `domain`'s memory at `address` to zero.
    static func zero(_ domain: DomainID, at address: UInt64, count: UInt64) throws(HypercallFailure) {
        try forEachChunk(of: domain, at: address, count: count) { destination, _ in
            destination.initializeMemory(as: UInt8.self, repeating: 0)
        }
    }

    /// Maps the frames under [address, address + count) a window at a time
    /// and hands `body` the part of each window that lies in the range,
    /// with how many bytes of the range came before it.
    ///
    /// Each window is mapped over the last (mapping replaces), and the
    /// window is cleared once at the end, also after a failure: unmapping
    /// costs one hypercall per frame, so clearing between windows would be
    /// most of the hypercalls of loading a large kernel (16000 of them for
    /// Linux's 64 MB).
    private static func forEachChunk(of domain: DomainID, at address: UInt64, count: UInt64,
                                     _ body: (UnsafeMutableRawBufferPointer, UInt64) -> Void) throws(HypercallFailure) {
        var done: UInt64 = 0
        var widest: ForeignMemoryWindow? = nil
        var failure: HypercallFailure? = nil
        while done < count {
            let start = address + done
            let offsetInPage = start % pageSize
            let pagesLeft = (offsetInPage + (count - done) + pageSize - 1) / pageSize
            let frames = Int(min(pagesLeft, UInt64(windowFrames)))
            let mapping: ForeignMemoryWindow
            do { mapping = try map(domain, firstFrame: start / pageSize, count: frames) } catch {
                failure = error
                break
            }
            if frames > widest?.frameCount ?? 0 { widest = mapping }
            let length = min(count - done, UInt64(frames) * pageSize - offsetInPage)
            body(UnsafeMutableRawBufferPointer(rebasing: mapping.bytes[Int(offsetInPage)..<Int(offsetInPage + length)]), done)
            done += length
        }
        do { try widest?.unmap() } catch { if failure == nil { failure = error } }
        if let failure { throw failure }
    }
}
