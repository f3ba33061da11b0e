import XCTest
@testable import KernelCore

final class HypercallArgumentsTests: XCTestCase {
    private var registers: GuestRegisters {
        var r = GuestRegisters()
        r.rax = 0xAAAA_AAAA_0000_0011
        r.rbx = 0xBBBB_BBBB_0000_0001
        r.rcx = 0xCCCC_CCCC_0000_0002
        r.rdx = 0xDDDD_DDDD_0000_0003
        r.rsi = 0x5151_5151_0000_0004
        r.rdi = 0xD1D1_D1D1_0000_0005
        r.r10 = 0x1010_1010_0000_0006
        r.r8 = 0x0808_0808_0000_0007
        r.r9 = 0x0909_0909_0000_0008
        return r
    }

    func testLongModeConvention() {
        let call = HypercallArguments(registers: registers, longMode: true)
        XCTAssertEqual(call.number, 0xAAAA_AAAA_0000_0011)
        XCTAssertEqual(call.arguments.0, 0xD1D1_D1D1_0000_0005)    // RDI
        XCTAssertEqual(call.arguments.1, 0x5151_5151_0000_0004)    // RSI
        XCTAssertEqual(call.arguments.2, 0xDDDD_DDDD_0000_0003)    // RDX
        XCTAssertEqual(call.arguments.3, 0x1010_1010_0000_0006)    // R10
        XCTAssertEqual(call.arguments.4, 0x0808_0808_0000_0007)    // R8
        XCTAssertEqual(call.first, call.arguments.0)
        XCTAssertEqual(call.second, call.arguments.1)
        XCTAssertEqual(call.third, call.arguments.2)
    }

    func testThirtyTwoBitConventionIsMasked() {
        let call = HypercallArguments(registers: registers, longMode: false)
        XCTAssertEqual(call.number, 0x11)                           // EAX
        XCTAssertEqual(call.arguments.0, 1)                         // EBX
        XCTAssertEqual(call.arguments.1, 2)                         // ECX
        XCTAssertEqual(call.arguments.2, 3)                         // EDX
        XCTAssertEqual(call.arguments.3, 4)                         // ESI
        XCTAssertEqual(call.arguments.4, 5)                         // EDI
    }

    func testCommandIsThirtyTwoBits() {
        XCTAssertEqual(HypercallArguments(number: 17, 0xFFFF_FFFF).command, 0xFFFF_FFFF)
        XCTAssertNil(HypercallArguments(number: 17, 0x1_0000_0000).command)
        XCTAssertEqual(HypercallArguments(number: 17).command, 0)
    }

    func testErrorReturnValues() {
        XCTAssertEqual(HypercallError.notImplemented.returnValue, 0xFFFF_FFFF_FFFF_FFDA)
        XCTAssertEqual(HypercallError.notPermitted.returnValue, 0xFFFF_FFFF_FFFF_FFFF)
        XCTAssertEqual(HypercallError.badAddress.returnValue, 0xFFFF_FFFF_FFFF_FFF2)
        XCTAssertEqual(HypercallError.noSuchDomain.returnValue, ReturnValue.ESRCH)
        XCTAssertEqual(HypercallError.invalidArgument.returnValue, ReturnValue.EINVAL)
        XCTAssertEqual(HypercallError.tooBig.returnValue, UInt64(bitPattern: -7))
    }
}
