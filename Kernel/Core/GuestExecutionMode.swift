/// The two facts about a vCPU's mode a hypercall needs before anything
/// else: who is calling (only ring 0 may), and which register convention
/// and struct layouts apply (64-bit in long mode, 32-bit compat outside).
/// The backend reads them as it decodes a hypercall exit (VMExitReason):
/// two fields, not the eight of `GuestControlState`, and no extra call.
struct GuestExecutionMode {
    /// Current privilege level (0 = guest kernel).
    var privilegeLevel: UInt8
    /// EFER.LMA.
    var longModeActive: Bool
}
