/// What a bench guest's TSC tick is on each machine: the unit the table,
/// the CSV and the chart's axis name.
///
/// - QEMU with `--icount` (`-icount shift=0`): the TSC advances one tick
///   per executed instruction, guest and hypervisor together, so a tick is
///   an instruction, exactly and on every run alike.
/// - QEMU without it: TCG's TSC follows the host's clock, so ticks are
///   host time, scaled; they vary from run to run.
/// - Bochs: its TSC is its own tick counter, which advances once per
///   emulated instruction (and jumps ahead over a HLT to the next timer
///   event); `ips=` only says how many of those ticks make an emulated
///   second. With `clock: sync=none`, as xtool's bochsrc has it, emulated
///   time never looks at the host's, so the counts repeat from run to run;
///   the repeat check runs there too and says so if they do not. The bench
///   runs Bochs with `bochsInstructionsPerSecond`.
/// - KVM: the real TSC, cycles of the host's TSC frequency.
public enum BenchUnit {
    /// `ips=` for the bench's Bochs runs: one instruction per emulated
    /// nanosecond, as under QEMU's `-icount shift=0`. At Bochs' default of
    /// 4 million the hypervisor's 10 ms slice is 40,000 instructions, so a
    /// batch of 1,000 exits (about 400,000) holds some ten slice ends, and
    /// their timer exits and scheduling were counted into every row, a few
    /// instructions more or less per exit from one build to the next.
    public static let bochsInstructionsPerSecond = 1_000_000_000

    /// The unit's name, as the table's unit column and the CSV show it.
    public static func label(machine: Machine, icount: Bool) -> String {
        switch machine {
        case .qemu, .auto: icount ? "instructions" : "TSC ticks"
        case .bochs: "TSC ticks"
        case .kvm: "cycles"
        }
    }

    /// What that unit is on this machine, in a sentence: printed above the
    /// table and under the chart's axis.
    public static func explanation(machine: Machine, icount: Bool) -> String {
        switch machine {
        case .qemu, .auto:
            icount ? "instructions: QEMU -icount shift=0 advances the TSC one tick per executed instruction (guest and hypervisor)"
                : "TSC ticks: QEMU TCG's TSC follows the host's clock; not instructions, not cycles, not repeatable"
        case .bochs:
            "TSC ticks: Bochs' TSC advances one tick per emulated instruction (clock: sync=none, so runs repeat; ips=\(bochsInstructionsPerSecond), so an instruction is an emulated nanosecond)"
        case .kvm:
            "cycles: the host's real TSC under KVM"
        }
    }

    /// Whether two runs must give the same numbers: the clock counts
    /// instructions and nothing else.
    public static func isDeterministic(machine: Machine, icount: Bool) -> Bool {
        machine == .bochs || (machine == .qemu && icount)
    }
}
