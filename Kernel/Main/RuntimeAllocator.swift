import Support

/// The allocator Embedded Swift calls for every class instance, array and
/// string: `posix_memalign` and `free` (C wrappers in Support/Runtime.c call
/// the two functions below), backed by a `HeapAllocator` over a
/// fixed arena in .bss (see Support.h). It exists before anything else, so
/// the rest of the boot can use ordinary Swift.
enum RuntimeAllocator {
    nonisolated(unsafe) static var heap = HeapAllocator(region: heap_arena_address(),
                                                        size: Int(heap_arena_size()))

    /// Builds the heap now rather than on the first allocation, so that a
    /// problem with the arena shows at a known point of the boot.
    static func initialize() {
        precondition(heap.bytesFree > 0, "the heap arena is empty")
    }
}

private let ENOMEM: CInt = 12
private let EINVAL: CInt = 22

@_cdecl("heap_allocate")
func heapAllocate(_ result: UnsafeMutablePointer<UnsafeMutableRawPointer?>,
                   _ alignment: Int, _ size: Int) -> CInt {
    guard alignment > 0, alignment & (alignment - 1) == 0 else { return EINVAL }
    guard let memory = RuntimeAllocator.heap.allocate(size: size, alignment: alignment) else {
        return ENOMEM
    }
    result.pointee = memory
    return 0
}

@_cdecl("heap_free")
func heapFree(_ pointer: UnsafeMutableRawPointer?) {
    guard let pointer else { return }
    // A bad free is a hypervisor bug: the heap refuses it without damage,
    // and we stop before anything worse happens.
    switch RuntimeAllocator.heap.free(pointer) {
    case .freed: return
    case .outsideHeap: MachineExit.exit(.panic, reason: "free of a pointer outside the heap")
    case .notAnAllocation: MachineExit.exit(.panic, reason: "free of a pointer the heap did not hand out")
    case .alreadyFree: MachineExit.exit(.panic, reason: "double free")
    }
}
