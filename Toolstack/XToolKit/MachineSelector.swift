import Foundation

/// Resolves `--machine auto`.
///
/// KVM is only useful here if the hypervisor we boot can itself use VMX or SVM,
/// i.e. the host offers nested virtualization. A /dev/kvm alone proves nothing:
/// some hosts expose a paravirtual KVM whose guests see neither VMX nor SVM.
public enum MachineSelector {
    /// - Parameter needsTCG: the boot needs QEMU's emulation (--icount), so auto means qemu.
    public static func choose(_ requested: Machine, facts: HostFacts, needsTCG: Bool = false) -> MachineChoice {
        guard requested == .auto else {
            return MachineChoice(machine: requested, reason: "as requested")
        }
        if needsTCG {
            return MachineChoice(machine: .qemu, reason: "--icount needs QEMU's TCG")
        }
        if let problem = kvmProblem(facts) {
            return MachineChoice(machine: .qemu, reason: "no nested virtualization here: \(problem)")
        }
        let flags = facts.cpuFlags
        let vendor = flags.contains("vmx") ? "vmx" : "svm"
        let module = vendor == "vmx" ? "kvm_intel" : "kvm_amd"
        return MachineChoice(machine: .kvm, reason: "/dev/kvm works, the CPU has \(vendor) and \(module) has nested=Y")
    }

    /// Why KVM cannot run the hypervisor, or nil if it can.
    static func kvmProblem(_ facts: HostFacts) -> String? {
        guard facts.kvmDeviceExists else {
            return "/dev/kvm does not exist"
        }
        if let problem = facts.kvmDeviceProblem {
            return "/dev/kvm cannot be opened (\(problem))"
        }
        let flags = facts.cpuFlags
        let nested: String?
        let module: String
        if flags.contains("vmx") {
            (nested, module) = (facts.intelNested, "kvm_intel")
        } else if flags.contains("svm") {
            (nested, module) = (facts.amdNested, "kvm_amd")
        } else {
            return "/proc/cpuinfo has neither vmx nor svm"
        }
        guard let nested else {
            return "\(module) is not loaded, so nested virtualization is off"
        }
        let value = nested.trimmingCharacters(in: .whitespacesAndNewlines)
        guard value == "Y" || value == "y" || value == "1" else {
            return "\(module)'s nested parameter is \(value.isEmpty ? "empty" : value)"
        }
        return nil
    }
}
