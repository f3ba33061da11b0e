/// Runs a hypercall through the hypercall table (HypercallTable): finds the
/// row, checks who may call, counts the call for the calling domain, and
/// turns the handler's error into the guest's negative errno.
enum HypercallDispatcher {
    /// Runs one hypercall and returns the value for the guest's RAX.
    static func dispatch(_ call: HypercallArguments, _ context: HypercallContext) -> UInt64 {
        let position = HypercallTable.position(of: call.number)
        do throws(HypercallError) {
            let result = try handle(call, at: position, context)
            context.domain.hypercallCounters.count(position, failed: false)
            return result
        } catch {
            context.domain.hypercallCounters.count(position, failed: true)
            return error.returnValue
        }
    }

    private static func handle(_ call: HypercallArguments, at position: Int?,
                               _ context: HypercallContext) throws(HypercallError) -> UInt64 {
        guard let position else { throw .notImplemented }
        let entry = HypercallTable.entries[position]
        if entry.caller == .privilegedOnly && !context.domain.isPrivileged { throw .notPermitted }
        return try entry.handler(call, context)
    }
}
