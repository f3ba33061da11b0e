import XCTest

/// Every scenario on QEMU's TCG (SVM with NPT), plus the --icount benches,
/// which only QEMU can run, and a domain dom0 cannot build, which depends
/// on dom0 and xtool but not on the backend.
final class QEMUBootTests: BootTestCase {
    private let setup = MachineSetup.qemu

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
    func testFuzzerAsDom0Survives() { checkFuzzerAsDom0Survives(on: setup, seed: 1) }
    func testFuzzerAsDomUSurvives() { checkFuzzerAsDomUSurvives(on: setup) }
    func testMalformedDom0IsRefused() { checkMalformedDom0IsRefused(on: setup) }
    func testBenchCountsInstructions() { checkBenchCountsInstructions(on: setup) }
    func testPingPongRoundTripIsCounted() { checkPingPongRoundTripIsCounted(on: setup) }
    func testDom0BuildsDomains() { checkDom0BuildsDomains(on: setup) }
    func testDomctlIsRefusedToDomU() { checkDomctlIsRefusedToDomU(on: setup) }
    func testUnbuildableDomainFailsTheBoot() { checkUnbuildableDomainFailsTheBoot(on: setup) }
    func testDebianLinuxBootsToUserSpace() { checkDebianLinuxBootsToUserSpace(on: setup) }
    func testDebianLinuxBootsAsDomU() { checkDebianLinuxBootsAsDomU(on: setup) }
    func testBlockFrontendIsServedAndRefused() { checkBlockFrontendIsServedAndRefused(on: setup) }
    func testDebianLinuxMountsItsRootFromBlkback() { checkDebianLinuxMountsItsRootFromBlkback(on: setup) }
}
