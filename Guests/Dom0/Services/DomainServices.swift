import XenPublic

/// What dom0 serves the domains it builds, and how a new domain is wired
/// to it, the way Xen's libxl does it for a PVH domU:
///
///   1. two "magic" pages right after the domain's RAM (outside its memory
///      map, so the guest never takes them for RAM), populated and zeroed:
///      the console ring and the store ring;
///   2. two unbound event channels in the domain, waiting for dom0
///      (EVTCHNOP_alloc_unbound with dom = the domain, remote = dom0);
///   3. the four HVM parameters that tell the guest where they are
///      (HVM_PARAM_CONSOLE_PFN/EVTCHN, HVM_PARAM_STORE_PFN/EVTCHN);
///   4. the console: its page mapped into dom0 and its channel bound;
///   5. the store: the domain's nodes (/local/domain/N/...), then
///      XS_INTRODUCE, which maps the ring and binds the channel.
///
/// A disk is attached afterwards with `attachDisk`, which starts a
/// BlockBackendService: the vbd's nodes, then the xenbus handshake as the
/// frontend goes along.
///
/// Then `ports` lists every port dom0 serves, for its wait loop, and
/// `handle(port:)` serves the one that fired. `release` undoes it all
/// when the domain has ended.
final class DomainServices {
    /// The console page and the store page.
    static let magicPageCount: UInt64 = 2

    let window = ServicePageWindow()
    let store: XenStore
    let toolstack: ToolstackStoreClient
    private(set) var consoles: [ConsoleConnection] = []
    private(set) var disks: [BlockBackendService] = []
    /// Every vbd's grant copies and ring barriers (it holds no state).
    let grantCopier = Dom0GrantCopier()

    init() {
        store = XenStore(bridge: Dom0StoreBridge(window: window))
        toolstack = ToolstackStoreClient(store: store)
        toolstack.write("/local", "", owner: 0)
        toolstack.write("/local/domain", "", owner: 0)
    }

    /// Steps 1 to 5 for the new, paused domain `domain` of `config`. On
    /// failure the caller destroys the domain; what was set up here for it
    /// is released first.
    func connect(_ domain: DomainID, _ config: DomainConfig) throws(BuildError) {
        let consoleFrame = config.memoryPages
        let storeFrame = config.memoryPages + 1
        let populated = try attempt("populate_physmap (magic pages)") { () throws(HypercallFailure) in
            try MemoryOp.populate(domain, run: consoleFrame..<storeFrame + 1)
        }
        guard populated == Self.magicPageCount else {
            throw .populatedTooFew(done: populated, wanted: Self.magicPageCount)
        }
        let consolePort = try attempt("alloc_unbound (console)") { () throws(HypercallFailure) in
            try EventChannelOp.allocateUnbound(remoteDomain: 0, domain: domain)
        }
        let storePort = try attempt("alloc_unbound (store)") { () throws(HypercallFailure) in
            try EventChannelOp.allocateUnbound(remoteDomain: 0, domain: domain)
        }
        try attempt("hvm set_param") { () throws(HypercallFailure) in
            try HVMParameters.set(UInt32(HVM_PARAM_CONSOLE_PFN), consoleFrame, domain: domain)
            try HVMParameters.set(UInt32(HVM_PARAM_CONSOLE_EVTCHN), UInt64(consolePort), domain: domain)
            try HVMParameters.set(UInt32(HVM_PARAM_STORE_PFN), storeFrame, domain: domain)
            try HVMParameters.set(UInt32(HVM_PARAM_STORE_EVTCHN), UInt64(storePort), domain: domain)
        }
        let label = "d\(domain) \(config.name.string)"
        let page = try attempt("mapping the console page") { () throws(HypercallFailure) in
            try window.map(domain, frame: consoleFrame)
        }
        let localPort: evtchn_port_t
        do throws(HypercallFailure) {
            localPort = try EventChannelOp.bindInterdomain(remoteDomain: domain, remotePort: consolePort)
        } catch {
            window.unmap(page)
            throw .hypercall("bind_interdomain (console)", error)
        }
        consoles.append(ConsoleConnection(domain: domain, label: label, page: page, localPort: localPort))

        writeNodes(domain, config, consolePort: consolePort, consoleFrame: consoleFrame)
        do throws(StoreError) {
            try store.introduce(UInt16(domain), frame: storeFrame, port: storePort, by: XenStore.privilegedDomain)
        } catch {
            release(domain)
            throw .service("XS_INTRODUCE", "\(error.wireName)")
        }
    }

