/// Where `xtool boot` runs the hypervisor.
public enum Machine: String, CaseIterable, Sendable {
    /// QEMU's TCG emulator: SVM with nested paging, fast to boot.
    case qemu
    /// Bochs from a GRUB ISO: VMX with EPT and unrestricted guest.
    case bochs
    /// QEMU with KVM: real VMX or SVM, needs nested virtualization on the host.
    case kvm
    /// kvm where nested virtualization really works, else qemu.
    case auto

    /// Bochs is much slower than QEMU, so it gets more time.
    public var defaultTimeout: Double {
        self == .bochs ? 180 : 30
    }
}
