import XenPublic

/// Random argument values, biased towards what makes a hypervisor take its
/// less travelled paths: pointers that are almost right (ending at a page
/// boundary, just past RAM), addresses no x86-64 CPU accepts, frame numbers
/// at both ends, domain IDs that exist, counts of 0, 1 and far too many.
struct ValueGenerator {
    var random: FuzzRandom
    let memory: FuzzMemory

    /// A pointer argument.
    mutating func pointer() -> UInt64 {
        let page: UInt64 = 4096
        let value: UInt64
        switch random.below(20) {
        case 0..<8: value = memory.arena + random.below(UInt64(FuzzMemory.pageCount) * page)
        case 8, 9:  value = memory.arena + (1 + random.below(UInt64(FuzzMemory.pageCount))) * page - random.below(17)
        case 10:    value = random.below(2) == 0 ? 0 : random.below(page)
        case 11:    value = memory.ramTop - random.below(64)
        case 12:    value = memory.ramTop + random.below(1 << 20)
        case 13:    value = 0x8000_0000_0000_0000 | random.next()              // non-canonical mostly
        case 14:    value = 0xFFFF_8000_0000_0000 | (random.next() & 0x7FFF_FFFF_FFFF)  // kernel half
        case 15:    value = 0x0000_7FFF_FFFF_F000 + random.below(page)         // the top of the lower half
        case 16:    value = UInt64.max - random.below(64)                       // wraps around
        case 17:    value = random.next()
        default:    value = UInt64(random.next() & 0xFFFF_FFFF)                  // a 32-bit guest's view
        }
        return memory.harmless(value)
    }

    /// A frame number (gpfn, gmfn, mfn).
    mutating func frame() -> UInt64 {
        switch random.below(10) {
        case 0..<3: return memory.sacrificialFrame + random.below(UInt64(FuzzMemory.pageCount))
        case 3:     return random.below(256)                                  // the low MiB
        case 4:     return 0xFFFFF - random.below(4)                          // the top of 4 GiB
        case 5:     return (1 << 20) + random.below(1 << 20)                  // just past it
        case 6:     return (memory.ramTop >> 12) + random.below(64)           // just past RAM
        case 7:     return UInt64.max - random.below(4)
        case 8:     return memory.harmless(random.next() >> random.below(64))
        default:    return memory.harmless(random.below(1 << 20))
        }
    }

    mutating func domainID() -> UInt64 {
        switch random.below(8) {
        case 0, 1: return UInt64(DOMID_SELF)
        case 2:    return 0
        case 3, 4: return 1 + random.below(8)
        case 5:    return UInt64(0x7FF0 + random.below(16))                  // the reserved IDs
        default:   return random.below(1 << 16)
        }
    }

    mutating func count() -> UInt64 {
        switch random.below(8) {
        case 0:    return 0
        case 1, 2: return 1
        case 3, 4: return 1 + random.below(16)
        case 5:    return random.below(4096)
        case 6:    return 1 << random.below(64)
        default:   return random.next()
        }
    }

    /// Any of the above, or plain noise: for struct fields whose meaning
    /// the fuzzer does not know, and for registers it fills at random.
    mutating func word() -> UInt64 {
        let value: UInt64
        switch random.below(8) {
        case 0: value = pointer()
        case 1: value = frame()
        case 2: value = domainID()
        case 3, 4: value = count()
        case 5: value = random.below(16)
        default: value = random.next()
        }
        return memory.harmless(value)
    }

    /// Fills `words` 64-bit fields at `address` (in the arena) with `word()`.
    mutating func fill(at address: UInt64, words: Int) {
        for index in 0..<words { memory.store(word(), at: address + UInt64(index) * 8) }
    }
}
