import XenPublic

/// Dom0's blkback for one disk of one domain: the xenbus side (the nodes
/// libxl and blkback write, the handshake with the frontend) around a
/// `BlockBackend` that serves the ring once it is connected.
///
/// The frontend's state node is watched on dom0's own store, through a
/// local connection of this service's: the store queues the watch's
/// events there when the domain writes the node through its ring, and
/// DomainServices calls `storeChanged()` after each store request it
/// served, so the service sees every change without a thread or a poll.
///
/// Everything the domain writes is untrusted: its state and its ring
/// nodes go through BlockXenbusMachine, its ring through BlockBackend;
/// whatever it does, dom0 goes on (the worst is this vbd closing).
final class BlockBackendService {
    let domain: DomainID
    let vbd: VirtualBlockDevice
    let device: BlockDevice
    let readOnly: Bool
    private let store: XenStore
    private let toolstack: ToolstackStoreClient
    private let window: ServicePageWindow
    private let copier: Dom0GrantCopier
    private let watch: StoreConnection
    private var machine = BlockXenbusMachine()
    private var connection: Connection?
    private static let watchToken = "blkback"

    /// A connected ring: the granted page, dom0's port, the backend.
    private struct Connection {
        let ring: ServicePageWindow.GrantedPage
        let localPort: evtchn_port_t
        let backend: BlockBackend
    }

    init(domain: DomainID, vbd: VirtualBlockDevice, device: BlockDevice, readOnly: Bool,
         store: XenStore, toolstack: ToolstackStoreClient, window: ServicePageWindow, copier: Dom0GrantCopier) {
        self.domain = domain
        self.vbd = vbd
        self.device = device
        self.readOnly = readOnly
        self.store = store
        self.toolstack = toolstack
        self.window = window
        self.copier = copier
        watch = store.openLocalConnection()
    }

    var frontendPath: String { vbd.frontendPath(of: UInt16(domain)) }
    var backendPath: String { vbd.backendPath(of: UInt16(domain)) }
    /// Where xenbus_dev_error would put the backend's complaint.
    var errorPath: String { "/local/domain/0/error" + backendPath }
    var label: String { "blkback: d\(domain) \(vbd.name)" }

    /// Dom0's end of the ring's event channel, while connected.
    var localPort: evtchn_port_t? { connection?.localPort }

    /// Writes both directories, watches the frontend's state and goes
    /// InitWait. Nil, or the store's error name.
    func start() -> String? {
        if let error = writeNodes() { return error }
        let payload = Array(frontendPath.utf8) + Array("/state".utf8) + [0] + Array(Self.watchToken.utf8) + [0]
        store.handle(StoreMessage(type: XS_WATCH.rawValue, payload: payload), from: watch)
        // The XS_WATCH reply and the event a new watch fires at once: the
        // frontend has not started, so there is nothing to act on yet.
        _ = watch.takeMessages()
        apply(machine.start())
        return nil
    }

    /// The nodes libxl writes for a vbd: the frontend's directory, the
    /// domain's to write, which dom0 (its backend) may read; the backend's,
    /// dom0's, which the domain may read.
    private func writeNodes() -> String? {
        let id = UInt16(domain)
        let frontend: [(String, String)] = [
            ("", ""), ("/backend", backendPath), ("/backend-id", "0"), ("/state", XenbusState.initialising.nodeText),
            ("/virtual-device", "\(vbd.number)"), ("/device-type", "disk"),
        ]
        toolstack.write("/local/domain/\(domain)/device/vbd", "", owner: id, readers: [0])
        for (node, value) in frontend {
            if let error = toolstack.write(frontendPath + node, value, owner: id, readers: [0]) { return error }
        }
        let backend: [(String, String)] = [
            ("", ""), ("/frontend", frontendPath), ("/frontend-id", "\(domain)"), ("/online", "1"),
            ("/removable", "0"), ("/bootable", "1"), ("/state", XenbusState.initialising.nodeText),
            ("/dev", vbd.name), ("/type", "phy"), ("/mode", readOnly ? "r" : "w"), ("/device-type", "disk"),
            ("/params", vbd.name),
        ]
        for (node, value) in backend {
            if let error = toolstack.write(backendPath + node, value, owner: 0, readers: [id]) { return error }
        }
        return nil
    }

