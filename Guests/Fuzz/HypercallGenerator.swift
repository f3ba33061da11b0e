import GuestSupport
import XenPublic

/// Makes one random hypercall: a number (mostly one the hypervisor
/// implements), a sub-op (mostly a real one), and arguments from the
/// `ValueGenerator`, with the structures they point at filled in the arena.
///
/// Three kinds of call are shaped so that the fuzzer never ends or stops
/// itself on purpose, which would end the campaign without a finding:
/// SCHEDOP_shutdown and remote_shutdown are never made, nor VCPUOP_down;
/// SCHEDOP_block and SCHEDOP_poll are preceded by a one-shot timer 1 ms
/// ahead, so they always return. And two so that it cannot overwrite
/// itself through the hypervisor: grant_table_op batches fit in the arena,
/// and its grant-table frames are never mapped over the arena. Everything
/// else is fair game.
struct HypercallGenerator {
    var values: ValueGenerator
    let clock: FuzzClock

    /// A hypercall as made: number and five arguments.
    struct Call {
        var number: UInt64
        var arguments: (UInt64, UInt64, UInt64, UInt64, UInt64)
    }

    private var memory: FuzzMemory { values.memory }

    mutating func makeCall() -> (Call, Int64) {
        let call = nextCall()
        let (a1, a2, a3, a4, a5) = call.arguments
        let result = call.number < UInt64(XEN_HYPERCALL_COUNT)
            ? Hypercall.call(call.number, a1, a2, a3, a4, a5)
            : Hypercall.callDirect(call.number, a1, a2, a3, a4, a5)
        return (call, result)
    }

    // The choices below are static: the loop must not allocate (GuestKit's
    // heap never frees, and a campaign makes a million calls).
    private static let scheduleCommands: [UInt64] = [UInt64(SCHEDOP_yield), UInt64(SCHEDOP_block),
                                                    UInt64(SCHEDOP_poll), UInt64(SCHEDOP_shutdown_code)]
    private static let memoryCommands: [UInt64] = [
        XENMEM_increase_reservation, XENMEM_decrease_reservation, XENMEM_maximum_ram_page,
        XENMEM_current_reservation, XENMEM_maximum_reservation, XENMEM_populate_physmap,
        XENMEM_add_to_physmap, XENMEM_memory_map, XENMEM_machine_memory_map,
        XENMEM_remove_from_physmap, XENMEM_add_to_physmap_batch,
    ].map { UInt64($0) }
    private static let domainControlCommands: [UInt64] = [
        XEN_DOMCTL_createdomain, XEN_DOMCTL_destroydomain, XEN_DOMCTL_pausedomain, XEN_DOMCTL_unpausedomain,
        XEN_DOMCTL_getdomaininfo, XEN_DOMCTL_max_mem, XEN_DOMCTL_setvcpucontext, XEN_DOMCTL_getvcpucontext,
        XEN_DOMCTL_max_vcpus,
    ].map { UInt64($0) }
    private static let systemControlCommands: [UInt64] = [UInt64(XEN_SYSCTL_physinfo)]

    private mutating func nextCall() -> Call {
        let number: UInt64
        switch values.random.below(10) {
        case 0..<8: number = UInt64(FuzzedHypercall.all[Int(values.random.below(UInt64(FuzzedHypercall.all.count)))].number)
        case 8:     number = values.random.below(UInt64(XEN_HYPERCALL_COUNT))
        default:    number = values.random.next()
        }
        return Call(number: number, arguments: arguments(for: number))
    }

    private mutating func pick(_ choices: [UInt64]) -> UInt64 {
        choices[Int(values.random.below(UInt64(choices.count)))]
    }

    private mutating func arguments(for number: UInt64) -> (UInt64, UInt64, UInt64, UInt64, UInt64) {
        let noise = (values.word(), values.word(), values.word(), values.word(), values.word())
        guard number < UInt64(XEN_HYPERCALL_COUNT) else { return noise }
        switch Int32(number) {
        case __HYPERVISOR_xen_version:
            return (subOp(upTo: 12), bufferFor(words: 128), noise.2, noise.3, noise.4)
        case __HYPERVISOR_console_io:
            // Short writes: every byte written ends up on the serial line.
            return (subOp(upTo: 1), values.random.below(24), values.pointer(), noise.3, noise.4)
        case __HYPERVISOR_sched_op:
            return schedOp(noise)
        case __HYPERVISOR_vcpu_op:
            var command = subOp(upTo: 15)
            if command == 2 { command = UInt64(VCPUOP_stop_periodic_timer) }      // never VCPUOP_down
            let vcpu = values.random.chance(80) ? 0 : values.count()
            return (command, vcpu, bufferFor(words: 4), noise.3, noise.4)
        case __HYPERVISOR_set_timer_op:
            let deadline = values.random.chance(50) ? clock.now() &+ values.random.below(50_000_000) : values.word()
            return (deadline, noise.1, noise.2, noise.3, noise.4)
        case __HYPERVISOR_hvm_op:
            let parameter = bufferFor(words: 2)
            if values.random.chance(70) {      // struct xen_hvm_param { domid, pad, index, value }
                values.memory.store(values.domainID() | (values.random.below(64) << 32), at: parameter)
            }
            return (subOp(upTo: 1), parameter, noise.2, noise.3, noise.4)
        case __HYPERVISOR_memory_op:
            let command = memoryOp()
            let request = bufferFor(words: 6)
            // xen_add_to_physmap.gpfn: a grant-table frame over an arena
            // page would let the fuzzer's own fills write grant entries that
            // name any of its frames, and a copy through one would then
            // overwrite it: only the sacrificial frames may be covered.
            if command == UInt64(XENMEM_add_to_physmap) { memory.keepOutOfArena(frameAt: request &+ 16) }
            return (command, request, noise.2, noise.3, noise.4)
        case __HYPERVISOR_grant_table_op:
            return grantTableOp(noise)
        case __HYPERVISOR_domctl:
            return (controlRecord(commands: Self.domainControlCommands,
                                  version: UInt64(XEN_DOMCTL_INTERFACE_VERSION)), noise.1, noise.2, noise.3, noise.4)
        case __HYPERVISOR_sysctl:
            return (controlRecord(commands: Self.systemControlCommands,
                                  version: UInt64(XEN_SYSCTL_INTERFACE_VERSION)), noise.1, noise.2, noise.3, noise.4)
        default:
            return noise
        }
    }

