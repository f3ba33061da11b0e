import XenPublic

/// vcpu_op(cmd, vcpuid, arg): per-vCPU operations. The subset here is the
/// one-shot timer, which a vCPU sets for itself:
/// - VCPUOP_set_singleshot_timer, arg = struct vcpu_set_singleshot_timer
///   { timeout_abs_ns 0, flags 8 } (the same for 32-bit guests): arms the
///   timer for an absolute system time; a time already past fires at once,
///   or is -ETIME with VCPU_SSHOTTMR_future;
/// - VCPUOP_stop_singleshot_timer: disarms it.
/// Checks in Xen's order: other commands -ENOSYS (what Xen gives a PVH
/// guest for the ones it does not offer), a vCPU the domain lacks -ENOENT,
/// another vCPU than the caller -EINVAL, an unreadable arg -EFAULT.
enum VCPUOpHypercall {
    static func handle(_ call: HypercallArguments, _ context: HypercallContext) throws(HypercallError) -> UInt64 {
        guard let command = call.command else { throw .notImplemented }
        let operation = Int32(bitPattern: command)
        guard operation == VCPUOP_set_singleshot_timer || operation == VCPUOP_stop_singleshot_timer else {
            throw .notImplemented
        }
        // vcpuid is an unsigned int in Xen's interface.
        let index = Int(UInt32(truncatingIfNeeded: call.second))
        guard index < context.domain.vcpus.count else { throw .noSuchEntry }
        guard context.domain.vcpus[index] === context.vcpu else { throw .invalidArgument }

        if operation == VCPUOP_stop_singleshot_timer {
            context.vcpu.timers.singleShotDeadline = nil
            return 0
        }
        let bytes = try context.guest.read(from: call.third, count: 12)
        let timeout = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 0, as: UInt64.self) }
        let flags = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 8, as: UInt32.self) }
        if flags & UInt32(VCPU_SSHOTTMR_future) != 0 && timeout < SystemTime.now() {
            throw .timeInPast
        }
        context.vcpu.timers.singleShotDeadline = timeout
        return 0
    }
}
