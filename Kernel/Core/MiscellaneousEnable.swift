/// IA32_MISC_ENABLE (MSR 0x1A0): a grab bag of Intel processor switches.
/// It exists on every Intel processor with long mode, so 64-bit kernels
/// read it without asking CPUID first; Linux does so before it has an IDT
/// (to clear "XD disable"), where a #GP would be a triple fault.
///
/// Guests get one fixed value, the same on every vendor: fast strings on,
/// branch trace store and PEBS unavailable (there are no performance
/// facilities), and everything else off, XD disable included. A write of
/// that same value is accepted; a write that would change it is #GP, as Xen
/// does, since none of its switches is the guest's to turn.
enum MiscellaneousEnable {
    static let msr: UInt32 = 0x1A0
    static let value: UInt64 = 1 << 0 | 1 << 11 | 1 << 12
}
