import GuestSupport
import XenPublic

/// Checks that the hypervisor keeps this vCPU's own state exactly, on both
/// vendors: XMM0-15 and CR2 across a hypercall and across time slices (when
/// the hypervisor, and other domains, ran in between), and the SYSCALL MSRs
/// with a real round trip to ring 3 and back.
///
/// The registers are filled and read back in assembly (RegisterState.S,
/// UserMode.S); the comparison is here. Each XMM register gets its own
/// 16-byte pattern from a seed, so a value that moved from one register to
/// another, or came from another domain with another seed, shows too.
enum StateChecks {
    static func run(_ tally: inout CheckTally) {
        registersAcrossHypercall(&tally)
        userModeRoundTrip(&tally)
        timeStampCounterAux(&tally)
    }

    /// TSC_AUX (MSR C0000103h), what RDTSCP returns in ECX: the guest's
    /// own on both vendors, wherever CPUID shows RDTSCP (80000001h EDX 27).
    static let timeStampCounterAuxMSR: UInt32 = 0xC000_0103

    static var hasRDTSCP: Bool {
        cpuid(0x8000_0000, 0).eax >= 0x8000_0001 && cpuid(0x8000_0001, 0).edx & (1 << 27) != 0
    }

    static func timeStampCounterAux(_ tally: inout CheckTally) {
        guard hasRDTSCP else { return tally.fail("TSC_AUX through RDTSCP", because: "CPUID shows no RDTSCP") }
        let value = UInt32(truncatingIfNeeded: freshSeed())
        msr_write(timeStampCounterAuxMSR, UInt64(value))
        tally.expect("TSC_AUX reads back", got: Int64(msr_read(timeStampCounterAuxMSR)), expected: Int64(value), inHex: true)
        tally.expect("RDTSCP returns TSC_AUX", got: Int64(read_tsc_aux_with_rdtscp()), expected: Int64(value), inHex: true)
    }

    /// A pattern for one run: different in every domain (the TSC at the
    /// time), never all zeros.
    static func freshSeed() -> UInt64 { read_tsc() | 1 }

    /// One bit per register that came back changed: bit i for XMMi, bit 16
    /// for CR2 (bit 17 is TSC_AUX, in the hold rounds). 0 means everything
    /// was kept.
    private static func changedRegisters(_ sent: RegisterImage, _ got: RegisterImage) -> Int64 {
        var mask: Int64 = 0
        for register in 0..<16 where sent.xmm(register) != got.xmm(register) { mask |= 1 << register }
        if sent.cr2 != got.cr2 { mask |= 1 << 16 }
        return mask
    }

    /// XMM0-15 and CR2 around xen_version(XENVER_extraversion): the
    /// hypervisor copies the string with its own (vectorized) memcpy.
    static func registersAcrossHypercall(_ tally: inout CheckTally) {
        let sent = RegisterImage(seed: freshSeed())
        let got = RegisterImage(seed: 0)
        let buffer = UnsafeMutableRawPointer.allocate(byteCount: 64, alignment: 16)
        registers_across_hypercall(sent.bytes, got.bytes, sent.cr2,
                                   HypercallPageSetup.stubAddress(UInt64(__HYPERVISOR_xen_version)),
                                   UInt64(XENVER_extraversion), Hypercall.argument(buffer))
        tally.expect("XMM0-15 and CR2 across a hypercall (changed-register mask)",
                     got: changedRegisters(sent, got), expected: 0, inHex: true)
    }

    /// Ring 3 and back: SYSCALL/SYSRET through the guest's own MSRs, and a
    /// hypercall from ring 3, which the hypervisor refuses (-EPERM).
    static func userModeRoundTrip(_ tally: inout CheckTally) {
        let results = UnsafeMutablePointer<UInt64>.allocate(capacity: 5)
        results.initialize(repeating: 0, count: 5)
        user_mode_round_trip(results, HypercallPageSetup.stubAddress(UInt64(__HYPERVISOR_xen_version)))
        tally.expect("LSTAR reads back", got: results[0] == 0 ? 0 : 1, expected: 1)
        tally.expect("SYSCALL from ring 3, SYSRET back (RAX 1 + 100)", got: Int64(bitPattern: results[1]), expected: 101)
        tally.expect("hypercall from ring 3", got: Int64(bitPattern: results[2]), expected: -Int64(XEN_EPERM))
        tally.expect("CS after SYSCALL", got: Int64(bitPattern: results[4]), expected: 0x08, inHex: true)
    }

    /// `rounds` times: keep a pattern in XMM0-15 and CR2 while `slices` new
    /// time slices begin (the hypervisor preempts this vCPU and may run
    /// other domains in between), then check it. One line per round, so a
    /// transcript shows the rounds of two such domains interleaved.
    static func holdRegisters(_ tally: inout CheckTally, rounds: UInt64) {
        guard let page = try? SharedInfoView.map() else {
            return tally.fail("registers held across time slices", because: "shared_info could not be mapped")
        }
        let version = UnsafeMutableRawPointer(page.vcpuInfo(0)).advanced(by: timeVersionOffset)
            .assumingMemoryBound(to: UInt32.self)
        let slicesPerRound: UInt64 = 3
        let got = RegisterImage(seed: 0)
        for round in 1...max(rounds, 1) {
            let sent = RegisterImage(seed: freshSeed())
            // TSC_AUX too: bit 17 of the mask (the other holder sets its own).
            let aux = UInt32(truncatingIfNeeded: sent.cr2 >> 7)
            if hasRDTSCP { msr_write(timeStampCounterAuxMSR, UInt64(aux)) }
            let seen = registers_held(sent.bytes, got.bytes, sent.cr2, version, slicesPerRound, maximumSpins)
            let auxChanged: Int64 = hasRDTSCP && read_tsc_aux_with_rdtscp() != aux ? 1 << 17 : 0
            print("hostile: hold round \(round) of \(rounds): \(seen) new time slices")
            tally.expect("XMM0-15, CR2 and TSC_AUX held across time slices (changed-register mask)",
                         got: changedRegisters(sent, got) | auxChanged, expected: 0, inHex: true)
            tally.expect("new time slices while holding", got: Int64(seen), expected: Int64(slicesPerRound))
        }
    }

    /// A bound on one round, so a hypervisor that never preempts shows as a
    /// failed check, not a hang: some seconds on QEMU, more on Bochs.
    private static let maximumSpins: UInt64 = 1 << 27

    /// struct vcpu_info: time at 32, and version first in vcpu_time_info.
    private static let timeVersionOffset = 32
}

/// XMM0-15 (16 x 16 bytes) and CR2 (8 bytes at 256), as RegisterState.S
/// reads and writes them.
struct RegisterImage {
    let bytes: UnsafeMutableRawPointer

    init(seed: UInt64) {
        bytes = UnsafeMutableRawPointer.allocate(byteCount: 264, alignment: 16)
        var value = seed
        for offset in stride(from: 0, to: 264, by: 8) {
            // xorshift: every 8 bytes differ, and so does every register.
            value ^= value << 13
            value ^= value >> 7
            value ^= value << 17
            bytes.storeBytes(of: seed == 0 ? 0 : value, toByteOffset: offset, as: UInt64.self)
        }
    }

    func xmm(_ index: Int) -> (low: UInt64, high: UInt64) {
        (bytes.load(fromByteOffset: index * 16, as: UInt64.self),
         bytes.load(fromByteOffset: index * 16 + 8, as: UInt64.self))
    }

    /// CR2 holds a linear address; any 64-bit value can be written to it.
    var cr2: UInt64 { bytes.load(fromByteOffset: 256, as: UInt64.self) }
}
