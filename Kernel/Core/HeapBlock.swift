/// A view of one block header inside the heap region.
///
/// Every block, free or allocated, starts with this 32-byte header, and the
/// blocks tile the region with no gaps, so the header after a block is at
/// `address + size` and the one before at `address - previousSize` (boundary
/// tags: both neighbours are found in O(1) for coalescing).
///
///     offset  0  size          whole block, header included, multiple of 16
///     offset  8  previousSize  size of the block just below, 0 for the first
///     offset 16  tag           state magic XOR the header's own address
///     offset 24  (padding, keeps payloads 16-byte aligned)
///     offset 32  payload; in a free block it starts with the free-list
///                links: next free at 32, previous free at 40 (0 = none)
///
/// Mixing the address into the tag means a header copied or left over at
/// another address does not look valid there.
struct HeapBlock {
    static let headerSize: UInt = 32
    private static let allocatedMagic: UInt = 0xA110_C8ED_B10C_4EAD
    private static let freeMagic: UInt = 0xF4EE_B10C_F4EE_0000

    let address: UInt

    init(address: UInt) {
        self.address = address
    }

    init(payload: UnsafeMutableRawPointer) {
        address = UInt(bitPattern: payload) - HeapBlock.headerSize
    }

    var payload: UnsafeMutableRawPointer {
        pointer(at: HeapBlock.headerSize)
    }

    var end: UInt { address + size }

    var size: UInt {
        get { load(at: 0) }
        nonmutating set { store(newValue, at: 0) }
    }

    var previousSize: UInt {
        get { load(at: 8) }
        nonmutating set { store(newValue, at: 8) }
    }

    var isAllocated: Bool { load(at: 16) == HeapBlock.allocatedMagic ^ address }
    var isFree: Bool { load(at: 16) == HeapBlock.freeMagic ^ address }

    func markAllocated() { store(HeapBlock.allocatedMagic ^ address, at: 16) }
    func markFree() { store(HeapBlock.freeMagic ^ address, at: 16) }

    /// Address of the next block on the free list, 0 at the end.
    var nextFree: UInt {
        get { load(at: 32) }
        nonmutating set { store(newValue, at: 32) }
    }

    var previousFree: UInt {
        get { load(at: 40) }
        nonmutating set { store(newValue, at: 40) }
    }

    private func pointer(at offset: UInt) -> UnsafeMutableRawPointer {
        UnsafeMutableRawPointer(bitPattern: address + offset).unsafelyUnwrapped
    }

    private func load(at offset: UInt) -> UInt {
        pointer(at: offset).load(as: UInt.self)
    }

    private func store(_ value: UInt, at offset: UInt) {
        pointer(at: offset).storeBytes(of: value, as: UInt.self)
    }
}
