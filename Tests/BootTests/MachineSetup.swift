import XToolKit

/// One of the machines every boot scenario runs on, and the one word its
/// banner must show (the backend the hypervisor picked from CPUID).
struct MachineSetup {
    var machine: Machine
    /// nil: the machine's default.
    var cpuModel: String?
    /// `(HV) SVM: on` or `(HV) VMX: on`: with the colon, so "VMX absent, SVM
    /// available" does not count.
    var backendWord: String
    /// Seconds before the boot is stopped: enough for a slow CI machine,
    /// short enough that a hang (a spinner nobody stops) fails soon.
    var timeout: Double
    /// The never-ending domain of the domain scenario. Bochs' SVM does not
    /// take a timer exit from a guest spinning with interrupts off (an
    /// emulator bug; QEMU and Bochs' VMX do), so there it spins with IF=1.
    var spinnerConfig = "spinner.cfg"

    /// QEMU's TCG: AMD SVM with nested paging.
    static let qemu = MachineSetup(machine: .qemu, cpuModel: nil, backendWord: BootExpectations.svmBanner, timeout: 30)
    /// Bochs as an Intel Skylake-X: VMX with EPT and unrestricted guest.
    static let bochsVMX = MachineSetup(machine: .bochs, cpuModel: "corei7_skylake_x", backendWord: BootExpectations.vmxBanner, timeout: 90)
    /// Bochs as an AMD Ryzen: SVM with NPT, a second SVM implementation.
    static let bochsSVM = MachineSetup(machine: .bochs, cpuModel: "ryzen", backendWord: BootExpectations.svmBanner, timeout: 90,
                                       spinnerConfig: "spinner-sti.cfg")

    var name: String { cpuModel.map { "\(machine.rawValue) \($0)" } ?? machine.rawValue }
}
