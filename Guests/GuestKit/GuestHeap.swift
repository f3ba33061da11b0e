import GuestSupport

/// The allocator behind every class instance, array and string of a guest:
/// `posix_memalign` and `free` (GuestRuntime.c) call the two functions
/// below, which run the hypervisor's `HeapAllocator` (Kernel/Core, shared
/// with the guests through BuildFlags.guestSharedSwiftSources) over the
/// guest's arena. Unlike the bump allocator it replaces, freed memory is
/// reused, so a guest that runs for long (dom0's store daemon) does not
/// run out. Built on the first allocation; the allocator itself never
/// allocates.
enum GuestHeap {
    nonisolated(unsafe) static var heap = HeapAllocator(region: guest_heap_arena_address(),
                                                        size: Int(guest_heap_arena_size()))
}

private let ENOMEM: CInt = 12
private let EINVAL: CInt = 22

@_cdecl("guest_heap_allocate")
func guestHeapAllocate(_ result: UnsafeMutablePointer<UnsafeMutableRawPointer?>,
                       _ alignment: Int, _ size: Int) -> CInt {
    guard alignment > 0, alignment & (alignment - 1) == 0 else { return EINVAL }
    guard let memory = GuestHeap.heap.allocate(size: size, alignment: alignment) else { return ENOMEM }
    result.pointee = memory
    return 0
}

@_cdecl("guest_heap_free")
func guestHeapFree(_ pointer: UnsafeMutableRawPointer?) {
    guard let pointer else { return }
    // A bad free is a bug in this guest: the heap refuses it untouched,
    // and the guest stops (crash) before anything worse happens. The
    // messages are literals: nothing may allocate here.
    switch GuestHeap.heap.free(pointer) {
    case .freed: return
    case .outsideHeap: stopAfterBadFree("guest heap: free of a pointer outside the heap\n")
    case .notAnAllocation: stopAfterBadFree("guest heap: free of a pointer the heap did not hand out\n")
    case .alreadyFree: stopAfterBadFree("guest heap: double free\n")
    }
}

private func stopAfterBadFree(_ message: StaticString) -> Never {
    ConsoleIO.write(message)
    SchedOp.shutdown(.crash)
}
