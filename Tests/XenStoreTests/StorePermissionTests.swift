import XCTest
import XenPublic
@testable import XenStore

final class StorePermissionTests: StoreTestCase {
    func testADomUCannotReadOrWriteDom0sNodes() {
        XCTAssertEqual(write("/secret", "s"), "OK")
        let guest = domU(1)
        XCTAssertEqual(read("/secret", on: guest), "error EACCES")
        XCTAssertEqual(write("/secret", "x", on: guest), "error EACCES")
        XCTAssertEqual(write("/secret/child", "x", on: guest), "error EACCES")
        XCTAssertEqual(answer(request(XS_RM, b("/secret\0"), on: guest)), "error EACCES")
        XCTAssertEqual(read("/secret"), "s")
    }

    func testAMissingNodeUnderAnUnreadableOneIsEACCESNotENOENT() {
        XCTAssertEqual(write("/closed", ""), "OK")
        XCTAssertEqual(read("/closed/none", on: domU(1)), "error EACCES")
    }

    func testADomUOwnsWhatItCreatesInItsHome() {
        makeHome(1)
        let guest = domU(1)
        XCTAssertEqual(write("data", "d", on: guest), "OK")
        XCTAssertEqual(answer(request(XS_GET_PERMS, b("data\0"), on: guest)), "n1")
        XCTAssertEqual(store.tree.usage(of: 1).nodes, 2)   // its home and "data"
    }

    func testDom0CreatingInAHomeKeepsTheParentsOwner() {
        makeHome(4)
        XCTAssertEqual(write("/local/domain/4/made/by/dom0", "x"), "OK")
        XCTAssertEqual(answer(request(XS_GET_PERMS, b("/local/domain/4/made/by/dom0\0"))), "n4")
    }

    func testGrantsToOneDomainAndTheDefault() {
        XCTAssertEqual(write("/shared", "v"), "OK")
        XCTAssertEqual(answer(request(XS_SET_PERMS, b("/shared\0n0\0r2\0"))), "OK")
        XCTAssertEqual(answer(request(XS_GET_PERMS, b("/shared\0"))), "n0\0r2")
        XCTAssertEqual(read("/shared", on: domU(2)), "v")
        XCTAssertEqual(write("/shared", "x", on: domU(2)), "error EACCES")
        XCTAssertEqual(read("/shared", on: domU(3)), "error EACCES")
        XCTAssertEqual(answer(request(XS_SET_PERMS, b("/shared\0r0\0"))), "OK")
        XCTAssertEqual(read("/shared", on: domU(3)), "v")
    }

    func testOnlyTheOwnerOrDom0SetsPermissionsAndADomUCannotGiveANodeAway() {
        makeHome(1)
        let owner = domU(1)
        XCTAssertEqual(write("mine", "m", on: owner), "OK")
        XCTAssertEqual(answer(request(XS_SET_PERMS, b("/local/domain/1/mine\0n1\0b2\0"), on: domU(2))), "error EACCES")
        XCTAssertEqual(answer(request(XS_SET_PERMS, b("mine\0n1\0b2\0"), on: owner)), "OK")
        XCTAssertEqual(write("/local/domain/1/mine", "by 2", on: domU(2)), "OK")
        XCTAssertEqual(answer(request(XS_SET_PERMS, b("mine\0n2\0"), on: owner)), "error EPERM")
    }

    func testBadPermissionListsAreEINVAL() {
        XCTAssertEqual(write("/p", ""), "OK")
        for list in ["x0", "r", "r70000", "r-1"] {
            XCTAssertEqual(answer(request(XS_SET_PERMS, b("/p\0\(list)\0"))), "error EINVAL", list)
        }
        XCTAssertEqual(answer(request(XS_SET_PERMS, b("/p\0"))), "error EINVAL")
    }

    func testDom0ReadsAndWritesEverything() {
        makeHome(1)
        XCTAssertEqual(write("private", "p", on: domU(1)), "OK")
        XCTAssertEqual(read("/local/domain/1/private"), "p")
        XCTAssertEqual(write("/local/domain/1/private", "q"), "OK")
    }
}
