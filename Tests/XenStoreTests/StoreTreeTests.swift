import XCTest
import XenPublic
@testable import XenStore

final class StoreTreeTests: StoreTestCase {
    func testWriteCreatesParentsAndReadReturnsTheValue() {
        XCTAssertEqual(write("/a/b/c", "hello"), "OK")
        XCTAssertEqual(read("/a/b/c"), "hello")
        XCTAssertEqual(read("/a/b"), "")
        XCTAssertEqual(answer(request(XS_DIRECTORY, b("/a\0"))), "b")
    }

    func testWriteKeepsNULsInTheValue() {
        XCTAssertEqual(answer(request(XS_WRITE, b("/v\0x\0y"))), "OK")
        XCTAssertEqual(request(XS_READ, b("/v\0")).payload, b("x\0y"))
    }

    func testDirectoryListsChildrenSortedAndNULSeparated() {
        for name in ["zeta", "alpha", "mid"] { XCTAssertEqual(write("/d/\(name)", "1"), "OK") }
        XCTAssertEqual(request(XS_DIRECTORY, b("/d\0")).payload, b("alpha\0mid\0zeta\0"))
        XCTAssertEqual(request(XS_DIRECTORY, b("/d/alpha\0")).payload, [])
    }

    func testMkdirCreatesAnEmptyNodeAndLeavesAnExistingOneAlone() {
        XCTAssertEqual(answer(request(XS_MKDIR, b("/m/n\0"))), "OK")
        XCTAssertEqual(read("/m/n"), "")
        XCTAssertEqual(write("/m/n", "kept"), "OK")
        XCTAssertEqual(answer(request(XS_MKDIR, b("/m/n\0"))), "OK")
        XCTAssertEqual(read("/m/n"), "kept")
    }

    func testRmRemovesTheSubtreeAndItsEntryInTheParent() {
        XCTAssertEqual(write("/r/x/y", "1"), "OK")
        XCTAssertEqual(write("/r/z", "2"), "OK")
        XCTAssertEqual(answer(request(XS_RM, b("/r/x\0"))), "OK")
        XCTAssertEqual(read("/r/x/y"), "error ENOENT")
        XCTAssertEqual(read("/r/x"), "error ENOENT")
        XCTAssertEqual(request(XS_DIRECTORY, b("/r\0")).payload, b("z\0"))
        XCTAssertEqual(store.tree.nodeCount, 3)   // "/", "/r", "/r/z"
    }

    func testRmOfAMissingNodeSucceedsOnlyIfItsParentExists() {
        XCTAssertEqual(write("/p", ""), "OK")
        XCTAssertEqual(answer(request(XS_RM, b("/p/none\0"))), "OK")
        XCTAssertEqual(answer(request(XS_RM, b("/none/none\0"))), "error ENOENT")
        XCTAssertEqual(answer(request(XS_RM, b("/\0"))), "error EINVAL")
    }

    func testReadOfAMissingNodeIsENOENT() {
        XCTAssertEqual(read("/nothing"), "error ENOENT")
    }

    func testGetDomainPathAndIsDomainIntroduced() {
        XCTAssertEqual(answer(request(XS_GET_DOMAIN_PATH, b("7\0"))), "/local/domain/7")
        XCTAssertEqual(answer(request(XS_IS_DOMAIN_INTRODUCED, b("0\0"))), "T")
        XCTAssertEqual(answer(request(XS_IS_DOMAIN_INTRODUCED, b("7\0"))), "F")
        XCTAssertEqual(answer(request(XS_GET_DOMAIN_PATH, b("x\0"))), "error EINVAL")
    }

    func testUnknownAndUnofferedTypesAreENOSYS() {
        XCTAssertEqual(answer(request(XS_CONTROL, b("print\0"))), "error ENOSYS")
        XCTAssertEqual(answer(request(XS_DIRECTORY_PART, b("/\0" + "0\0"))), "error ENOSYS")
    }

    func testARepliesCarriesTheRequestsIDs() {
        let reply = request(XS_WRITE, b("/i\0v"), id: 0x1234)
        XCTAssertEqual(reply.requestID, 0x1234)
        XCTAssertEqual(reply.type, XS_WRITE.rawValue)
    }

    func testRelativePathsResolveAgainstTheDomainsHome() {
        makeHome(3)
        let guest = domU(3)
        XCTAssertEqual(write("device/vbd", "ok", on: guest), "OK")
        XCTAssertEqual(read("/local/domain/3/device/vbd"), "ok")
        XCTAssertEqual(read("device/vbd", on: guest), "ok")
    }
}
