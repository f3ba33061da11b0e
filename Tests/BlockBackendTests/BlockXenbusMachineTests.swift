import XCTest
import XenPublic
@testable import BlockBackend

final class BlockXenbusMachineTests: XCTestCase {
    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    var goodNodes: BlockFrontendNodes {
        BlockFrontendNodes(ringReference: bytes("8"), eventChannel: bytes("5"), protocolName: bytes("x86_64-abi"))
    }

    func waiting() -> BlockXenbusMachine {
        var machine = BlockXenbusMachine()
        _ = machine.start()
        return machine
    }

    func connected() -> BlockXenbusMachine {
        var machine = waiting()
        _ = machine.frontendChanged(to: .initialised) { goodNodes }
        XCTAssertEqual(machine.backend, .connected)
        return machine
    }

    func testStatesAreXensNumbers() {
        XCTAssertEqual(XenbusState.initWait.rawValue, XenbusStateInitWait.rawValue)
        XCTAssertEqual(XenbusState.connected.rawValue, XenbusStateConnected.rawValue)
        XCTAssertEqual(XenbusState.closed.rawValue, XenbusStateClosed.rawValue)
        XCTAssertEqual(XenbusState.reconfigured.rawValue, XenbusStateReconfigured.rawValue)
        XCTAssertEqual(XenbusState(nodeText: bytes("4")), .connected)
        XCTAssertEqual(XenbusState(nodeText: bytes("3")), .initialised)
        for bad in ["", "9", "-1", "4 ", " 4", "x", "99999999999"] { XCTAssertEqual(XenbusState(nodeText: bytes(bad)), .unknown, bad) }
        XCTAssertEqual(XenbusState(nodeText: nil), .unknown)
        XCTAssertEqual(XenbusState.initWait.nodeText, "2")
    }

    func testStartPublishesAndWaits() {
        var machine = BlockXenbusMachine()
        XCTAssertEqual(machine.start(), BlockXenbusStep(publishFeatures: true, states: [.initWait]))
        XCTAssertEqual(machine.start(), .nothing)
        XCTAssertEqual(machine.backend, .initWait)
    }

    func testFrontendSettingUpChangesNothing() {
        var machine = waiting()
        var read = false
        for state: XenbusState in [.initialising, .initWait, .reconfiguring, .reconfigured] {
            XCTAssertEqual(machine.frontendChanged(to: state) { read = true; return goodNodes }, .nothing)
        }
        XCTAssertFalse(read, "the frontend's nodes are read only when it is ready")
        XCTAssertEqual(machine.backend, .initWait)
    }

    func testFrontendInitialisedConnects() {
        var machine = waiting()
        XCTAssertEqual(machine.frontendChanged(to: .initialised) { goodNodes },
                       BlockXenbusStep(connect: BlockRingParameters(ringReference: 8, eventChannel: 5), states: [.connected]))
        XCTAssertEqual(machine.frontendChanged(to: .connected) { goodNodes }, .nothing)
        XCTAssertEqual(machine.frontendChanged(to: .initialised) { goodNodes }, .nothing)
    }

    func testFrontendConnectedWithoutInitialisedAlsoConnects() {
        var machine = waiting()
        var nodes = goodNodes
        nodes.protocolName = nil
        nodes.ringPageOrder = bytes("0")
        nodes.queueCount = bytes("1")
        XCTAssertEqual(machine.frontendChanged(to: .connected) { nodes }.connect,
                       BlockRingParameters(ringReference: 8, eventChannel: 5))
    }

    func testBadFrontendNodesCloseTheBackend() {
        let cases: [(BlockFrontendNodes, BlockFrontendProblem)] = [
            (BlockFrontendNodes(eventChannel: bytes("5")), .badRingReference),
            (BlockFrontendNodes(ringReference: bytes("8x"), eventChannel: bytes("5")), .badRingReference),
            (BlockFrontendNodes(ringReference: bytes("8")), .badEventChannel),
            (BlockFrontendNodes(ringReference: bytes("8"), eventChannel: bytes("0")), .badEventChannel),
            (BlockFrontendNodes(ringReference: bytes("8"), eventChannel: bytes("5"), protocolName: bytes("x86_32-abi")), .unsupportedProtocol),
            (BlockFrontendNodes(ringReference: bytes("8"), eventChannel: bytes("5"), ringPageOrder: bytes("1")), .multiPageRing),
            (BlockFrontendNodes(ringReference: bytes("8"), eventChannel: bytes("5"), ringPageOrder: bytes("")), .multiPageRing),
            (BlockFrontendNodes(ringReference: bytes("8"), eventChannel: bytes("5"), queueCount: bytes("2")), .multipleQueues),
        ]
        for (nodes, problem) in cases {
            var machine = waiting()
            XCTAssertEqual(machine.frontendChanged(to: .initialised) { nodes },
                           BlockXenbusStep(problem: problem, states: [.closing, .closed]), problem.message)
            XCTAssertEqual(machine.backend, .closed)
            XCTAssertEqual(machine.frontendChanged(to: .connected) { self.goodNodes }, .nothing, "closed stays closed")
        }
    }