    /// The nodes libxl writes for a domain (Xen's layout, xenstore-paths):
    /// read-only to the domain, except what it is meant to write.
    private func writeNodes(_ domain: DomainID, _ config: DomainConfig, consolePort: evtchn_port_t, consoleFrame: UInt64) {
        let id = UInt16(domain)
        let home = "/local/domain/\(domain)"
        toolstack.write(home, "", owner: 0, readers: [id])
        toolstack.write(home + "/name", config.name.string, owner: 0, readers: [id])
        toolstack.write(home + "/domid", "\(domain)", owner: 0, readers: [id])
        toolstack.write(home + "/memory", "", owner: 0, readers: [id])
        toolstack.write(home + "/memory/target", "\(config.memoryMiB * 1024)", owner: 0, readers: [id])
        toolstack.write(home + "/console", "", owner: 0, readers: [id])
        toolstack.write(home + "/console/ring-ref", "\(consoleFrame)", owner: 0, readers: [id])
        toolstack.write(home + "/console/port", "\(consolePort)", owner: 0, readers: [id])
        toolstack.write(home + "/console/type", "xenconsoled", owner: 0, readers: [id])
        toolstack.write(home + "/control", "", owner: 0, readers: [id])
        // The domain's to write: where it says what it supports, and
        // where the toolstack asks it to shut down.
        for node in ["shutdown", "feature-poweroff", "feature-reboot", "feature-suspend", "sysrq"] {
            toolstack.write(home + "/control/" + node, "", owner: id)
        }
        for node in ["device", "data", "drivers", "feature", "attr", "error"] {
            toolstack.write(home + "/" + node, "", owner: id)
        }
    }

    /// Serves `device` to `domain` as its vbd `virtualDevice` (Xen's xvd
    /// numbering: 51712 is xvda), read-only or not, the way libxl and
    /// blkback do: call it after `connect`, before the domain is unpaused,
    /// so its frontend finds the nodes when it starts.
    func attachDisk(domain: DomainID, virtualDevice: UInt32, device: BlockDevice,
                    readOnly: Bool) throws(BuildError) {
        guard let vbd = VirtualBlockDevice(number: virtualDevice) else {
            throw .service("attaching a disk", "virtual-device \(virtualDevice) is not an xvd number")
        }
        guard !disks.contains(where: { $0.domain == domain && $0.vbd == vbd }) else {
            throw .service("attaching a disk", "d\(domain) already has \(vbd.name)")
        }
        let disk = BlockBackendService(domain: domain, vbd: vbd, device: device, readOnly: readOnly, store: store,
                                       toolstack: toolstack, window: window, copier: grantCopier)
        if let error = disk.start() {
            disk.release()
            throw .service("writing the vbd's nodes", error)
        }
        disks.append(disk)
        deliverQueuedOutput()
    }

    /// Every port dom0 serves for its domains.
    var ports: [evtchn_port_t] {
        var ports = consoles.map { $0.localPort }
        for connection in store.domainConnections.values { ports.append(connection.localPort) }
        for disk in disks { if let port = disk.localPort { ports.append(port) } }
        return ports
    }

    /// Serves the console, store connection or vbd ring at `port`, if one
    /// is there. After a store request the vbds look at their watches (the
    /// domain may have changed its frontend's state), and what they wrote
    /// goes out with the rest of the queued output.
    func handle(port: evtchn_port_t) {
        if let console = consoles.first(where: { $0.localPort == port }) {
            console.service()
        } else if let connection = store.connection(atLocalPort: port) {
            store.service(connection)
            if connection.isBroken {
                print("dom0: store: d\(connection.domain) broke the store protocol: released")
                try? store.release(connection.domain, by: XenStore.privilegedDomain)
            }
            for disk in disks { disk.storeChanged() }
            deliverQueuedOutput()
        } else if let disk = disks.first(where: { $0.localPort == port }) {
            disk.serviceRing()
            deliverQueuedOutput()
        }
    }

    /// A request of one domain (or of the toolstack) can queue watch events
    /// for others: each connection with output waiting gets it now (as
    /// far as its ring has room), and is notified.
    private func deliverQueuedOutput() {
        for connection in store.domainConnections.values where connection.queuedOutputBytes > 0 {
            store.service(connection)
        }
    }

    /// What was typed on the machine's console (console_io read, dom0's
    /// only), into the `in` ring of the first console dom0 serves: the
    /// first domain of the manifest still running. With none, it is read
    /// and dropped, so the hypervisor's buffer does not stay full.
    func forwardConsoleInput() {
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let count = buffer.withUnsafeMutableBytes { bytes in (try? ConsoleIO.read(into: bytes)) ?? 0 }
            guard count > 0 else { return }
            consoles.first?.forward(buffer[0..<count])
        }
    }

    /// Asks a domain to shut down the way libxl does: "poweroff" in its
    /// control/shutdown node, which a Linux guest watches.
    func requestShutdown(_ domain: DomainID) {
        toolstack.write("/local/domain/\(domain)/control/shutdown", "poweroff", owner: UInt16(domain))
        deliverQueuedOutput()
    }

    /// After the domain's end: its vbds, its console's last output, its
    /// store connection, its nodes and its pages in dom0's window.
    func release(_ domain: DomainID) {
        for disk in disks where disk.domain == domain { disk.release() }
        disks.removeAll { $0.domain == domain }
        if let index = consoles.firstIndex(where: { $0.domain == domain }) {
            let console = consoles.remove(at: index)
            console.service()
            console.flush()
            window.unmap(console.page)
            try? EventChannelOp.close(console.localPort)
        }
        if store.isIntroduced(UInt16(domain)) && domain != 0 {
            try? store.release(UInt16(domain), by: XenStore.privilegedDomain)
        }
        toolstack.remove("/local/domain/\(domain)")
    }

    private func attempt<Result>(_ step: StaticString, _ body: () throws(HypercallFailure) -> Result) throws(BuildError) -> Result {
        do { return try body() } catch { throw .hypercall(step, error) }
    }
}
