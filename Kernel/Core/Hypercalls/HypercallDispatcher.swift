/// Runs a hypercall through the hypercall table (HypercallTable): finds the
/// row, checks who may call, counts the call for the calling domain, and
/// turns the handler's error into the guest's negative errno.
enum HypercallDispatcher {
    /// Runs the hypercall in the guest's registers: the row first, from the
    /// number, so that a number without one costs no more than its look-up;
    /// then the arguments, in the convention of the guest's mode.
    @inline(__always)   // on every hypercall
    static func dispatch(_ registers: UnsafePointer<GuestRegisters>, longMode: Bool,
                         _ context: HypercallContext) -> HypercallCompletion {
        let number = HypercallArguments.number(in: registers.pointee, longMode: longMode)
        guard let position = HypercallTable.position(of: number) else { return notImplemented(context) }
        return run(HypercallArguments(registers: registers.pointee, longMode: longMode), at: position, context)
    }

    /// Runs one hypercall: the value for the guest's RAX, and whether the
    /// scheduler must look again (the row's SchedulingEffect).
    static func dispatch(_ call: HypercallArguments, _ context: HypercallContext) -> HypercallCompletion {
        guard let position = HypercallTable.position(of: call.number) else { return notImplemented(context) }
        return run(call, at: position, context)
    }

    /// A number the table lacks: -ENOSYS, counted as "unknown".
    @inline(__always)
    private static func notImplemented(_ context: HypercallContext) -> HypercallCompletion {
        context.domain.hypercallCounters.count(nil, failed: true)
        return HypercallCompletion(value: HypercallError.notImplemented.returnValue, schedulingEffect: .none)
    }

    private static func run(_ call: HypercallArguments, at position: Int,
                            _ context: HypercallContext) -> HypercallCompletion {
        let entry = HypercallTable.entries[position]
        do throws(HypercallError) {
            if entry.caller == .privilegedOnly && !context.domain.isPrivileged { throw .notPermitted }
            let result = try entry.handler(call, context)
            context.domain.hypercallCounters.count(position, failed: false)
            return HypercallCompletion(value: result, schedulingEffect: entry.schedulingEffect)
        } catch {
            context.domain.hypercallCounters.count(position, failed: true)
            return HypercallCompletion(value: error.returnValue, schedulingEffect: entry.schedulingEffect)
        }
    }
}

/// What a hypercall leaves behind: RAX's value, and its row's effect.
struct HypercallCompletion {
    let value: UInt64
    let schedulingEffect: SchedulingEffect
}