    func testFrontendClosingThenClosedDisconnectsOnce() {
        var machine = connected()
        XCTAssertEqual(machine.frontendChanged(to: .closing) { goodNodes }, BlockXenbusStep(disconnect: true, states: [.closing]))
        XCTAssertEqual(machine.frontendChanged(to: .closing) { goodNodes }, .nothing)
        XCTAssertEqual(machine.frontendChanged(to: .closed) { goodNodes }, BlockXenbusStep(states: [.closed]))
        XCTAssertEqual(machine.frontendChanged(to: .closed) { goodNodes }, .nothing)
    }

    func testFrontendClosedOrGoneWhileConnected() {
        for state: XenbusState in [.closed, .unknown] {
            var machine = connected()
            XCTAssertEqual(machine.frontendChanged(to: state) { goodNodes },
                           BlockXenbusStep(disconnect: true, states: [.closing, .closed]))
            XCTAssertEqual(machine.backend, .closed)
        }
    }

    func testFrontendClosingBeforeConnectingHoldsNothing() {
        var machine = waiting()
        XCTAssertEqual(machine.frontendChanged(to: .closing) { goodNodes }, BlockXenbusStep(states: [.closing]))
        var other = waiting()
        XCTAssertEqual(other.frontendChanged(to: .closed) { goodNodes }, BlockXenbusStep(states: [.closing, .closed]))
    }

    func testAClosedBackendReconnectsWhenTheFrontendStartsAgain() {
        var machine = connected()
        _ = machine.frontendChanged(to: .closed) { goodNodes }
        XCTAssertEqual(machine.frontendChanged(to: .initialising) { goodNodes },
                       BlockXenbusStep(publishFeatures: true, states: [.initWait]))
        XCTAssertEqual(machine.frontendChanged(to: .initialised) { goodNodes }.states, [.connected])
    }

    func testFailuresAfterConnectClose() {
        var machine = connected()
        XCTAssertEqual(machine.connectionFailed(), BlockXenbusStep(problem: .cannotConnect, states: [.closing, .closed]))
        XCTAssertEqual(machine.connectionFailed(), .nothing)
        var broken = connected()
        XCTAssertEqual(broken.ringBroke(), BlockXenbusStep(disconnect: true, problem: .brokenRing, states: [.closing, .closed]))
        XCTAssertEqual(broken.ringBroke(), .nothing)
    }

    func testBackendFeatureNodes() {
        let nodes = BlockBackendFeatures.nodes(sectorCount: 2048, readOnly: false)
        XCTAssertEqual(nodes.map { $0.name }, ["sectors", "info", "sector-size", "feature-flush-cache"])
        XCTAssertEqual(nodes.map { $0.value }, ["2048", "0", "512", "1"])
        XCTAssertEqual(BlockBackendFeatures.nodes(sectorCount: 1, readOnly: true)[1].value, "4")
    }
}

final class VirtualBlockDeviceTests: XCTestCase {
    func testXvdNamesAndPaths() {
        XCTAssertEqual(VirtualBlockDevice(number: 51712)?.name, "xvda")
        XCTAssertEqual(VirtualBlockDevice(number: 202 << 8 | 1 << 4)?.name, "xvdb")
        XCTAssertEqual(VirtualBlockDevice(number: 51713)?.name, "xvda1")
        XCTAssertNil(VirtualBlockDevice(number: 3 << 8), "hda's major is not offered")
        XCTAssertNil(VirtualBlockDevice(number: 1 << 28))
        let xvda = VirtualBlockDevice(number: 51712)!
        XCTAssertEqual(xvda.frontendPath(of: 3), "/local/domain/3/device/vbd/51712")
        XCTAssertEqual(xvda.backendPath(of: 3), "/local/domain/0/backend/vbd/3/51712")
    }
}
