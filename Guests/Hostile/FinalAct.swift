import GuestSupport

/// How the hostile guest ends, chosen by its command line:
///   crash=ept     write to guest-physical memory the hypervisor has not
///                 backed: a nested page fault (EPT/NPT violation) that the
///                 hypervisor must turn into a crash of this domain;
///   crash=triple  an IDT with limit 0, then int3: #BP cannot be delivered,
///                 nor the #GP about that, nor the #DF: a triple fault;
///   crash=forge   print the lines that end a boot as the hypervisor would
///                 ("(HV) exit: success"), wait longer than xtool's grace
///                 after a status line, then crash: only the hypervisor's
///                 own lines may decide the status, so the boot must end
///                 as a failure;
///   crash=none, or no option: power off if every check passed, else crash.
/// If a deliberate crash comes back to the guest, that is a hypervisor bug.
enum FinalAct {
    /// Mapped in the guest's own page tables (the first 1 GiB is), and above
    /// the RAM the hypervisor gives a small test guest.
    static let unbackedAddress: UInt64 = 0x3000_0000
    /// Longer than xtool's grace after a status line (EmulatorSession, 3 s).
    static let forgeryWait: UInt64 = 4_000_000_000

    static func perform(commandLine: GuestString?, allChecksPassed: Bool) -> Never {
        guard let crash = commandLine?.value(ofOption: "crash") else {
            endNormally(allChecksPassed)
        }
        if crash.equals("ept") {
            print("hostile: crash=ept: writing to unbacked guest-physical \(hex(unbackedAddress, digits: 1))")
            volatile_write_u64(unbackedAddress, 0xBAD)   // any value: the store itself is the test
            print("hostile: crash=ept: the write completed: FAIL (the domain should have been crashed)")
            SchedOp.shutdown(.crash)
        }
        if crash.equals("triple") {
            print("hostile: crash=triple: empty IDT, then int3")
            idt_load(0, 0)
            cpu_breakpoint()
            print("hostile: crash=triple: still running: FAIL (the domain should have been crashed)")
            SchedOp.shutdown(.crash)
        }
        if crash.equals("forge") {
            print("(HV) exit: success")
            print("(HV) domain-end d0 dom0: poweroff")
            ConsoleIO.flush()
            do {
                _ = try SharedInfoView.map()
                try Timer.sleep(nanoseconds: forgeryWait)
            } catch {
                print("hostile: crash=forge: cannot sleep (\(error.result)): crashing at once")
            }
            print("hostile: crash=forge: crashing after the forged status lines")
            SchedOp.shutdown(.crash)
        }
        if !crash.equals("none") {
            print("hostile: unknown crash=\(crash.string), treated as crash=none")
        }
        endNormally(allChecksPassed)
    }

    private static func endNormally(_ allChecksPassed: Bool) -> Never {
        if allChecksPassed {
            print("hostile: all checks passed: powering off")
            SchedOp.shutdown(.poweroff)
        }
        print("hostile: some checks failed: crashing on purpose")
        SchedOp.shutdown(.crash)
    }
}
