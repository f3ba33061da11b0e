import XenPublic

/// vcpu_op(cmd, vcpuid, arg): per-vCPU operations.
/// - VCPUOP_set_singleshot_timer, arg = struct vcpu_set_singleshot_timer
///   (16 bytes; a 32-bit guest's compat one is 12, the same fields without
///   the tail padding): arms the timer for an absolute system time; a time
///   already past fires at once, or is -ETIME with VCPU_SSHOTTMR_future;
/// - VCPUOP_stop_singleshot_timer: disarms it;
/// - VCPUOP_stop_periodic_timer: there is no periodic timer, so there is
///   nothing to stop: 0 (Linux stops it before using the one-shot one);
/// - VCPUOP_register_runstate_memory_area, arg = struct
///   vcpu_register_runstate_memory_area: where to keep the vCPU's
///   vcpu_runstate_info (VCPURunstate);
/// - VCPUOP_register_vcpu_info, arg = struct vcpu_register_vcpu_info
///   (the same for 32-bit guests): moves the vCPU's vcpu_info into the
///   guest's own RAM (Domain+VCPUInfo.swift).
/// Checks in Xen's order: other commands -ENOSYS (what Xen gives a PVH
/// guest for the ones it does not offer), a vCPU the domain lacks -ENOENT,
/// an unreadable arg -EFAULT. The timers act on the calling vCPU only
/// (another is -EINVAL); vcpu_info may be placed for any of the domain's.
enum VCPUOpHypercall {
    @Sendable static func handle(_ call: HypercallArguments, _ context: HypercallContext) throws(HypercallError) -> UInt64 {
        guard let command = call.command else { throw .notImplemented }
        let operation = Int32(bitPattern: command)
        switch operation {
        case VCPUOP_set_singleshot_timer, VCPUOP_stop_singleshot_timer, VCPUOP_stop_periodic_timer,
             VCPUOP_register_vcpu_info, VCPUOP_register_runstate_memory_area:
            break
        default:
            throw .notImplemented
        }
        // vcpuid is an unsigned int in Xen's interface.
        let index = Int(UInt32(truncatingIfNeeded: call.second))
        guard index < context.domain.vcpus.count else { throw .noSuchEntry }
        let target = context.domain.vcpus[index]
        if operation == VCPUOP_register_vcpu_info {
            return try registerVCPUInfo(of: target, argument: call.third, context)
        }
        if operation == VCPUOP_register_runstate_memory_area {
            return try registerRunstateArea(of: target, argument: call.third, context)
        }
        guard target === context.vcpu else { throw .invalidArgument }

        switch operation {
        case VCPUOP_stop_singleshot_timer:
            context.vcpu.timers.singleShotDeadline = nil
            return 0
        case VCPUOP_stop_periodic_timer:
            return 0
        default:
            break
        }
        let request = try readTimerRequest(at: call.third, context.guest)
        if request.flags & UInt32(VCPU_SSHOTTMR_future) != 0 && request.timeout_abs_ns < SystemTime.now() {
            throw .timeInPast
        }
        context.vcpu.timers.singleShotDeadline = request.timeout_abs_ns
        return 0
    }

    /// Where the guest wants `target`'s runstate kept (0: nowhere). The area
    /// is written at once, with the caller's page tables, so a bad address
    /// is -EFAULT now rather than an update lost later; Xen takes any vCPU
    /// of the domain here, and so does this.
    private static func registerRunstateArea(of target: VCPU, argument: UInt64,
                                             _ context: HypercallContext) throws(HypercallError) -> UInt64 {
        let request = try context.guest.read(vcpu_register_runstate_memory_area.self, at: argument)
        let address = context.guest.state.longModeActive ? request.addr : request.addr & 0xFFFF_FFFF
        guard address != 0 else {
            target.runstate.area = nil
            return 0
        }
        let previous = target.runstate.area
        target.runstate.area = address
        do {
            try context.domain.writeRunstateArea(of: target, guest: context.guest)
        } catch {
            target.runstate.area = previous
            throw error
        }
        return 0
    }

    /// The caller's struct vcpu_set_singleshot_timer; a 32-bit guest's
    /// (compat_vcpu_set_singleshot_timer, 12 bytes) widened to it.
    private static func readTimerRequest(at address: UInt64,
                                         _ guest: GuestMemory) throws(HypercallError) -> vcpu_set_singleshot_timer {
        guard !guest.state.longModeActive else { return try guest.read(vcpu_set_singleshot_timer.self, at: address) }
        let compat = try guest.read(compat_vcpu_set_singleshot_timer.self, at: address)
        return vcpu_set_singleshot_timer(timeout_abs_ns: compat.timeout_abs_ns, flags: compat.flags)
    }

    private static func registerVCPUInfo(of vcpu: VCPU, argument: UInt64,
                                         _ context: HypercallContext) throws(HypercallError) -> UInt64 {
        let request = try context.guest.read(vcpu_register_vcpu_info.self, at: argument)
        let (frame, offset, reserved) = (request.mfn, request.offset, request.rsvd)
        let size = UInt32(MemoryLayout<vcpu_info>.size)
        guard reserved == 0, offset <= 4096 - size, vcpu.registeredVCPUInfo == nil,
              frame < UInt64(DomainMemory.frameLimit), context.domain.memory.hostFrame(of: frame) != nil else {
            throw .invalidArgument
        }
        context.domain.moveVCPUInfo(of: vcpu, to: frame * 4096 + UInt64(offset), clock: SystemTime.clock)
        return 0
    }
}
