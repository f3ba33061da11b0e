/// The I/O ports one domain may use directly, in the form both vendors'
/// hardware reads: one bit per port, set = "this access exits" (Intel SDM
/// Vol. 3C, 25.1.3 and 24.6.4, I/O bitmaps A and B; AMD APM Vol. 2, 15.10.1,
/// the I/O permission map). Bit n is port n in both, so one 12 KiB block
/// serves either backend: VMX reads its first 8 KiB as bitmap A (ports
/// 0-7FFFh) and bitmap B (8000h-FFFFh); SVM reads all 12 KiB, the third
/// page covering the bytes of a multi-byte access that runs past FFFFh.
/// An access exits if any bit of the ports it touches is set.
///
/// Most domains have no bitmap of their own: every access exits, and
/// Core's port policy answers it (VMExitHandler.ioPort). Dom0 gets the
/// legacy ATA controller, whose disks it serves to the others (its blkback);
/// nobody else ever gets those ports.
final class IOPortBitmap {
    /// The legacy ATA controller (primary and secondary channel): command
    /// blocks 1F0h-1F7h and 170h-177h, device control 3F6h and 376h.
    static let legacyATAPorts: [ClosedRange<UInt16>] = [0x1F0...0x1F7, 0x3F6...0x3F6, 0x170...0x177, 0x376...0x376]

    static let byteCount = 3 * 4096

    /// What the hardware reads: page-aligned and contiguous.
    let bits: UnsafeMutableRawPointer
    /// The ranges the domain may use, as given.
    let directPorts: [ClosedRange<UInt16>]

    init(allowing ranges: [ClosedRange<UInt16>]) {
        bits = allocateZeroed(bytes: Self.byteCount, alignment: 4096)
        bits.initializeMemory(as: UInt8.self, repeating: 0xFF, count: Self.byteCount)
        directPorts = ranges
        for range in ranges {
            for port in range {
                let byte = bits.advanced(by: Int(port) / 8)
                let mask = ~UInt8(1 << (port % 8))
                byte.storeBytes(of: byte.load(as: UInt8.self) & mask, as: UInt8.self)
            }
        }
    }

    deinit { bits.deallocate() }

    /// Where the VMCS (I/O bitmap A, then B one page on) or the VMCB points.
    var machineAddress: UInt64 { physicalAddress(bits) }

    /// Whether an access of `size` bytes at `port` exits, as the hardware
    /// decides it.
    func intercepts(_ port: UInt16, size: Int = 1) -> Bool {
        (0..<size).contains { offset in
            let bit = Int(port) + offset
            return bits.load(fromByteOffset: bit / 8, as: UInt8.self) & (1 << (bit % 8)) != 0
        }
    }
}
