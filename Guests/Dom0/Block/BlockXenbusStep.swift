/// What the backend's owner does after a state machine step, in this
/// order: disconnect, publish, connect, report, then write each state.
struct BlockXenbusStep: Equatable {
    /// Unmap the ring and close the port (the backend was connected).
    var disconnect = false
    /// Write the backend's feature nodes (BlockBackendFeatures).
    var publishFeatures = false
    /// Map this ring and bind this port. If that fails, ask the machine
    /// for `connectionFailed()` and do its step instead of `states`.
    var connect: BlockRingParameters?
    /// Write this in the backend's "error" node.
    var problem: BlockFrontendProblem?
    /// The backend's new states, each written to its "state" node in turn
    /// (Closing then Closed lets a watching frontend see both).
    var states: [XenbusState] = []

    static let nothing = BlockXenbusStep()
}
