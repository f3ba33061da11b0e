/// What the boot tests expect to see on the serial console. Kept in one place
/// so the kernel side can adjust the strings as its messages settle.
enum BootExpectations {
    /// Every hypervisor line starts with this.
    static let linePrefix = "(HV)"
    /// A banner line on QEMU comes from the AMD backend ("(HV) SVM: on")...
    /// (with the colon, so "VMX absent, SVM available" does not count).
    static let qemuBackend = "SVM:"
    /// ...and on Bochs from the Intel one ("(HV) VMX: on").
    static let bochsBackend = "VMX:"

    /// The command line that makes the hypervisor fault on purpose.
    static let faultCmdline = "console=com1 test_fault=invalid_opcode"
    /// Words a panic report must contain (the transcript is searched, case-sensitive).
    static let panicWords = ["panic", "RIP"]
}
