import XCTest
@testable import KernelCore

/// The per-vCPU FXSAVE area both backends load before entering a guest.
final class FloatingPointStateTests: XCTestCase {
    func testANewVCPUStartsInTheResetState() {
        let vcpu = VCPU(domainID: 1, index: 0)
        let state = vcpu.floatingPoint
        XCTAssertEqual(UInt(bitPattern: state.area) % UInt(FloatingPointState.alignment), 0, "FXRSTOR64 faults on an unaligned area")
        XCTAssertEqual(state.controlWord, 0x037F)               // every x87 exception masked
        XCTAssertEqual(state.mxcsr, 0x1F80)                     // every SIMD exception masked
        XCTAssertEqual(state.area.load(fromByteOffset: 4, as: UInt8.self), 0)   // abridged tag word: all empty
        for register in 0..<16 {
            XCTAssertTrue(state.xmm(register) == (0, 0), "XMM\(register) starts as 0")
        }
    }

    func testEachVCPUHasItsOwnArea() {
        let first = VCPU(domainID: 1, index: 0)
        let second = VCPU(domainID: 2, index: 0)
        XCTAssertNotEqual(first.floatingPoint.area, second.floatingPoint.area)
        first.floatingPoint.area.storeBytes(of: UInt64(0xDEAD_BEEF), toByteOffset: 160, as: UInt64.self)
        XCTAssertTrue(second.floatingPoint.xmm(0) == (0, 0))
        XCTAssertTrue(first.floatingPoint.xmm(0) == (0xDEAD_BEEF, 0))
    }

    func testSystemRegistersStartAtZero() {
        let registers = VCPU(domainID: 1, index: 0).systemRegisters
        XCTAssertEqual([registers.cr2, registers.star, registers.lstar, registers.cstar, registers.syscallFlagMask,
                        registers.kernelGSBase, registers.timeStampCounterAux], [UInt64](repeating: 0, count: 7))
    }
}
