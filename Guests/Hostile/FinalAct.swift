import GuestSupport

/// How the hostile guest ends, chosen by its command line:
///   crash=ept     jump to guest-physical memory the hypervisor has not
///                 backed: the instruction fetch is a nested page fault
///                 (EPT/NPT violation) that, unlike a load or a store there
///                 (UnbackedMemoryChecks), cannot be emulated: the
///                 hypervisor must turn it into a crash of this domain;
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
    /// Longer than xtool's grace after a status line (EmulatorSession, 3 s).
    static let forgeryWait: UInt64 = 4_000_000_000

    static func perform(commandLine: GuestString?, allChecksPassed: Bool) -> Never {
        guard let crash = commandLine?.value(ofOption: "crash") else {
            endNormally(allChecksPassed)
        }
        if crash.equals("ept") {
            let unbacked = UnbackedMemoryChecks.aboveRAM
            print("hostile: crash=ept: jumping to unbacked guest-physical \(hex(unbacked, digits: 1))")
            ConsoleIO.flush()
            jump_to(unbacked)
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