    /// Called after any store request dom0 served: acts on the frontend's
    /// state if its node changed since the last call.
    func storeChanged() {
        let events = watch.takeMessages().filter { $0.type == XS_WATCH_EVENT.rawValue }
        guard !events.isEmpty else { return }
        let state = XenbusState(nodeText: toolstack.read(frontendPath + "/state"))
        apply(machine.frontendChanged(to: state) { readFrontendNodes() })
    }

    private func readFrontendNodes() -> BlockFrontendNodes {
        BlockFrontendNodes(ringReference: toolstack.read(frontendPath + "/" + BlockFrontendNodes.ringReferenceNode),
                           eventChannel: toolstack.read(frontendPath + "/" + BlockFrontendNodes.eventChannelNode),
                           protocolName: toolstack.read(frontendPath + "/" + BlockFrontendNodes.protocolNode),
                           ringPageOrder: toolstack.read(frontendPath + "/" + BlockFrontendNodes.ringPageOrderNode),
                           queueCount: toolstack.read(frontendPath + "/" + BlockFrontendNodes.queueCountNode))
    }

    /// The ring's port fired: serves it, tells the frontend if it asked,
    /// and closes the vbd if the ring broke. A frontend that keeps the
    /// ring full is served in rounds of `BlockBackend.requestsPerServe`
    /// until it stops; each request it adds costs it a disk transfer.
    func serviceRing() {
        guard let connection else { return }
        var outcome: BlockBackend.Outcome
        repeat {
            outcome = connection.backend.serve()
            if outcome.notify { try? EventChannelOp.send(connection.localPort) }
        } while outcome.moreWork && !outcome.broken
        if outcome.broken {
            print("dom0: \(label): broken ring (req_prod \(connection.backend.brokenRequestProducer ?? 0)): closing")
            apply(machine.ringBroke())
        }
    }

    /// Carries out one step of the handshake, in the order the step says.
    private func apply(_ step: BlockXenbusStep) {
        if step.disconnect { disconnect() }
        if step.publishFeatures {
            for node in BlockBackendFeatures.nodes(sectorCount: device.sectorCount, readOnly: readOnly) {
                toolstack.write(backendPath + "/" + node.name, node.value, owner: 0, readers: [UInt16(domain)])
            }
        }
        if let parameters = step.connect, !connect(parameters) {
            apply(machine.connectionFailed())
            return
        }
        if let problem = step.problem {
            print("dom0: \(label): \(problem.message)")
            toolstack.write(errorPath + "/error", problem.message, owner: 0, readers: [UInt16(domain)])
        }
        for state in step.states {
            toolstack.write(backendPath + "/state", state.nodeText, owner: 0, readers: [UInt16(domain)])
        }
    }

    /// Maps the ring and binds its port; false (with nothing held) if the
    /// hypervisor refused either.
    private func connect(_ parameters: BlockRingParameters) -> Bool {
        let ring: ServicePageWindow.GrantedPage
        do throws(HypercallFailure) {
            ring = try window.mapGrant(GrantReference(parameters.ringReference), of: domain)
        } catch {
            print("dom0: \(label): cannot map ring-ref \(parameters.ringReference): \(error.name)")
            return false
        }
        let port: evtchn_port_t
        do throws(HypercallFailure) {
            port = try EventChannelOp.bindInterdomain(remoteDomain: domain, remotePort: parameters.eventChannel)
        } catch {
            print("dom0: \(label): cannot bind event-channel \(parameters.eventChannel): \(error.name)")
            window.unmapGrant(ring)
            return false
        }
        let backend = BlockBackend(frontend: UInt16(domain), device: device, readOnly: readOnly, ringPage: ring.page,
                                   copier: copier, barrier: copier)
        connection = Connection(ring: ring, localPort: port, backend: backend)
        print("dom0: \(label): connected (\(device.sectorCount) sectors, \(readOnly ? "read-only" : "writable"))")
        return true
    }

    private func disconnect() {
        guard let connection else { return }
        self.connection = nil
        try? EventChannelOp.close(connection.localPort)
        window.unmapGrant(connection.ring)
        let backend = connection.backend
        print("dom0: \(label): disconnected after \(backend.requestsServed) requests, \(backend.errors) errors")
    }

    /// The domain has ended (or the disk goes away): nothing stays mapped
    /// or bound, and the vbd's nodes are gone.
    func release() {
        disconnect()
        store.closeLocalConnection(watch)
        toolstack.remove(frontendPath)
        toolstack.remove(backendPath)
        toolstack.remove(errorPath)
    }
}
