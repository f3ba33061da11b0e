import XenPublic

/// The hypercall page: one 32-byte stub per hypercall number, written into
/// a guest page when the guest writes its address to the hypercall MSR.
/// Each stub is `mov $number, %eax; <vmcall or vmmcall>; ret`, so the guest
/// never needs to know which vendor it runs on.
enum HypercallPage {
    static func contents(hypercallInstruction: [UInt8]) -> [UInt8] {
        var page = [UInt8](repeating: 0xCC, count: 4096)      // int3 between stubs
        for number in 0..<Int(XEN_HYPERCALL_COUNT) {
            var stub: [UInt8] = [0xB8]                          // mov imm32, %eax
            stub += [UInt8(number & 0xFF), UInt8(number >> 8), 0, 0]
            stub += hypercallInstruction
            stub.append(0xC3)                                   // ret
            let offset = number * Int(XEN_HYPERCALL_STUB_SIZE)
            for (index, byte) in stub.enumerated() { page[offset + index] = byte }
        }
        return page
    }

    /// Installs the page for a write of `value` to the hypercall MSR: bits
    /// 63:12 are the guest-physical page, bits 11:0 the page index (only
    /// page 0 exists). Returns false for a value the guest may not use.
    static func install(value: UInt64, in domain: Domain, hypercallInstruction: [UInt8]) -> Bool {
        guard value & 0xFFF == 0 else { return false }
        guard domain.memory.hostAddress(of: value) != nil else { return false }
        guard domain.memory.write(contents(hypercallInstruction: hypercallInstruction), at: value) else {
            return false
        }
        domain.hypercallPage = value
        return true
    }
}
