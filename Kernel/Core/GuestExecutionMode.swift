/// The two facts about a vCPU's mode a hypercall needs before anything
/// else: who is calling (only ring 0 may), and which register convention
/// and struct layouts apply (64-bit in long mode, 32-bit compat outside).
/// Smaller than `GuestControlState`, so the backend reads two fields, not
/// eight, on every hypercall.
struct GuestExecutionMode {
    /// Current privilege level (0 = guest kernel).
    var privilegeLevel: UInt8
    /// EFER.LMA.
    var longModeActive: Bool
}
