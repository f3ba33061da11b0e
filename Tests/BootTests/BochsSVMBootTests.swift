import XCTest

/// Every scenario on Bochs as an AMD Ryzen (SVM with NPT): a second SVM
/// implementation besides QEMU's. (The hypervisor-fault panic does not
/// depend on the backend and runs on the other two only.)
final class BochsSVMBootTests: BootTestCase {
    private let setup = MachineSetup.bochsSVM

    func testDom0PowersOff() { checkDom0PowersOff(on: setup) }
    func testHostileChecksPass() { checkHostileChecksPass(on: setup) }
    func testHostileNestedPageFaultCrashesIt() { checkHostileNestedPageFaultCrashesIt(on: setup) }
    func testHostileTripleFaultCrashesIt() { checkHostileTripleFaultCrashesIt(on: setup) }
    func testRegistersSurviveDomainSwitches() { checkRegistersSurviveDomainSwitches(on: setup) }
    func testForgedStatusLinesDoNotCount() { checkForgedStatusLinesDoNotCount(on: setup) }
    func testEventChannelsWorkInAGuest() { checkEventChannelsWorkInAGuest(on: setup) }
    func testDomUsPingPong() { checkDomUsPingPong(on: setup) }
    func testDomUUsesTheStoreAndThePVConsole() { checkDomUUsesTheStoreAndThePVConsole(on: setup) }
    func testDomUsShareAPageByGrant() { checkDomUsShareAPageByGrant(on: setup) }
    func testFuzzerAsDom0Survives() { checkFuzzerAsDom0Survives(on: setup, seed: 4) }
    func testMalformedDom0IsRefused() { checkMalformedDom0IsRefused(on: setup) }
    func testDom0BuildsDomains() { checkDom0BuildsDomains(on: setup) }
    func testDomctlIsRefusedToDomU() { checkDomctlIsRefusedToDomU(on: setup) }
    func testDebianLinuxBootsToUserSpace() { checkDebianLinuxBootsToUserSpace(on: setup) }
    func testBlockFrontendIsServedAndRefused() { checkBlockFrontendIsServedAndRefused(on: setup) }
}
