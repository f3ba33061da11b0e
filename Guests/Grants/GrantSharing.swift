import XenPublic

/// The two sides of one shared page, found through the XenStore as Xen's
/// split drivers find each other: the offering domain grants the page,
/// opens a port for its peer, and publishes both numbers in its own nodes
/// `data/grant-ref` and `data/grant-port`, readable by the peer only. The
/// port is published last, so a mapper that has read it knows the grant
/// exists.
enum GrantSharing {
    /// The offering domain's first grant (GrantTableClient.firstReference).
    static let sharedReference = GrantTableClient.firstReference
    static let referenceNode = "data/grant-ref"
    static let portNode = "data/grant-port"
    /// Where each side writes in the page.
    static let answerOffset = 2048
    static let message: StaticString = "a page shared by grant"
    static let answer: StaticString = "mapped, read and answered"
    static let connectTimeout: UInt64 = 10_000_000_000

    static func offer(to peer: DomainID, _ tally: inout CheckTally) {
        do throws(HypercallFailure) {
            let table = try GrantTableClient.setUp()
            let page = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 4096)
            page.initializeMemory(as: UInt8.self, repeating: 0, count: 4096)
            write(message, to: page)
            let frame = Hypercall.argument(page) >> 12
            guard let reference = table.grantAccess(to: peer, frame: frame) else {
                tally.fail("grant access", because: "no free entry")
                return
            }
            tally.expect("first grant reference", got: Int64(reference), expected: Int64(sharedReference))
            _ = try SharedInfoView.map()
            try Upcall.install()
            let opened = try EventChannelOp.allocateUnbound(remoteDomain: peer)
            let store = try StoreClient()
            var published = true
            do throws(StoreClientError) {
                try store.publish(referenceNode, UInt64(reference), readableBy: peer)
                try store.publish(portNode, UInt64(opened), readableBy: peer)
            } catch {
                print("grants: offer: the store refused: \(error.name)")
                published = false
            }
            tally.expect("reference and port published", got: published ? 1 : 0, expected: 1)
            print("grants: offer: reference \(reference) and port \(opened) wait for d\(peer)")
            _ = Upcall.wait(for: opened, beyond: 0)
            tally.expect("answer in the page", got: matches(answer, at: page + answerOffset) ? 1 : 0, expected: 1)
            tally.expect("entry no longer in use", got: Int64(table.flags(reference)),
                         expected: Int64(GTF_permit_access), inHex: true)
            tally.expect("end access", got: table.endAccess(reference) ? 1 : 0, expected: 1)
            print("grants: offer: d\(peer) answered \"\(text(at: page + answerOffset))\"")
        } catch {
            print("grants: offer: \(error.name) (\(error.result))")
            tally.fail("offer", because: "a hypercall failed")
        }
    }

    static func map(from peer: DomainID, _ tally: inout CheckTally) {
        do throws(HypercallFailure) {
            let store = try StoreClient()
            guard let remotePort = store.waitForNumber(publishedBy: peer, at: portNode, timeout: connectTimeout),
                  let reference = store.waitForNumber(publishedBy: peer, at: referenceNode, timeout: connectTimeout) else {
                tally.fail("connect", because: "the peer did not publish its port and reference")
                return
            }
            let connected = try EventChannelOp.bindInterdomain(remoteDomain: peer, remotePort: evtchn_port_t(remotePort))
            let address = try MemoryOp.emptyFrame()
            let mapped = try GrantTableOp.map(GrantReference(reference), of: peer, at: address)
            tally.expect("map_grant_ref", got: Int64(mapped.status), expected: Int64(GNTST_okay))
            guard mapped.succeeded, let page = UnsafeMutableRawPointer(bitPattern: UInt(address)) else { return }
            tally.expect("message in the mapped page", got: matches(message, at: page) ? 1 : 0, expected: 1)
            print("grants: map: d\(peer) wrote \"\(text(at: page))\"")
            write(answer, to: page + answerOffset)

            let copy = UnsafeMutableRawPointer.allocate(byteCount: 4096, alignment: 4096)
            let copied = try GrantTableOp.copy(from: .grant(GrantReference(reference), of: peer, offset: 0),
                                               to: .ownFrame(Hypercall.argument(copy) >> 12, offset: 0),
                                               length: UInt16(message.utf8CodeUnitCount))
            tally.expect("copy from the grant", got: Int64(copied), expected: Int64(GNTST_okay))
            tally.expect("message in the copy", got: matches(message, at: copy) ? 1 : 0, expected: 1)

            tally.expect("unmap_grant_ref", got: Int64(try GrantTableOp.unmap(mapped.handle, at: address)),
                         expected: Int64(GNTST_okay))
            tally.expect("unmap again", got: Int64(try GrantTableOp.unmap(mapped.handle, at: address)),
                         expected: Int64(GNTST_bad_handle))
            try EventChannelOp.send(connected)
        } catch {
            print("grants: map: \(error.name) (\(error.result))")
            tally.fail("map", because: "a hypercall failed")
        }
    }

    private static func write(_ text: StaticString, to page: UnsafeMutableRawPointer) {
        page.copyMemory(from: text.utf8Start, byteCount: text.utf8CodeUnitCount)
        page.storeBytes(of: 0, toByteOffset: text.utf8CodeUnitCount, as: UInt8.self)
    }

    private static func matches(_ text: StaticString, at page: UnsafeMutableRawPointer) -> Bool {
        let bytes = page.assumingMemoryBound(to: UInt8.self)
        for index in 0..<text.utf8CodeUnitCount where bytes[index] != text.utf8Start[index] { return false }
        return true
    }

    /// The NUL-terminated text at `page` (at most 64 bytes), for printing.
    private static func text(at page: UnsafeMutableRawPointer) -> String {
        let bytes = page.assumingMemoryBound(to: UInt8.self)
        var length = 0
        while length < 64, bytes[length] != 0 { length += 1 }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: length), as: UTF8.self)
    }
}