    /// A known sub-op 0...last most of the time, else anything.
    private mutating func subOp(upTo last: UInt64) -> UInt64 {
        values.random.chance(85) ? values.random.below(last + 1) : values.word()
    }

    /// A pointer; when it is in the arena, `words` fields there get random
    /// values first.
    private mutating func bufferFor(words: Int) -> UInt64 {
        let address = values.pointer()
        if memory.inArena(address, count: UInt64(words) * 8) { values.fill(at: address, words: words) }
        return address
    }

    private mutating func schedOp(_ noise: (UInt64, UInt64, UInt64, UInt64, UInt64)) -> (UInt64, UInt64, UInt64, UInt64, UInt64) {
        let command = values.random.chance(85) ? pick(Self.scheduleCommands) : 6 + values.random.below(64)
        if command == UInt64(SCHEDOP_block) || command == UInt64(SCHEDOP_poll) { armWakeUp() }
        guard command == UInt64(SCHEDOP_poll) else { return (command, bufferFor(words: 3), noise.2, noise.3, noise.4) }
        // struct sched_poll { ports, nr_ports, timeout }: in the arena, or
        // an address that faults; the timeout is the timer's anyway.
        let poll = memory.arena + values.random.below(64) * 8
        values.memory.store(values.pointer(), at: poll)
        values.memory.store(values.random.chance(80) ? values.random.below(8) : values.count(), at: poll + 8)
        values.memory.store(values.random.chance(50) ? clock.now() &+ 1_000_000 : 0, at: poll + 16)
        return (command, values.random.chance(90) ? poll : 0x8000_0000_0000_0000, noise.2, noise.3, noise.4)
    }

    /// One-shot timer 1 ms ahead: whatever the block or poll does, it ends.
    /// The request (vcpu_set_singleshot_timer: timeout_abs_ns, flags 0) is
    /// written into the arena just before the call.
    private func armWakeUp() {
        let request = memory.arenaEnd - 16
        memory.store(clock.now() &+ 1_000_000, at: request)
        memory.store(0, at: request + 8)
        _ = Hypercall.call(UInt64(__HYPERVISOR_vcpu_op), UInt64(VCPUOP_set_singleshot_timer), 0, request)
    }

    /// grant_table_op(cmd, uop, count): the structs in the arena, and never
    /// more of them than fit there, since the hypervisor writes each one
    /// back; or a count it refuses (over 512) or a pointer that faults.
    private mutating func grantTableOp(_ noise: (UInt64, UInt64, UInt64, UInt64, UInt64)) -> (UInt64, UInt64, UInt64, UInt64, UInt64) {
        let command = subOp(upTo: 12)
        // 8-aligned, so each filled word is one field (a frame number is
        // made harmless whole, never from the halves of two words).
        let operations = (memory.arena + values.random.below(UInt64(FuzzMemory.pageCount) * 4096 - 64)) & ~7
        let fitting = (memory.arenaEnd - operations) / 40
        values.fill(at: operations, words: Int(min(fitting, 16) * 5))
        let count = values.random.chance(90) ? min(values.count(), fitting) : 513 + values.random.below(1 << 20)
        return (command, values.random.chance(95) ? operations : 0x8000_0000_0000_0000, count, noise.3, noise.4)
    }

    private mutating func memoryOp() -> UInt64 {
        values.random.chance(85) ? pick(Self.memoryCommands) : values.word()
    }

    /// struct xen_domctl / xen_sysctl: cmd, interface_version (right most of
    /// the time, so the payload is looked at), then random payload words.
    private mutating func controlRecord(commands: [UInt64], version: UInt64) -> UInt64 {
        let record = memory.arena + values.random.below(UInt64(FuzzMemory.pageCount - 1)) * 4096
        values.fill(at: record, words: 20)
        let command = values.random.chance(85) ? pick(commands) : values.word()
        let checkedVersion = values.random.chance(90) ? version : values.word()
        values.memory.store((command & 0xFFFF_FFFF) | (checkedVersion << 32), at: record)
        if values.random.chance(60) {          // a plausible domain, not noise
            values.memory.store(values.domainID(), at: record + 8)
        }
        return values.random.chance(95) ? record : values.pointer()
    }
}
