extension DomainMemory.PopulationError {
    /// What a hypercall reports when the domain's memory refuses a step.
    /// - Running out of something the domain may have (frames, page-table
    ///   allowance, mapping slots, max_mem): ENOMEM, as Xen reports a
    ///   failed allocation.
    /// - A frame another domain maps: EBUSY. The request itself is sound
    ///   and would succeed once that mapping goes; EINVAL would tell the
    ///   caller its arguments were wrong.
    /// - A frame that is not what the call needs (not RAM, RAM already,
    ///   beyond 4 GiB): EINVAL.
    var hypercallError: HypercallError {
        switch self {
        case .outOfMemory, .overMaximum, .tableLimitReached, .tooManyForeignMappings: .outOfMemory
        case .mappedElsewhere: .busy
        case .frameOutOfRange, .alreadyPopulated, .notPopulated, .occupiedByForeignMapping: .invalidArgument
        }
    }
}
