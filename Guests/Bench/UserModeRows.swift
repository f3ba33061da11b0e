import GuestSupport

/// The rows a guest kernel serves its own ring 3 (no hypervisor on the
/// path, unless it intercepts them): each is a ring-3 loop, one round trip
/// per iteration, against the same loop with no operation in it.
enum UserModeRows {
    /// UserModeEntry.S's operation numbers.
    private static let empty: UInt64 = 0, systemCall: UInt64 = 1, softwareInterrupt: UInt64 = 2, pageFault: UInt64 = 3

    static func run(_ timing: TimingRow) {
        UserModeSetup.install()
        let window = UserModeSetup.windowPageTable
        func values(_ operation: UInt64) -> [UInt64] {
            timing.batchValues(
                baseline: { ticks { user_mode_run(empty, timing.iterations, window) } },
                operation: { ticks { user_mode_run(operation, timing.iterations, window) } })
        }
        TimingRow.printRow("syscall", values(systemCall),
                           "SYSCALL from the guest's ring 3 to its kernel, SYSRET back (null system call)")
        TimingRow.printRow("int80", values(softwareInterrupt),
                           "int 0x80 from the guest's ring 3 to its kernel, IRETQ back (null system call)")
        TimingRow.printRow("user-page-fault", values(pageFault),
                           "ring-3 write to a page not present: #PF to the guest kernel, which maps it (and unmaps another, INVLPG), IRETQ, the write retried")
    }

    private static func ticks(_ body: () -> Void) -> UInt64 {
        let start = read_tsc()
        body()
        return read_tsc() &- start
    }
}
