import GuestSupport

/// The virtual local APIC, as a guest finds it: CPUID shows the APIC and
/// x2APIC, IA32_APIC_BASE says it is on in x2APIC mode (this is vCPU 0, the
/// bootstrap processor), its registers answer as x2APIC MSRs, and what
/// x2APIC mode forbids is #GP(0): a WRMSR to the read-only ID, an RDMSR of
/// the write-only EOI register, and leaving x2APIC mode. The checks leave
/// the APIC as they found it (TPR 0, nothing pending).
enum LocalAPICChecks {
    static let apicBase: UInt32 = 0x1B
    static let x2APICID: UInt32 = 0x802
    static let version: UInt32 = 0x803
    static let taskPriority: UInt32 = 0x808
    static let processorPriority: UInt32 = 0x80A
    static let endOfInterrupt: UInt32 = 0x80B

    static func run(_ tally: inout CheckTally) {
        let leaf1 = cpuid(1, 0)
        let shown = (leaf1.edx >> 9 & 1) << 1 | (leaf1.ecx >> 21 & 1)
        tally.expect("CPUID 1: APIC and x2APIC (2 + 1)", got: Int64(shown), expected: 3)
        tally.expect("IA32_APIC_BASE: 0xFEE00000, x2APIC mode, enabled, BSP",
                     got: Int64(msr_read(apicBase)), expected: 0xFEE0_0D00, inHex: true)
        tally.expect("x2APIC version", got: Int64(msr_read(version)), expected: 0x5_0014, inHex: true)
        tally.expect("x2APIC ID is CPUID 0xB's", got: Int64(msr_read(x2APICID)), expected: Int64(cpuid(0xB, 0).edx))

        msr_write(taskPriority, 0x20)
        tally.expect("x2APIC PPR follows the TPR", got: Int64(msr_read(processorPriority)), expected: 0x20, inHex: true)
        msr_write(taskPriority, 0)

        tally.expect("WRMSR to the x2APIC ID: #GP error code", got: writeFaults(x2APICID, 1), expected: 0)
        tally.expect("RDMSR of the x2APIC EOI register: #GP error code", got: readFaults(endOfInterrupt), expected: 0)
        tally.expect("WRMSR to IA32_APIC_BASE leaving x2APIC mode: #GP error code",
                     got: writeFaults(apicBase, 0xFEE0_0900), expected: 0)
    }

    /// The #GP's error code, or -1 if the WRMSR did not fault.
    private static func writeFaults(_ msr: UInt32, _ value: UInt64) -> Int64 {
        var errorCode: UInt64 = 0
        return msr_write_catching_gp(msr, value, &errorCode) != 0 ? Int64(bitPattern: errorCode) : -1
    }

    /// The #GP's error code, or -1 if the RDMSR did not fault.
    private static func readFaults(_ msr: UInt32) -> Int64 {
        var value: UInt64 = 0
        var errorCode: UInt64 = 0
        return msr_read_catching_gp(msr, &value, &errorCode) != 0 ? Int64(bitPattern: errorCode) : -1
    }
}
