import Support

/// What CPUID says about this processor, read once at boot.
/// Leaf numbers and bits: Intel SDM Vol. 2A (CPUID), AMD APM Vol. 3 (E.4).
struct CPUFeatures {
    enum Vendor { case intel, amd, other }

    var vendorName: String
    var vendor: Vendor
    var brand: String
    /// CPUID.1:ECX[5]
    var hasVMX: Bool
    /// CPUID.80000001h:ECX[2]
    var hasSVM: Bool

    static func read() -> CPUFeatures {
        let leaf0 = cpuid(0, 0)
        let vendorName = string(fromRegisters: [leaf0.ebx, leaf0.edx, leaf0.ecx])
        let vendor: Vendor = switch vendorName {
        case _ where vendorName.utf8.elementsEqual("GenuineIntel".utf8): .intel
        case _ where vendorName.utf8.elementsEqual("AuthenticAMD".utf8): .amd
        default: .other
        }
        let leaf1 = cpuid(1, 0)
        let maximumExtendedLeaf = cpuid(0x8000_0000, 0).eax
        let extended1 = maximumExtendedLeaf >= 0x8000_0001 ? cpuid(0x8000_0001, 0).ecx : 0
        return CPUFeatures(
            vendorName: vendorName,
            vendor: vendor,
            brand: maximumExtendedLeaf >= 0x8000_0004 ? brandString() : "",
            hasVMX: leaf1.ecx & (1 << 5) != 0,
            hasSVM: extended1 & (1 << 2) != 0)
    }

    /// Leaves 80000002h..80000004h hold 48 bytes of brand text.
    private static func brandString() -> String {
        var registers: [UInt32] = []
        for leaf: UInt32 in 0x8000_0002...0x8000_0004 {
            let r = cpuid(leaf, 0)
            registers += [r.eax, r.ebx, r.ecx, r.edx]
        }
        return string(fromRegisters: registers)
    }

    private static func string(fromRegisters registers: [UInt32]) -> String {
        var bytes: [UInt8] = []
        for register in registers {
            for shift in stride(from: 0, to: 32, by: 8) {
                let byte = UInt8(truncatingIfNeeded: register >> UInt32(shift))
                if byte != 0 { bytes.append(byte) }
            }
        }
        while bytes.last == UInt8(ascii: " ") { bytes.removeLast() }
        while bytes.first == UInt8(ascii: " ") { bytes.removeFirst() }
        return String(decoding: bytes, as: UTF8.self)
    }
}
