/// The backend's half of the xenbus handshake for one vbd (io/blkif.h's
/// state diagrams, as Linux's blkback answers its frontend), as pure
/// logic: it is told the frontend's state and returns what to do; its
/// owner reads and writes the store and maps the ring.
///
///   start                      -> publish features, InitWait
///   frontend Initialised or
///   Connected (backend waits)  -> connect with its nodes, Connected
///                                 (bad nodes: error, Closing, Closed)
///   frontend Closing           -> disconnect, Closing
///   frontend Closed or Unknown -> disconnect, (Closing,) Closed
///   frontend Initialising
///   while the backend is Closed -> publish again, InitWait (a reconnect)
///
/// Anything else changes nothing: watches fire for writes that change
/// no state, and a frontend's repeats must be harmless.
struct BlockXenbusMachine {
    private(set) var backend: XenbusState = .initialising

    /// The backend has its disk: it says what it offers and waits.
    mutating func start() -> BlockXenbusStep {
        guard backend == .initialising else { return .nothing }
        backend = .initWait
        return BlockXenbusStep(publishFeatures: true, states: [.initWait])
    }

    /// The frontend's state node changed (or may have). `nodes` is read
    /// only when the frontend's ring is about to be connected.
    mutating func frontendChanged(to frontend: XenbusState, nodes: () -> BlockFrontendNodes) -> BlockXenbusStep {
        switch frontend {
        case .initialised, .connected:
            guard backend == .initWait else { return .nothing }
            switch nodes().ringParameters() {
            case .success(let parameters):
                backend = .connected
                return BlockXenbusStep(connect: parameters, states: [.connected])
            case .failure(let problem):
                return close(because: problem)
            }
        case .closing:
            guard backend == .initWait || backend == .connected else { return .nothing }
            let wasConnected = backend == .connected
            backend = .closing
            return BlockXenbusStep(disconnect: wasConnected, states: [.closing])
        case .closed, .unknown:
            guard backend != .closed, backend != .initialising else { return .nothing }
            let step = BlockXenbusStep(disconnect: backend == .connected,
                                       states: backend == .closing ? [.closed] : [.closing, .closed])
            backend = .closed
            return step
        case .initialising:
            guard backend == .closed else { return .nothing }
            backend = .initWait
            return BlockXenbusStep(publishFeatures: true, states: [.initWait])
        case .initWait, .reconfiguring, .reconfigured:
            return .nothing
        }
    }

    /// The connect step's mapping or binding failed: nothing is held.
    mutating func connectionFailed() -> BlockXenbusStep {
        guard backend == .connected else { return .nothing }
        return close(because: .cannotConnect)
    }

    /// The connected ring broke: stop serving it, say why, close.
    mutating func ringBroke() -> BlockXenbusStep {
        guard backend == .connected else { return .nothing }
        var step = close(because: .brokenRing)
        step.disconnect = true
        return step
    }

    /// A backend that will not serve this frontend closes at once: a
    /// broken frontend may never close its own end.
    private mutating func close(because problem: BlockFrontendProblem) -> BlockXenbusStep {
        backend = .closed
        return BlockXenbusStep(problem: problem, states: [.closing, .closed])
    }
}
