import XCTest
import XenPublic
@testable import KernelCore

final class HVMOpHypercallTests: XCTestCase {
    private var fixture: HypervisorFixture!
    private let argument: UInt64 = 0x2FF8       // the struct crosses a page boundary
    private let self_ = UInt16(DOMID_SELF)

    override func setUp() { fixture = HypervisorFixture() }
    override func tearDown() { fixture.release() }

    private func hvm(_ caller: Domain, _ command: Int32, domain: UInt16, index: UInt32, value: UInt64 = 0) -> UInt64 {
        var parameter = xen_hvm_param(domid: domain, pad: 0, index: index, value: value)
        XCTAssertTrue(withUnsafeBytes(of: &parameter) { caller.memory.write($0, at: argument) })
        return fixture.call(caller, __HYPERVISOR_hvm_op, UInt64(command), argument)
    }

    private func valueField(_ caller: Domain) -> UInt64 {
        caller.memory.load(xen_hvm_param.self, at: argument).value
    }

    func testSetAndGetOwnCallbackParameter() {
        let domU = fixture.domU
        XCTAssertEqual(hvm(domU, HVMOP_set_param, domain: self_, index: UInt32(HVM_PARAM_CALLBACK_IRQ),
                           value: 0x0200_0000_0000_00F3), 0)
        XCTAssertEqual(domU.hvmParameters[Int(HVM_PARAM_CALLBACK_IRQ)], 0x0200_0000_0000_00F3)
        XCTAssertEqual(hvm(domU, HVMOP_get_param, domain: 1, index: UInt32(HVM_PARAM_CALLBACK_IRQ)), 0)
        XCTAssertEqual(valueField(domU), 0x0200_0000_0000_00F3)
    }

    /// get_param writes the struct back whole: the caller's domid and index
    /// as it gave them, the value at offset 8.
    func testGetParamWritesTheStructBack() {
        fixture.domU.hvmParameters[Int(HVM_PARAM_CONSOLE_EVTCHN)] = 0x1122_3344_5566_7788
        XCTAssertEqual(hvm(fixture.domU, HVMOP_get_param, domain: self_, index: UInt32(HVM_PARAM_CONSOLE_EVTCHN),
                           value: 0xFFFF_FFFF_FFFF_FFFF), 0)
        let parameter = fixture.domU.memory.load(xen_hvm_param.self, at: argument)
        XCTAssertEqual(parameter.domid, self_)
        XCTAssertEqual(parameter.index, UInt32(HVM_PARAM_CONSOLE_EVTCHN))
        XCTAssertEqual(parameter.value, 0x1122_3344_5566_7788)
    }

    func testUnprivilegedMayReadItsOwnParameters() {
        fixture.domU.hvmParameters[Int(HVM_PARAM_STORE_PFN)] = 0xFEFF
        XCTAssertEqual(hvm(fixture.domU, HVMOP_get_param, domain: self_, index: UInt32(HVM_PARAM_STORE_PFN), value: 5), 0)
        XCTAssertEqual(valueField(fixture.domU), 0xFEFF)
    }

    func testUnknownDomainIsESRCH() {
        XCTAssertEqual(hvm(fixture.domU, HVMOP_get_param, domain: 7, index: 0), ReturnValue.ESRCH)
        XCTAssertEqual(hvm(fixture.dom0, HVMOP_set_param, domain: 7, index: 0, value: 1), ReturnValue.ESRCH)
    }

    func testOtherDomainFromUnprivilegedIsEPERM() {
        fixture.dom0.hvmParameters[0] = 42
        XCTAssertEqual(hvm(fixture.domU, HVMOP_get_param, domain: 0, index: 0, value: 9), ReturnValue.EPERM)
        XCTAssertEqual(valueField(fixture.domU), 9, "nothing was written back")
        XCTAssertEqual(hvm(fixture.domU, HVMOP_set_param, domain: 0, index: 0, value: 1), ReturnValue.EPERM)
        XCTAssertEqual(fixture.dom0.hvmParameters[0], 42)
    }

    func testPrivilegedDomainReachesOthers() {
        XCTAssertEqual(hvm(fixture.dom0, HVMOP_set_param, domain: 1, index: UInt32(HVM_PARAM_CONSOLE_PFN), value: 0xFEFE), 0)
        XCTAssertEqual(fixture.domU.hvmParameters[Int(HVM_PARAM_CONSOLE_PFN)], 0xFEFE)
        XCTAssertEqual(fixture.dom0.hvmParameters[Int(HVM_PARAM_CONSOLE_PFN)], 0)
        XCTAssertEqual(hvm(fixture.dom0, HVMOP_get_param, domain: 1, index: UInt32(HVM_PARAM_CONSOLE_PFN)), 0)
        XCTAssertEqual(valueField(fixture.dom0), 0xFEFE)
    }

    func testIndexOutOfRangeIsEINVAL() {
        XCTAssertEqual(hvm(fixture.dom0, HVMOP_get_param, domain: self_, index: UInt32(HVM_NR_PARAMS)), ReturnValue.EINVAL)
        XCTAssertEqual(hvm(fixture.dom0, HVMOP_set_param, domain: self_, index: 0xFFFF_FFFF, value: 1), ReturnValue.EINVAL)
        XCTAssertEqual(hvm(fixture.dom0, HVMOP_get_param, domain: self_, index: UInt32(HVM_NR_PARAMS) - 1), 0)
    }

    func testUnprivilegedMaySetOnlyTheCallback() {
        XCTAssertEqual(hvm(fixture.domU, HVMOP_set_param, domain: self_, index: UInt32(HVM_PARAM_STORE_EVTCHN), value: 3),
                       ReturnValue.EPERM)
        XCTAssertEqual(fixture.domU.hvmParameters[Int(HVM_PARAM_STORE_EVTCHN)], 0)
        XCTAssertEqual(hvm(fixture.dom0, HVMOP_set_param, domain: self_, index: UInt32(HVM_PARAM_STORE_EVTCHN), value: 3), 0)
        XCTAssertEqual(fixture.dom0.hvmParameters[Int(HVM_PARAM_STORE_EVTCHN)], 3)
    }

    func testBadPointerAndUnknownCommand() {
        let end = HypervisorFixture.memoryBytes
        XCTAssertEqual(fixture.call(fixture.domU, __HYPERVISOR_hvm_op, UInt64(HVMOP_get_param), end - 4), ReturnValue.EFAULT)
        // domid and index readable, the value past the end of RAM: the
        // struct is read whole, so neither command gets anywhere.
        let parameter = xen_hvm_param(domid: self_, pad: 0, index: 0, value: 0)
        let header = withUnsafeBytes(of: parameter) { Array($0.prefix(8)) }
        XCTAssertTrue(fixture.domU.memory.write(header + [0, 0, 0, 0], at: end - 12))
        XCTAssertEqual(fixture.call(fixture.domU, __HYPERVISOR_hvm_op, UInt64(HVMOP_set_param), end - 12), ReturnValue.EFAULT)
        XCTAssertEqual(fixture.call(fixture.domU, __HYPERVISOR_hvm_op, UInt64(HVMOP_get_param), end - 12), ReturnValue.EFAULT)
        XCTAssertEqual(fixture.domU.memory.bytes(at: end - 12, count: 12), header + [0, 0, 0, 0], "nothing written")
        XCTAssertEqual(fixture.call(fixture.domU, __HYPERVISOR_hvm_op, 2, 0x1000), ReturnValue.ENOSYS)
    }
}
