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
                           "null system call: SYSCALL from ring 3 to the guest kernel, SYSRET back")
        TimingRow.printRow("int80", values(softwareInterrupt),
                           "null system call: int 0x80 from ring 3 to the guest kernel, IRETQ back")
        TimingRow.printRow("user-page-fault", values(pageFault),
                           "ring-3 write to a page not present: #PF, the guest kernel maps it, IRETQ")
    }

    private static func ticks(_ body: () -> Void) -> UInt64 {
        let start = read_tsc()
        body()
        return read_tsc() &- start
    }
}
