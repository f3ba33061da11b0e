import XCTest

/// Every scenario on Bochs as an Intel Skylake-X (VMX with EPT).
final class BochsVMXBootTests: BootTestCase {
    private let setup = MachineSetup.bochsVMX

    func testDom0PowersOff() { checkDom0PowersOff(on: setup) }
    func testHypervisorFaultPanics() { checkHypervisorFaultPanics(on: setup) }
    func testHostileChecksPass() { checkHostileChecksPass(on: setup) }
    func testHostileNestedPageFaultCrashesIt() { checkHostileNestedPageFaultCrashesIt(on: setup) }
    func testHostileTripleFaultCrashesIt() { checkHostileTripleFaultCrashesIt(on: setup) }
    func testRegistersSurviveDomainSwitches() { checkRegistersSurviveDomainSwitches(on: setup) }
    func testForgedStatusLinesDoNotCount() { checkForgedStatusLinesDoNotCount(on: setup) }
    func testEventChannelsWorkInAGuest() { checkEventChannelsWorkInAGuest(on: setup) }
    func testDomUsPingPong() { checkDomUsPingPong(on: setup) }
    func testDomUUsesTheStoreAndThePVConsole() { checkDomUUsesTheStoreAndThePVConsole(on: setup) }
    func testDomUsShareAPageByGrant() { checkDomUsShareAPageByGrant(on: setup) }
    func testFuzzerAsDom0Survives() { checkFuzzerAsDom0Survives(on: setup, seed: 2) }
    func testFuzzerAsDomUSurvives() { checkFuzzerAsDomUSurvives(on: setup) }
    func testMalformedDom0IsRefused() { checkMalformedDom0IsRefused(on: setup) }
    func testDom0BuildsDomains() { checkDom0BuildsDomains(on: setup) }
    func testDomctlIsRefusedToDomU() { checkDomctlIsRefusedToDomU(on: setup) }
    func testDebianLinuxBootsToUserSpace() { checkDebianLinuxBootsToUserSpace(on: setup) }
    // Linux as a domU boots here with its root on blkback: a superset of
    // checkDebianLinuxBootsAsDomU (which QEMU runs), at one Bochs boot of
    // Linux instead of two (each takes 10 to 15 minutes of CI).
    func testBlockFrontendIsServedAndRefused() { checkBlockFrontendIsServedAndRefused(on: setup) }
    func testDebianLinuxMountsItsRootFromBlkback() { checkDebianLinuxMountsItsRootFromBlkback(on: setup) }
}
