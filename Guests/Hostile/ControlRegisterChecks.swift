import GuestSupport

/// MOV to CR4, answered as a CPU without the hidden features would: #GP(0)
/// for a reserved bit, for the bit of a feature this guest is not shown
/// (CPUID hides VMX and XSAVE, so VMXE and OSXSAVE), and for clearing PAE
/// in long mode; a valid write still works. On SVM the hypervisor checks
/// every CR4 write (before, a reserved bit made the next VMRUN fail); on
/// VMX the writes that set a bit guests may not set.
enum ControlRegisterChecks {
    private static let physicalAddressExtension: UInt64 = 1 << 5
    private static let unmaskedSIMDExceptions: UInt64 = 1 << 10    // OSXMMEXCPT
    private static let vmxEnable: UInt64 = 1 << 13
    private static let xsaveEnable: UInt64 = 1 << 18                // OSXSAVE

    static func run(_ tally: inout CheckTally) {
        let original = read_cr4()
        tally.expect("MOV to CR4 with reserved bit 31: #GP error code",
                     got: generalProtection(writing: original | (1 << 31), restoring: original), expected: 0)
        tally.expect("MOV to CR4 with VMXE: #GP error code",
                     got: generalProtection(writing: original | vmxEnable, restoring: original), expected: 0)
        tally.expect("MOV to CR4 with OSXSAVE: #GP error code",
                     got: generalProtection(writing: original | xsaveEnable, restoring: original), expected: 0)
        tally.expect("MOV to CR4 clearing PAE in long mode: #GP error code",
                     got: generalProtection(writing: original & ~physicalAddressExtension, restoring: original),
                     expected: 0)

        // Unmasked SIMD exceptions off and on again: harmless while MXCSR
        // masks them all (Entry.S).
        let without = original & ~unmaskedSIMDExceptions
        tally.expect("MOV to CR4 clearing OSXMMEXCPT, read back",
                     got: Int64(bitPattern: readBack(afterWriting: without)), expected: Int64(bitPattern: without), inHex: true)
        tally.expect("MOV to CR4 setting OSXMMEXCPT again, read back",
                     got: Int64(bitPattern: readBack(afterWriting: original)), expected: Int64(bitPattern: original), inHex: true)
    }

    /// The #GP's error code, or -1 if the write did not fault; then CR4 is
    /// put back, so the next check starts from the same value.
    private static func generalProtection(writing value: UInt64, restoring original: UInt64) -> Int64 {
        var errorCode: UInt64 = 0
        if write_cr4_catching_gp(value, &errorCode) != 0 { return Int64(bitPattern: errorCode) }
        _ = write_cr4_catching_gp(original, &errorCode)
        return -1
    }

    /// CR4 after writing `value`; a #GP leaves it as it was, which shows.
    private static func readBack(afterWriting value: UInt64) -> UInt64 {
        var errorCode: UInt64 = 0
        _ = write_cr4_catching_gp(value, &errorCode)
        return read_cr4()
    }
}
